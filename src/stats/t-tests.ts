/**
 * Confidence intervals and two-sample tests over replications (seeds): the statistics behind every
 * "mean ± 95% CI" and every "A beats B" in reports and in the regression gate. simple-statistics gives
 * means, variances and the t statistic but no t distribution, so the CDF and quantile come from the
 * stdlib-js packages (regularised incomplete beta underneath).
 *
 * Welch's test (unequal variances, Welch–Satterthwaite degrees of freedom) because two designs rarely
 * share a variance; with fewer than 2 samples on a side, or no variance on either side, there is no
 * test and `p` is null rather than a made-up number.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleVariance } from 'simple-statistics';

export interface MeanInterval {
  n: number;
  mean: number;
  /** Half-width of the interval; null with fewer than two samples. */
  halfWidth: number | null;
  lo: number;
  hi: number;
}

/** Mean and two-sided t interval at `level` (0.95 by default) of a sample of at least one value. */
export function meanInterval(xs: readonly number[], level = 0.95): MeanInterval {
  if (xs.length === 0) throw new RangeError('meanInterval: no samples');
  const m = mean(xs as number[]);
  if (xs.length < 2) return { n: xs.length, mean: m, halfWidth: null, lo: m, hi: m };
  const se = Math.sqrt(sampleVariance(xs as number[]) / xs.length);
  const h = tQuantile(1 - (1 - level) / 2, xs.length - 1) * se;
  return { n: xs.length, mean: m, halfWidth: h, lo: m - h, hi: m + h };
}

export interface WelchResult {
  /** mean(a) − mean(b). */
  difference: number;
  t: number | null;
  df: number | null;
  /** Two-sided p-value; null when the test is undefined (n < 2 on a side, or zero variance on both). */
  p: number | null;
}

/** Welch's two-sample t-test of a against b, two-sided. */
export function welchTest(a: readonly number[], b: readonly number[]): WelchResult {
  const difference = mean(a as number[]) - mean(b as number[]);
  if (a.length < 2 || b.length < 2) return { difference, t: null, df: null, p: null };
  const va = sampleVariance(a as number[]) / a.length;
  const vb = sampleVariance(b as number[]) / b.length;
  const se2 = va + vb;
  if (se2 === 0) return { difference, t: null, df: null, p: null };
  const t = difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  const p = 2 * tCdf(-Math.abs(t), df);
  return { difference, t, df, p };
}
