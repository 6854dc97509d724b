/**
 * The sentences of a report: which configuration won on a metric, by how much, and whether the
 * difference holds across seeds. A claim of significance needs a Welch t-test (src/stats/t-tests.ts) on
 * at least MIN_SEEDS seeds a side with p < ALPHA; with fewer seeds the comparison is called indicative,
 * and at p ≥ ALPHA the report says there is no significant difference.
 */
import { meanInterval, welchTest } from '../stats/t-tests.ts';
import {
  formatDifference,
  formatInterval,
  formatP,
  formatPercent,
  formatValue,
  type MetricInfo,
} from './format.ts';

export const MIN_SEEDS = 5;
export const ALPHA = 0.05;

export interface Contender {
  label: string;
  values: readonly number[];
}

export type Significance = 'significant' | 'not-significant' | 'indicative' | 'untestable' | 'tied';

export interface Verdict {
  /** The best contender's label; null when no contender has a value. */
  winner: string | null;
  runnerUp: string | null;
  significance: Significance | null;
  p: number | null;
  sentence: string;
}

/** What the seeds say about the difference between two samples. */
export function significanceOf(
  a: readonly number[],
  b: readonly number[],
): { kind: Significance; p: number | null; text: string } {
  const n = Math.min(a.length, b.length);
  const w = welchTest(a, b);
  if (w.difference === 0) return { kind: 'tied', p: w.p, text: 'tied' };
  if (n < MIN_SEEDS) {
    const seeds = n === 1 ? 'one seed' : `${n} seeds`;
    const p = w.p === null ? '' : `, Welch ${formatP(w.p)}`;
    return {
      kind: 'indicative',
      p: w.p,
      text: `indicative only (${seeds}${p}; significance needs at least ${MIN_SEEDS})`,
    };
  }
  if (w.p === null)
    return { kind: 'untestable', p: null, text: `the same on every seed, so no test applies (${n} seeds)` };
  if (w.p < ALPHA)
    return { kind: 'significant', p: w.p, text: `significant (Welch ${formatP(w.p)}, ${n} seeds)` };
  return {
    kind: 'not-significant',
    p: w.p,
    text: `no significant difference (Welch ${formatP(w.p)}, ${n} seeds)`,
  };
}

/**
 * "At capacity=16KiB, nodes=2 had the highest hit ratio (74.95% ± 0.50 pp), 1.20 pp (1.6%) above nodes=1
 * (73.75% ± 0.40 pp): significant (Welch p = 0.003, 5 seeds)."
 */
export function compare(metric: MetricInfo, contenders: readonly Contender[], where: string): Verdict {
  const present = contenders.filter((c) => c.values.length > 0);
  const at = where === '' ? '' : `${where}, `;
  const At = at === '' ? '' : at[0].toUpperCase() + at.slice(1);
  if (present.length === 0)
    return {
      winner: null,
      runnerUp: null,
      significance: null,
      p: null,
      sentence: `${At}no configuration measured ${metric.label}.`,
    };
  const stats = present.map((c) => ({ c, iv: meanInterval(c.values) }));
  const better = (x: number, y: number): boolean => (metric.direction === 'higher' ? x > y : x < y);
  stats.sort((x, y) => (better(x.iv.mean, y.iv.mean) ? -1 : better(y.iv.mean, x.iv.mean) ? 1 : 0));
  const [best, second] = stats;
  const superlative = metric.direction === 'higher' ? 'highest' : 'lowest';
  const bestText = `${best.c.label} had the ${superlative} ${metric.label} (${formatInterval(best.iv, metric.unit)})`;
  if (!second)
    return {
      winner: best.c.label,
      runnerUp: null,
      significance: null,
      p: null,
      sentence: `${At}${bestText}; nothing to compare it with.`,
    };
  const sig = significanceOf(best.c.values, second.c.values);
  const d = best.iv.mean - second.iv.mean;
  const rel = second.iv.mean === 0 ? '' : ` (${formatPercent(Math.abs(d / second.iv.mean))})`;
  const dir = d > 0 ? 'above' : 'below';
  const vs = `${second.c.label} (${formatInterval(second.iv, metric.unit)})`;
  const sentence =
    sig.kind === 'tied'
      ? `${At}${best.c.label} and ${vs} were tied on ${metric.label} at ${formatValue(best.iv.mean, metric.unit)}.`
      : `${At}${bestText}, ${formatDifference(d, metric.unit)}${rel} ${dir} ${vs}: ${sig.text}.`;
  return { winner: best.c.label, runnerUp: second.c.label, significance: sig.kind, p: sig.p, sentence };
}
