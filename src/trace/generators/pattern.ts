/**
 * A key pattern is what distinguishes one generator from another: the sequence of keys requested. Each
 * generator module describes its pattern once (its spec fields, their cross-checks, how to build it), and
 * that description serves twice: as a registry generator (with the request fields every spec shares, see
 * spec.ts) and as a component of a mix (mix.ts).
 */
import { z } from 'zod';
import type { GeneratorEntry } from '../registry.ts';
import { Streams } from './rng.ts';
import { generatedSource } from './source.ts';
import {
  crossCheck,
  type Problem,
  parseSpec,
  type RequestSpec,
  requestFields,
  ttlProblems,
  ttlReads,
} from './spec.ts';

/**
 * A generator's sequence of keys, as slots in [0, objects): one slot per object, numbered however suits the
 * pattern (a Zipf pattern numbers them by popularity rank), and the object number — the key written to a
 * trace — of each slot. The source looks slots up in a flat table on every request and asks for the object
 * only at a slot's first request, so slot order decides how cache-friendly that table is.
 */
export interface KeyPattern {
  readonly objects: number;
  /** Writes the slots of the next n requests to out[from..from+n). */
  fill(out: Uint32Array, from: number, n: number): void;
  /** The object number of a slot. */
  objectOf(slot: number): number;
  /** Two slots may name the same object (a mix whose components' ranges overlap). */
  readonly sharesObjects?: boolean;
}

/** Object numbers are the slots themselves. */
export function identity(slot: number): number {
  return slot;
}

/** The parsed spec of a kind whose fields are the zod shape S. */
export type PatternSpec<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

export interface PatternKind<S extends z.ZodRawShape = z.ZodRawShape, N extends string = string> {
  readonly name: N;
  readonly description: string;
  /** The pattern's own spec fields, `objects` included. */
  readonly fields: S;
  /** Checks across those fields (run once each of them is valid on its own). */
  check?(spec: PatternSpec<S>): Problem[];
  /** Builds the pattern; its random draws come from `streams` only. */
  create(spec: PatternSpec<S>, streams: Streams): KeyPattern;
}

/** The strict schema of a kind's fields plus `generator` and `extra`, with the kind's cross-checks. */
export function kindSchema<S extends z.ZodRawShape, N extends string, E extends z.ZodRawShape>(
  kind: PatternKind<S, N>,
  extra: E,
) {
  const schema = z.strictObject({ ...kind.fields, generator: z.literal(kind.name), ...extra });
  const check = kind.check;
  if (!check) return schema;
  // A parse of this schema holds the kind's fields; TypeScript cannot see that through the generic spread.
  return crossCheck(schema, Object.keys(kind.fields), (v) => check(v as unknown as PatternSpec<S>));
}

/** The registry entry of a pattern used on its own. */
export function patternGenerator<S extends z.ZodRawShape>(kind: PatternKind<S>): GeneratorEntry {
  const schema = crossCheck(kindSchema(kind, requestFields), ttlReads, (v) =>
    ttlProblems(v as unknown as RequestSpec),
  );
  return {
    name: kind.name,
    description: kind.description,
    open(spec, seed, where) {
      // As in kindSchema: the parse holds the kind's fields and the request fields.
      const parsed = parseSpec(schema, spec, where) as unknown as PatternSpec<S> & RequestSpec;
      const streams = new Streams(seed);
      return generatedSource(kind.name, spec, seed, parsed, kind.create(parsed, streams), streams);
    },
  };
}
