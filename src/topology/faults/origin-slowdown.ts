/**
 * The origin slows down from `at` to `until`: every query a connection picks up meanwhile holds it
 * `factor` times as long (a vacuum, a checkpoint, a noisy neighbour on the database host). What it
 * affected: the queries slowed.
 */
import { z } from 'zod';
import { defineFault, type FaultSpec, faultTimes } from './api.ts';

const schema = z.strictObject({
  kind: z.literal('origin-slowdown'),
  ...faultTimes,
  factor: z.number().gt(0).meta({ description: 'multiplies the read and write service times' }),
});

type Spec = z.output<typeof schema> & FaultSpec;

export const originSlowdown = defineFault<Spec>({
  kind: 'origin-slowdown',
  schema,
  prepare(spec, ctx) {
    const o = ctx.origin;
    return {
      targets: ['origin'],
      label: `origin ×${spec.factor}`,
      start: () => o.slow(spec.factor, true),
      end: () => o.slow(spec.factor, false),
      count: () => o.slowed,
    };
  },
});
