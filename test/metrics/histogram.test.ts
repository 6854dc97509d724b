import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from '../../src/metrics/histogram.ts';

function of(values: number[]): Histogram {
  const h = new Histogram();
  for (const v of values) h.record(v);
  return h;
}

describe('Histogram', () => {
  it('is exact below 256 and uses the nearest-rank rule', () => {
    const h = of([5, 1, 3, 200, 4]);
    expect([h.count, h.sum, h.min, h.max, h.mean]).toEqual([5, 213, 1, 200, 42.6]);
    expect([0, 0.2, 0.21, 0.5, 0.8, 0.81, 1].map((q) => h.quantile(q))).toEqual([1, 1, 3, 4, 5, 200, 200]);
  });

  it('reports the midpoint of a wider bucket, clamped to min and max; the extremes exactly', () => {
    // 1001 and 1002 lie in [1000, 1004) (octave 512..1023 cut into 128 buckets of 4): midpoint 1001.5.
    const h = of([1001, 1002, 1002, 10_003]);
    expect([h.quantile(0), h.quantile(0.5), h.quantile(0.75), h.quantile(1)]).toEqual([
      1001, 1001.5, 1001.5, 10_003,
    ]);
    expect(of([1002, 1002]).quantile(0.5)).toBe(1002);
    // 10,003 lies in [9984, 10048) (octave 8192..16383, buckets of 64): midpoint 10015.5, above the max.
    expect(of([10_003, 10_003, 10_003]).quantile(0.5)).toBe(10_003);
  });

  it('stays within 1% of the exact nearest-rank percentile over the whole range (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 2 ** 52, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (raw, q) => {
          const values = raw.map(Math.floor);
          const h = of(values);
          const sorted = [...values].sort((a, b) => a - b);
          const exact = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
          expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact * 0.01);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps huge values in the last bucket and max exact', () => {
    const h = of([2 ** 60, 1]);
    expect(h.quantile(1)).toBe(2 ** 60);
    expect(h.max).toBe(2 ** 60);
  });

  it('merges and resets', () => {
    const a = of([10, 20]);
    a.merge(of([30, 5]));
    expect([a.count, a.sum, a.min, a.max, a.quantile(0.5)]).toEqual([4, 65, 5, 30, 10]);
    a.reset();
    expect([a.count, a.sum, a.quantile(0.5)]).toEqual([0, 0, Number.NaN]);
  });

  it('refuses negative and NaN values and bad quantiles', () => {
    expect(() => of([-1])).toThrow('histogram: expected a value >= 0, got -1');
    expect(() => of([Number.NaN])).toThrow('histogram: expected a value >= 0, got NaN');
    expect(() => of([1]).quantile(1.5)).toThrow('histogram: expected a quantile in [0, 1], got 1.5');
  });
});
