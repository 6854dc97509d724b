import { describe, expect, it } from 'vitest';
import { meanInterval, pairedTest, welchTest } from '../../src/stats/t-tests.ts';

describe('meanInterval', () => {
  it('uses the t quantile: n = 5, t(0.975, 4) = 2.776', () => {
    // mean 3, sample sd sqrt(2.5), se = sqrt(0.5) = 0.7071; half-width 2.7764 × 0.7071 = 1.9632
    const r = meanInterval([1, 2, 3, 4, 5]);
    expect(r.mean).toBe(3);
    expect(r.halfWidth).toBeCloseTo(1.9632, 3);
    expect(r.lo).toBeCloseTo(1.0368, 3);
  });
  it('has no interval for one sample', () => {
    expect(meanInterval([7])).toEqual({ n: 1, mean: 7, halfWidth: null, lo: 7, hi: 7 });
  });
});

describe('welchTest', () => {
  it('gives p = 0.05 at the tabulated t(0.975, 8) = 2.306004', () => {
    // Equal sizes and variances: se² = 2.5/5 + 2.5/5 = 1, Welch df = 2(n − 1) = 8, t = −d.
    const a = [1, 2, 3, 4, 5];
    const r = welchTest(
      a,
      a.map((x) => x + 2.306004),
    );
    expect(r.t).toBeCloseTo(-2.306004, 6);
    expect(r.df).toBeCloseTo(8, 9);
    expect(r.p).toBeCloseTo(0.05, 6);
  });
  it('computes the Welch–Satterthwaite df by hand', () => {
    // var(a) = 0.997, var(b) = 0.657: se² = 0.3308, t = −2.44 / 0.57515, df = 0.3308² / (0.1994²/4 + 0.1314²/4)
    const r = welchTest([19.1, 18.4, 20.2, 21.0, 19.7], [22.3, 21.8, 23.0, 20.9, 22.6]);
    expect(r.t).toBeCloseTo(-4.2424, 3);
    expect(r.df).toBeCloseTo(7.676, 2);
    expect(r.p).toBeGreaterThan(0.001);
    expect(r.p).toBeLessThan(0.01);
  });
  it('is undefined without variance or with one sample', () => {
    expect(welchTest([1, 1], [1, 1]).p).toBeNull();
    expect(welchTest([1], [2, 3]).p).toBeNull();
  });
});

describe('pairedTest', () => {
  it('tests the differences by hand: d = 1, 2, 3', () => {
    // mean 2, sd 1, se = 1/√3, t = 2√3 = 3.4641 on 2 df; with 2 df the t CDF is closed-form,
    // p = 1 − t / √(2 + t²) = 1 − √12 / √14 = 0.074180
    const r = pairedTest([10, 12, 15], [9, 10, 12]);
    expect(r.difference).toBe(2);
    expect(r.t).toBeCloseTo(3.464102, 6);
    expect(r.df).toBe(2);
    expect(r.p).toBeCloseTo(0.07418, 5);
    // Welch on the same values sees the seeds' spread: t = 2 / √(26/9) = 1.177.
    expect(welchTest([10, 12, 15], [9, 10, 12]).p).toBeGreaterThan(0.3);
  });
  it('gives p = 0.05 at the tabulated t(0.975, 4) = 2.776445', () => {
    // d = c ± 1 around c with sd √2.5 … : d = [c−2, c−1, c, c+1, c+2], sd √2.5, se = √0.5
    const c = 2.776445 * Math.sqrt(0.5);
    const r = pairedTest([c - 2, c - 1, c, c + 1, c + 2], [0, 0, 0, 0, 0]);
    expect(r.df).toBe(4);
    expect(r.p).toBeCloseTo(0.05, 6);
  });
  it('calls a constant non-zero shift exact (p = 0), no shift no test, one pair no test', () => {
    expect(pairedTest([2, 3, 5], [1, 2, 4])).toEqual({
      difference: 1,
      t: Number.POSITIVE_INFINITY,
      df: 2,
      p: 0,
    });
    expect(pairedTest([1, 2], [1, 2]).p).toBeNull();
    expect(pairedTest([1], [3])).toEqual({ difference: -2, t: null, df: null, p: null });
    expect(() => pairedTest([1, 2], [1])).toThrow(RangeError);
  });
});
