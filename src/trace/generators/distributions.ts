/**
 * Positive integer distributions for object sizes (bytes) and TTLs (seconds): constant, uniform (integers,
 * both ends included), lognormal (exp(mu + sigma·Z), Z standard normal by Box–Muller) and Pareto (type I,
 * scale·U^(-1/shape) by inversion). Continuous draws are rounded to the nearest integer and clamped to
 * [1, max] (max defaults to 2^32 − 1, what the batch arrays hold), so every value is a valid size or TTL.
 * Each draw is a function of two uniforms, so callers choose where the randomness comes from: a keyed hash
 * for sizes (a property of the object), a stream for TTLs (a property of the request).
 */
import { z } from 'zod';

const U32_MAX = 4294967295;

const positiveInt = z.number().int().min(1).max(U32_MAX);
const cap = positiveInt.optional();

export const constantDist = z.strictObject({ dist: z.literal('constant'), value: positiveInt });
export const uniformDist = z.strictObject({ dist: z.literal('uniform'), min: positiveInt, max: positiveInt });
export const lognormalDist = z.strictObject({
  dist: z.literal('lognormal'),
  mu: z.number().min(-50).max(50),
  sigma: z.number().min(0).max(20),
  max: cap,
});
export const paretoDist = z.strictObject({
  dist: z.literal('pareto'),
  scale: z.number().gt(0).max(U32_MAX),
  shape: z.number().gt(0),
  max: cap,
});

/** The check a uniform variant needs beyond its fields' own (a refinement on the union, run once it is valid). */
export function uniformOrdered(d: { dist: string; min?: number; max?: number }, ctx: z.RefinementCtx): void {
  if (d.dist === 'uniform' && d.min !== undefined && d.max !== undefined && d.min > d.max) {
    ctx.addIssue({ code: 'custom', path: ['max'], message: `expected max >= min (${d.min}), got ${d.max}` });
  }
}

export const valueDist = z
  .discriminatedUnion('dist', [constantDist, uniformDist, lognormalDist, paretoDist])
  .superRefine(uniformOrdered);
export type ValueDist = z.output<typeof valueDist>;

/** Maps two independent uniforms in (0, 1) to a value of the distribution. */
export type ValueDraw = (u1: number, u2: number) => number;

function clampRound(x: number, max: number): number {
  const v = Math.round(x);
  return v < 1 ? 1 : Math.min(v, max);
}

export function valueDraw(d: ValueDist): ValueDraw {
  switch (d.dist) {
    case 'constant': {
      const v = d.value;
      return () => v;
    }
    case 'uniform': {
      const { min } = d;
      const span = d.max - d.min + 1;
      return (u1) => min + Math.floor(u1 * span);
    }
    case 'lognormal': {
      const { mu, sigma } = d;
      const max = d.max ?? U32_MAX;
      return (u1, u2) =>
        clampRound(Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)), max);
    }
    case 'pareto': {
      const { scale } = d;
      const inv = -1 / d.shape;
      const max = d.max ?? U32_MAX;
      return (u1) => clampRound(scale * u1 ** inv, max);
    }
  }
}
