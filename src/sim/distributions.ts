/**
 * Duration distributions for service times, network latencies and think times, built from JSON specs:
 *
 *   {"dist": "constant", "value": "0.2ms"}
 *   {"dist": "uniform", "min": "1ms", "max": "3ms"}
 *   {"dist": "exponential", "mean": "1ms"}                 inversion: −mean·ln(1 − U)
 *   {"dist": "normal", "mean": "2ms", "sd": "0.5ms"}       truncated at 0 by rejection (durations)
 *   {"dist": "lognormal", "median": "0.1ms", "p99": "0.3ms"}
 *   {"dist": "histogram", "bounds": [0, 1, 2, 10], "weights": [50, 40, 10]}
 *
 * Durations are numbers of milliseconds or strings with a unit (ns, us, µs, ms, s). A lognormal is given
 * by the two figures an operator actually knows: median = e^μ and p99 = e^(μ + z₀.₉₉·σ), so
 * σ = ln(p99 / median) / 2.3263. A histogram draws a bucket with probability proportional to its weight,
 * then a uniform point inside it. Normal and lognormal draws use Box–Muller and keep the spare variate.
 *
 * Samplers return whole nanoseconds (the engine's clock, time.ts) and allocate nothing per sample; each
 * knows its theoretical mean (before rounding) for offered-load figures. Specs are validated with zod;
 * every problem is reported at once with its JSON path (parseDistribution).
 */
import { errorFunction } from 'simple-statistics';
import { z } from 'zod';
import { parseSpec } from '../trace/generators/spec.ts';
import type { Rng } from './rng.ts';
import { ms, parseDuration } from './time.ts';

/** A duration field: a non-negative number of ms or a string with a unit; parsed to nanoseconds. */
export const durationSchema = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return ms(v);
  if (typeof v === 'string') {
    const ns = parseDuration(v);
    if (ns !== null) return ns;
  }
  const got = v === undefined ? 'nothing' : JSON.stringify(v);
  ctx.addIssue({
    code: 'custom',
    message: `expected a duration (a number of ms >= 0, or a string like "250us", "0.1ms", "2s"), got ${got}`,
  });
  return z.NEVER;
});

const constantSpec = z.strictObject({ dist: z.literal('constant'), value: durationSchema });
const uniformSpec = z.strictObject({ dist: z.literal('uniform'), min: durationSchema, max: durationSchema });
const exponentialSpec = z.strictObject({ dist: z.literal('exponential'), mean: durationSchema });
const normalSpec = z.strictObject({ dist: z.literal('normal'), mean: durationSchema, sd: durationSchema });
const lognormalSpec = z.strictObject({
  dist: z.literal('lognormal'),
  median: durationSchema,
  p99: durationSchema,
});
const histogramSpec = z.strictObject({
  dist: z.literal('histogram'),
  bounds: z.array(durationSchema).min(2),
  weights: z.array(z.number().min(0)).min(1),
});

type Issue = { path: (string | number)[]; message: string };

function crossFieldIssues(d: DistSpec): Issue[] {
  switch (d.dist) {
    case 'uniform':
      return d.min <= d.max ? [] : [{ path: ['max'], message: 'expected max >= min' }];
    case 'exponential':
      return d.mean > 0 ? [] : [{ path: ['mean'], message: 'expected a mean > 0' }];
    case 'lognormal': {
      const out: Issue[] = [];
      if (!(d.median > 0)) out.push({ path: ['median'], message: 'expected a median > 0' });
      if (!(d.p99 >= d.median)) out.push({ path: ['p99'], message: 'expected p99 >= median' });
      return out;
    }
    case 'histogram': {
      const out: Issue[] = [];
      for (let i = 1; i < d.bounds.length; i++) {
        if (!(d.bounds[i] > d.bounds[i - 1]))
          out.push({ path: ['bounds', i], message: 'expected bounds in strictly increasing order' });
      }
      if (d.weights.length !== d.bounds.length - 1) {
        out.push({
          path: ['weights'],
          message: `expected ${d.bounds.length - 1} weights (one per bucket between bounds), got ${d.weights.length}`,
        });
      }
      if (!(d.weights.reduce((s, w) => s + w, 0) > 0))
        out.push({ path: ['weights'], message: 'expected at least one weight > 0' });
      return out;
    }
    default:
      return [];
  }
}

export const distributionSchema = z
  .discriminatedUnion('dist', [
    constantSpec,
    uniformSpec,
    exponentialSpec,
    normalSpec,
    lognormalSpec,
    histogramSpec,
  ])
  .superRefine((d, ctx) => {
    for (const i of crossFieldIssues(d)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });

/** A validated spec with every duration in nanoseconds. */
export type DistSpec = z.output<typeof distributionSchema>;

/** Validates a JSON spec; throws one InputError listing every problem as "<where>: /path: expected …". */
export function parseDistribution(json: unknown, where: string): DistSpec {
  return parseSpec(distributionSchema, json, where);
}

/** Draws durations in whole nanoseconds. */
export interface Sampler {
  sample(): number;
  /** The distribution's mean in ns (before rounding to whole ns). */
  readonly mean: number;
}

/**
 * Nearest whole nanosecond of a duration x >= 0 (halves up, as Math.round, for x < 2^52): floor(x + 0.5)
 * costs a third of Math.round in V8, which matters at one draw per event.
 */
function roundNs(x: number): number {
  return Math.floor(x + 0.5);
}

class Constant implements Sampler {
  readonly mean: number;
  private readonly value: number;
  constructor(value: number) {
    this.mean = value;
    this.value = roundNs(value);
  }
  sample(): number {
    return this.value;
  }
}

class Uniform implements Sampler {
  readonly mean: number;
  constructor(
    private readonly rng: Rng,
    private readonly min: number,
    private readonly span: number,
  ) {
    this.mean = min + span / 2;
  }
  sample(): number {
    return roundNs(this.min + this.span * this.rng());
  }
}

class Exponential implements Sampler {
  constructor(
    private readonly rng: Rng,
    readonly mean: number,
  ) {}
  sample(): number {
    return roundNs(-this.mean * Math.log(1 - this.rng()));
  }
}

/** Standard normal variates by Box–Muller, two per pair of uniforms. */
class Gaussian {
  private spare = 0;
  private hasSpare = false;
  constructor(private readonly rng: Rng) {}
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.rng()));
    const theta = 2 * Math.PI * this.rng();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }
}

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

class TruncatedNormal implements Sampler {
  readonly mean: number;
  private readonly gauss: Gaussian;
  constructor(
    rng: Rng,
    private readonly mu: number,
    private readonly sd: number,
  ) {
    this.gauss = new Gaussian(rng);
    // Mean of N(mu, sd²) conditioned on > 0: mu + sd·φ(α)/(1 − Φ(α)) with α = −mu/sd.
    if (sd === 0) this.mean = mu;
    else {
      const alpha = -mu / sd;
      const tail = 0.5 * (1 - errorFunction(alpha / SQRT2));
      this.mean = mu + (sd * INV_SQRT_2PI * Math.exp(-0.5 * alpha * alpha)) / tail;
    }
  }
  sample(): number {
    // mu >= 0, so at least half the draws are accepted.
    for (;;) {
      const x = this.mu + this.sd * this.gauss.next();
      if (x >= 0) return roundNs(x);
    }
  }
}

/** z such that Φ(z) = 0.99. */
export const Z99 = 2.3263478740408408;

class Lognormal implements Sampler {
  readonly mean: number;
  private readonly gauss: Gaussian;
  private readonly mu: number;
  private readonly sigma: number;
  constructor(rng: Rng, median: number, p99: number) {
    this.gauss = new Gaussian(rng);
    this.mu = Math.log(median);
    this.sigma = Math.log(p99 / median) / Z99;
    this.mean = Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }
  sample(): number {
    return roundNs(Math.exp(this.mu + this.sigma * this.gauss.next()));
  }
}

class Histogram implements Sampler {
  readonly mean: number;
  /** cumulative[i]: total weight of buckets 0..i. */
  private readonly cumulative: Float64Array;
  private readonly bounds: Float64Array;
  private readonly weights: Float64Array;
  constructor(
    private readonly rng: Rng,
    bounds: readonly number[],
    weights: readonly number[],
  ) {
    this.bounds = Float64Array.from(bounds);
    this.weights = Float64Array.from(weights);
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    let weighted = 0;
    for (let i = 0; i < weights.length; i++) {
      total += weights[i];
      weighted += (weights[i] * (bounds[i] + bounds[i + 1])) / 2;
      this.cumulative[i] = total;
    }
    this.mean = weighted / total;
  }
  sample(): number {
    const c = this.cumulative;
    const u = this.rng() * c[c.length - 1];
    // First bucket whose cumulative weight exceeds u (never an empty one: its cumulative equals the last).
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    // Where u falls inside the bucket's weight is itself uniform: reuse it for the point in the bucket.
    const frac = (u - (lo === 0 ? 0 : c[lo - 1])) / this.weights[lo];
    const a = this.bounds[lo];
    return roundNs(a + (this.bounds[lo + 1] - a) * frac);
  }
}

/** A sampler for a validated spec, drawing from `rng` (give each component its own stream, rng.ts). */
export function makeSampler(spec: DistSpec, rng: Rng): Sampler {
  switch (spec.dist) {
    case 'constant':
      return new Constant(spec.value);
    case 'uniform':
      return new Uniform(rng, spec.min, spec.max - spec.min);
    case 'exponential':
      return new Exponential(rng, spec.mean);
    case 'normal':
      return new TruncatedNormal(rng, spec.mean, spec.sd);
    case 'lognormal':
      return new Lognormal(rng, spec.median, spec.p99);
    case 'histogram':
      return new Histogram(rng, spec.bounds, spec.weights);
  }
}

/** parseDistribution then makeSampler. */
export function samplerFrom(json: unknown, rng: Rng, where: string): Sampler {
  return makeSampler(parseDistribution(json, where), rng);
}
