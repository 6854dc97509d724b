/**
 * Per-request operations and TTLs. Each request's op is drawn independently with the spec's get/set/delete
 * fractions (missing ones are 0; they must sum to 1). A set carries a TTL with probability `ttl.fraction`
 * (default 1), its length in seconds drawn from the TTL distribution; gets and deletes carry none (0).
 */
import { z } from 'zod';
import { OP_DELETE, OP_GET, OP_SET } from '../api.ts';
import {
  constantDist,
  lognormalDist,
  paretoDist,
  uniformDist,
  uniformOrdered,
  valueDraw,
} from './distributions.ts';
import { openUnit, type Rng } from './rng.ts';

const fraction = z.number().min(0).max(1);

export const opsSchema = z
  .strictObject({ get: fraction.optional(), set: fraction.optional(), delete: fraction.optional() })
  .superRefine((o, ctx) => {
    const sum = (o.get ?? 0) + (o.set ?? 0) + (o.delete ?? 0);
    if (Math.abs(sum - 1) > 1e-9)
      ctx.addIssue({ code: 'custom', message: `expected get + set + delete = 1, got ${sum}` });
  });
export type OpsSpec = z.output<typeof opsSchema>;

const ttlFraction = { fraction: z.number().gt(0).max(1).optional() };
export const ttlSchema = z
  .discriminatedUnion('dist', [
    constantDist.extend(ttlFraction),
    uniformDist.extend(ttlFraction),
    lognormalDist.extend(ttlFraction),
    paretoDist.extend(ttlFraction),
  ])
  .superRefine(uniformOrdered);
export type TtlSpec = z.output<typeof ttlSchema>;

/** Writes the next n ops to op[0..n). */
export function opFill(spec: OpsSpec, rng: Rng): (op: Uint8Array, n: number) => void {
  const get = spec.get ?? 0;
  const getOrSet = get + (spec.set ?? 0);
  return (op, n) => {
    for (let i = 0; i < n; i++) {
      const u = rng();
      op[i] = u < get ? OP_GET : u < getOrSet ? OP_SET : OP_DELETE;
    }
  };
}

/** Writes TTLs for the n requests whose ops are in op[0..n). */
export function ttlFill(spec: TtlSpec, rng: Rng): (ttl: Uint32Array, op: Uint8Array, n: number) => void {
  const fraction = spec.fraction ?? 1;
  const draw = valueDraw(spec);
  return (ttl, op, n) => {
    for (let i = 0; i < n; i++) {
      ttl[i] = op[i] === OP_SET && rng() < fraction ? draw(openUnit(rng), openUnit(rng)) : 0;
    }
  };
}
