/**
 * Confidence intervals and two-sample tests over replications (seeds): the statistics behind every
 * "mean ± 95% CI" and every "A beats B" in reports and in the regression gate. simple-statistics gives
 * means, variances and the t statistic but no t distribution, so the CDF and quantile come from the
 * stdlib-js packages (regularised incomplete beta underneath).
 *
 * Welch's test (unequal variances, Welch–Satterthwaite degrees of freedom) because two designs rarely
 * share a variance; with fewer than 2 samples on a side, or no variance on either side, there is no
 * test and `p` is null rather than a made-up number.
 *
 * The paired test (Student's t on the per-pair differences, n − 1 df) for two runs of the same seeds:
 * each seed replays the same workload on both sides, so the seed-to-seed spread cancels in the
 * differences and a small shift every seed shows is detected where Welch sees only noise. Differences
 * that do not vary at all are an exact shift: p = 0 when it is non-zero, null (no test) when it is zero.
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

export interface PairedResult {
  /** mean(a − b), pair by pair. */
  difference: number;
  /** ±Infinity when the differences are all equal and non-zero. */
  t: number | null;
  df: number | null;
  /** Two-sided p-value; null with fewer than 2 pairs, or differences all zero. */
  p: number | null;
}

/** The paired two-sided t-test of a against b, where a[i] and b[i] are one pair (same length). */
export function pairedTest(a: readonly number[], b: readonly number[]): PairedResult {
  if (a.length !== b.length) throw new RangeError(`pairedTest: ${a.length} values against ${b.length}`);
  if (a.length === 0) throw new RangeError('pairedTest: no pairs');
  const d = a.map((x, i) => x - b[i]);
  const difference = mean(d);
  if (d.length < 2) return { difference, t: null, df: null, p: null };
  const df = d.length - 1;
  const sd = Math.sqrt(sampleVariance(d));
  if (sd === 0) {
    if (difference === 0) return { difference, t: null, df, p: null };
    return { difference, t: Math.sign(difference) * Number.POSITIVE_INFINITY, df, p: 0 };
  }
  const t = difference / (sd / Math.sqrt(d.length));
  return { difference, t, df, p: 2 * tCdf(-Math.abs(t), df) };
}
