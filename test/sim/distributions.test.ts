import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { makeSampler, parseDistribution, samplerFrom, Z99 } from '../../src/sim/distributions.ts';
import { streams } from '../../src/sim/rng.ts';
import { formatDuration, parseDuration } from '../../src/sim/time.ts';

function problems(json: unknown): string[] {
  try {
    parseDistribution(json, 'topo.json: /db/latency');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    return [err.message, ...err.more];
  }
  return [];
}

function draws(json: unknown, n: number, seed = 1): Float64Array {
  const s = samplerFrom(json, streams(seed).get('x'), 'test');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = s.sample();
  return out;
}

function mean(xs: Float64Array): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function lowest(xs: Float64Array): number {
  return xs.reduce((m, x) => Math.min(m, x), Number.POSITIVE_INFINITY);
}

function highest(xs: Float64Array): number {
  return xs.reduce((m, x) => Math.max(m, x), Number.NEGATIVE_INFINITY);
}

function quantile(xs: Float64Array, q: number): number {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.ceil(q * sorted.length) - 1];
}

describe('durations', () => {
  it('parses units to nanoseconds and refuses strings without one', () => {
    expect(['250ns', '250us', '2.5 µs', '0.1ms', '1.5s', '3e2ns', '.5ms'].map(parseDuration)).toEqual([
      250, 250_000, 2500, 100_000, 1_500_000_000, 300, 500_000,
    ]);
    expect(['', '5', '-1ms', '1 min', 'ms', '1e999s'].map(parseDuration)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect([850, 12_500, 3_200_000, 1_250_000_000].map(formatDuration)).toEqual([
      '850ns',
      '12.5µs',
      '3.2ms',
      '1.25s',
    ]);
  });

  it('reads numbers as milliseconds', () => {
    expect(parseDistribution({ dist: 'constant', value: 0.25 }, 'x')).toEqual({
      dist: 'constant',
      value: 250_000,
    });
  });
});

describe('distribution specs', () => {
  it('reports every problem on its own line with its JSON path', () => {
    expect(problems({ dist: 'lognormal', median: '0.1 min', p99: -3, extra: 1 })).toEqual([
      'topo.json: /db/latency: /median: expected a duration (a number of ms >= 0, or a string like "250us", "0.1ms", "2s"), got "0.1 min"',
      'topo.json: /db/latency: /p99: expected a duration (a number of ms >= 0, or a string like "250us", "0.1ms", "2s"), got -3',
      'topo.json: /db/latency: /extra: unknown field, expected one of dist, median, p99',
    ]);
    expect(problems({ dist: 'gamma' })).toEqual([
      'topo.json: /db/latency: /dist: expected "constant" or "uniform" or "exponential" or "normal" or "lognormal" or "histogram", got "gamma"',
    ]);
    expect(problems({ dist: 'exponential' })).toEqual([
      'topo.json: /db/latency: /mean: expected a duration (a number of ms >= 0, or a string like "250us", "0.1ms", "2s"), got nothing',
    ]);
  });

  it('checks fields against each other', () => {
    expect(problems({ dist: 'uniform', min: '2ms', max: '1ms' })).toEqual([
      'topo.json: /db/latency: /max: expected max >= min',
    ]);
    expect(problems({ dist: 'lognormal', median: '1ms', p99: '0.5ms' })).toEqual([
      'topo.json: /db/latency: /p99: expected p99 >= median',
    ]);
    expect(problems({ dist: 'exponential', mean: 0 })).toEqual([
      'topo.json: /db/latency: /mean: expected a mean > 0',
    ]);
    expect(problems({ dist: 'histogram', bounds: [0, 2, 2], weights: [0, 0, 1] })).toEqual([
      'topo.json: /db/latency: /bounds/2: expected bounds in strictly increasing order',
      'topo.json: /db/latency: /weights: expected 2 weights (one per bucket between bounds), got 3',
    ]);
    expect(problems({ dist: 'histogram', bounds: [0, 1], weights: [0] })).toEqual([
      'topo.json: /db/latency: /weights: expected at least one weight > 0',
    ]);
  });
});

describe('samplers', () => {
  const N = 200_000;

  it('constant and uniform', () => {
    expect(Array.from(draws({ dist: 'constant', value: '1.5us' }, 3))).toEqual([1500, 1500, 1500]);
    const u = draws({ dist: 'uniform', min: '1us', max: '3us' }, N);
    expect(lowest(u)).toBeGreaterThanOrEqual(1000);
    expect(highest(u)).toBeLessThanOrEqual(3000);
    // sd of the mean: 577/√N ≈ 1.3 ns.
    expect(Math.abs(mean(u) - 2000)).toBeLessThan(6);
  });

  it('exponential: mean and median ln 2 · mean, whole nanoseconds', () => {
    const x = draws({ dist: 'exponential', mean: '1ms' }, N);
    expect(x.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    // sd of the mean: 1ms/√N ≈ 0.22%.
    expect(Math.abs(mean(x) / 1e6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(quantile(x, 0.5) / (Math.LN2 * 1e6) - 1)).toBeLessThan(0.01);
  });

  it('normal is truncated at zero and reports the truncated mean', () => {
    const json = { dist: 'normal', mean: '1ms', sd: '1ms' };
    const s = makeSampler(parseDistribution(json, 'x'), streams(1).get('n'));
    // E[X | X > 0] for N(1, 1): 1 + φ(1)/Φ(1) = 1 + 0.24197/0.84134 = 1.28760.
    expect(s.mean / 1e6).toBeCloseTo(1.2876, 4);
    const x = draws(json, N);
    expect(lowest(x)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(mean(x) / s.mean - 1)).toBeLessThan(0.01);
  });

  it('lognormal hits the median and p99 it was given', () => {
    const json = { dist: 'lognormal', median: '0.1ms', p99: '0.3ms' };
    const x = draws(json, N);
    expect(Math.abs(quantile(x, 0.5) / 100_000 - 1)).toBeLessThan(0.01);
    expect(Math.abs(quantile(x, 0.99) / 300_000 - 1)).toBeLessThan(0.03);
    const sigma = Math.log(3) / Z99;
    const s = makeSampler(parseDistribution(json, 'x'), streams(1).get('l'));
    expect(s.mean).toBeCloseTo(100_000 * Math.exp((sigma * sigma) / 2), 6);
    expect(Math.abs(mean(x) / s.mean - 1)).toBeLessThan(0.01);
  });

  it('histogram: buckets by weight, uniform inside, empty buckets never drawn', () => {
    const json = { dist: 'histogram', bounds: [0, 1, 2, 10], weights: [50, 0, 50] };
    const x = draws(json, N);
    const inFirst = x.filter((v) => v <= 1e6).length / N;
    expect(Math.abs(inFirst - 0.5)).toBeLessThan(0.01);
    expect(x.filter((v) => v > 1e6 && v < 2e6).length).toBe(0);
    const s = makeSampler(parseDistribution(json, 'x'), streams(1).get('h'));
    expect(s.mean).toBe(0.5 * 0.5e6 + 0.5 * 6e6);
    expect(Math.abs(mean(x) / s.mean - 1)).toBeLessThan(0.01);
  });

  it('are reproducible from the seed and the stream name', () => {
    const spec = { dist: 'lognormal', median: 1, p99: 5 };
    expect(draws(spec, 100, 7)).toEqual(draws(spec, 100, 7));
    expect(draws(spec, 100, 8)).not.toEqual(draws(spec, 100, 7));
  });
});

describe('random streams', () => {
  it("a stream's sequence does not depend on which other streams exist", () => {
    const alone = streams(3).get('db');
    const crowded = streams(3);
    crowded.get('cache-1');
    const other = crowded.get('cache-2');
    other();
    const db = crowded.get('db');
    const a = [alone(), alone(), alone()];
    expect([db(), db(), db()]).toEqual(a);
    expect(streams(4).get('db')()).not.toBe(a[0]);
    expect(streams(3).get('db2')()).not.toBe(a[0]);
  });

  it('refuses to hand out the same stream twice', () => {
    const s = streams(1);
    s.get('x');
    expect(() => s.get('x')).toThrow('random stream "x" is already in use');
  });
});
