import { describe, expect, it } from 'vitest';
import { meanInterval, welchTest } from '../../src/stats/t-tests.ts';

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
