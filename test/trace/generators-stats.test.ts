/**
 * Statistical checks of the generators against theory, on fixed seeds (so they are deterministic): Zipf
 * frequencies against the exact pmf (chi-square) and the fitted log-log slope, op and TTL fractions,
 * size distribution moments, and arrival rates (Poisson, diurnal, bursty).
 */
import { describe, expect, it } from 'vitest';
import { OP_DELETE, OP_GET, OP_SET } from '../../src/trace/api.ts';
import { AliasTable } from '../../src/trace/generators/alias.ts';
import { Streams } from '../../src/trace/generators/rng.ts';
import { permutation, zipfWeights } from '../../src/trace/generators/zipf.ts';
import { generate } from '../helpers/generated.ts';

function pmf(objects: number, alpha: number): Float64Array {
  const w = zipfWeights(objects, alpha);
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** Pearson's statistic of observed counts against probabilities. */
function chiSquare(counts: ArrayLike<number>, p: Float64Array): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) total += counts[i];
  let x = 0;
  for (let i = 0; i < p.length; i++) {
    const e = total * p[i];
    x += (counts[i] - e) ** 2 / e;
  }
  return x;
}

/** The 1 − 1e-6 point of chi-square(df), by the Wilson–Hilferty approximation (z = 4.75). */
function chiSquareLimit(df: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + 4.75 * Math.sqrt(a)) ** 3;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

describe('Zipf sampling is exact', () => {
  for (const alpha of [0.6, 1, 1.2]) {
    it(`alias table: 1e6 draws fit the pmf for alpha ${alpha}, and reject a neighbouring alpha`, () => {
      const n = 1000;
      const table = new AliasTable(zipfWeights(n, alpha));
      const rng = new Streams(3).get('test');
      const out = new Uint32Array(100_000);
      const counts = new Float64Array(n);
      for (let k = 0; k < 10; k++) {
        table.fill(out, 0, out.length, rng);
        for (const r of out) counts[r]++;
      }
      expect(chiSquare(counts, pmf(n, alpha))).toBeLessThan(chiSquareLimit(n - 1));
      // The test has power: alpha + 0.02 lands well beyond the limit.
      expect(chiSquare(counts, pmf(n, alpha + 0.02))).toBeGreaterThan(1.5 * chiSquareLimit(n - 1));
    });
  }

  for (const alpha of [0.6, 1.2]) {
    it(`generator: request counts by popularity rank fit the pmf for alpha ${alpha}`, () => {
      const n = 1000;
      const seed = 11;
      const c = generate({ generator: 'zipf', requests: 1_000_000, objects: n, alpha }, seed);
      // Rebuild rank → object with the generator's own permutation stream.
      const perm = permutation(n, new Streams(seed).get('permutation'));
      const rankOf = new Uint32Array(n);
      perm.forEach((obj, r) => {
        rankOf[obj] = r;
      });
      const counts = new Float64Array(n);
      for (const o of c.object) counts[rankOf[o]]++;
      expect(chiSquare(counts, pmf(n, alpha))).toBeLessThan(chiSquareLimit(n - 1));
      expect(perm[0]).not.toBe(0); // rank 0 is not key 0
      // The most requested object is the rank-0 object.
      const top = counts.indexOf(Math.max(...counts));
      expect(top).toBe(0);
    });
  }

  it('generator: the log-log slope of frequency against rank is alpha (0.9, 10k objects)', () => {
    const n = 10_000;
    const seed = 4;
    const c = generate({ generator: 'zipf', requests: 1_000_000, objects: n, alpha: 0.9 }, seed);
    const perm = permutation(n, new Streams(seed).get('permutation'));
    const countOf = new Map<number, number>();
    for (const o of c.object) countOf.set(o, (countOf.get(o) ?? 0) + 1);
    // Least squares over ranks 1..200, where every rank has hundreds of requests.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = 0; r < 200; r++) {
      xs.push(Math.log(r + 1));
      ys.push(Math.log(countOf.get(perm[r]) ?? 0));
    }
    const mx = mean(xs);
    const my = mean(ys);
    let sxy = 0;
    let sxx = 0;
    xs.forEach((x, i) => {
      sxy += (x - mx) * (ys[i] - my);
      sxx += (x - mx) ** 2;
    });
    expect(-sxy / sxx).toBeGreaterThan(0.87);
    expect(-sxy / sxx).toBeLessThan(0.93);
  });
});

describe('ops and TTLs', () => {
  const c = generate({
    generator: 'uniform',
    requests: 100_000,
    objects: 1000,
    ops: { get: 0.7, set: 0.2, delete: 0.1 },
    ttl: { dist: 'uniform', min: 60, max: 120, fraction: 0.5 },
    arrivals: { process: 'poisson', rate: 100 },
  });

  it('op fractions match the spec', () => {
    const share = (op: number) => c.op.filter((o) => o === op).length / c.op.length;
    expect(Math.abs(share(OP_GET) - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(share(OP_SET) - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(share(OP_DELETE) - 0.1)).toBeLessThan(0.01);
  });

  it('TTLs: only on sets, on the given fraction of them, within the distribution', () => {
    const sets = c.ttl.filter((_, i) => c.op[i] === OP_SET);
    const others = c.ttl.filter((_, i) => c.op[i] !== OP_SET);
    expect(others.every((t) => t === 0)).toBe(true);
    const withTtl = sets.filter((t) => t > 0);
    expect(Math.abs(withTtl.length / sets.length - 0.5)).toBeLessThan(0.02);
    expect(Math.min(...withTtl)).toBe(60);
    expect(Math.max(...withTtl)).toBe(120);
    expect(Math.abs(mean(withTtl) - 90)).toBeLessThan(1);
  });
});

describe('object sizes', () => {
  /** One size per distinct object, over ~95k objects. */
  function sizesOf(sizes: Record<string, unknown>): number[] {
    const c = generate({ generator: 'uniform', requests: 300_000, objects: 100_000, sizes });
    const seen = new Map<number, number>();
    c.object.forEach((o, i) => {
      seen.set(o, c.size[i]);
    });
    return [...seen.values()];
  }

  it('constant and uniform', () => {
    expect(new Set(sizesOf({ dist: 'constant', value: 4096 }))).toEqual(new Set([4096]));
    const u = sizesOf({ dist: 'uniform', min: 100, max: 200 });
    expect(Math.min(...u)).toBe(100);
    expect(Math.max(...u)).toBe(200);
    expect(Math.abs(mean(u) - 150)).toBeLessThan(0.5);
  });

  it('lognormal: mean exp(mu + sigma²/2), and ln(size) has mean mu and sd sigma', () => {
    const s = sizesOf({ dist: 'lognormal', mu: 6, sigma: 1 });
    expect(mean(s) / Math.exp(6.5)).toBeCloseTo(1, 1);
    expect(Math.abs(mean(s) / Math.exp(6.5) - 1)).toBeLessThan(0.02);
    const logs = s.map(Math.log);
    expect(Math.abs(mean(logs) - 6)).toBeLessThan(0.01);
    expect(Math.abs(sd(logs) - 1)).toBeLessThan(0.01);
  });

  it('pareto: mean shape·scale/(shape − 1), never below scale; max caps', () => {
    const s = sizesOf({ dist: 'pareto', scale: 100, shape: 3 });
    expect(Math.abs(mean(s) / 150 - 1)).toBeLessThan(0.01);
    expect(Math.min(...s)).toBe(100);
    expect(Math.max(...sizesOf({ dist: 'pareto', scale: 100, shape: 1, max: 5000 }))).toBe(5000);
  });
});

describe('arrivals', () => {
  const gaps = (t: readonly number[]) => t.slice(1).map((x, i) => x - t[i]);

  it('poisson: integer µs, non-decreasing, mean rate and exponential gaps (cv 1)', () => {
    const c = generate({
      generator: 'uniform',
      requests: 100_000,
      objects: 10,
      arrivals: { process: 'poisson', rate: 1000 },
    });
    expect(c.time.every((t, i) => Number.isInteger(t) && (i === 0 || t >= c.time[i - 1]))).toBe(true);
    expect(Math.abs(c.time[c.time.length - 1] / 1e8 - 1)).toBeLessThan(0.015); // 1e5 requests at 1000/s
    const g = gaps(c.time);
    expect(Math.abs(sd(g) / mean(g) - 1)).toBeLessThan(0.02);
  });

  it('diurnal: the rate follows the sine — ~3× more requests in the high half-period', () => {
    const period = 10;
    const amplitude = 0.8;
    const c = generate({
      generator: 'uniform',
      requests: 200_000,
      objects: 10,
      arrivals: { process: 'diurnal', rate: 1000, period, amplitude },
    });
    let high = 0;
    for (const t of c.time) if ((t / 1e6) % period < period / 2) high++;
    const expected = (1 + (2 * amplitude) / Math.PI) / (1 - (2 * amplitude) / Math.PI); // 3.07
    expect(Math.abs(high / (c.time.length - high) / expected - 1)).toBeLessThan(0.03);
    expect(Math.abs(c.time[c.time.length - 1] / 2e8 - 1)).toBeLessThan(0.02); // mean rate 1000/s
  });

  it('bursty: long-run rate rate·on/(on + off), with silent off periods', () => {
    const c = generate({
      generator: 'uniform',
      requests: 400_000,
      objects: 10,
      arrivals: { process: 'bursty', rate: 1000, on: 0.05, off: 0.15 },
    });
    expect(Math.abs(c.time[c.time.length - 1] / 1.6e9 - 1)).toBeLessThan(0.04); // 250/s on average
    // Gaps over 100 ms never happen at 1000/s (p = e^-100); here they are the long off periods.
    const long = gaps(c.time).filter((g) => g > 100_000).length;
    expect(long).toBeGreaterThan(1000);
  });
});
