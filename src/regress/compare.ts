/**
 * The regression gate's decision: a run's snapshot against the committed baseline, per metric and per
 * group of cells that differ only by seed (pure; the CLI reads and prints).
 *
 * The rule, for a metric whose better direction is `direction`:
 *   worse   = mean(now) − mean(baseline) for lower-is-better, the opposite for higher-is-better
 *   allowed = the larger of the bounds present: tolerance.abs, and tolerance.rel × |mean(baseline)|
 *             (0 when the metric has no tolerance)
 *   significant: a two-sided t-test (src/stats/t-tests.ts) of now against baseline gives p < 0.05. When
 *             both sides ran exactly the same seeds (the usual case: each seed replays the same workload
 *             on both), the paired test on the per-seed differences, over the seeds with a value on both
 *             sides (≥ 2 needed); seed-to-seed spread cancels there, so a small shift every seed shows
 *             is caught where Welch's test sees noise. Otherwise Welch's test, with ≥ 2 values on both
 *             sides. With fewer values there is no test and any difference counts, as it also does when
 *             nothing varies (differences all equal, or neither side varying: the shift is exact)
 *   regression  when worse > allowed and significant
 *   improvement when −worse > allowed and significant
 *   pass        otherwise
 * So a move beyond tolerance that the seeds cannot tell from noise passes (a new random stream that
 * reshuffles the seeds' values), and a move within tolerance passes however significant it is. Null
 * values (a cell that measured nothing) are left out; a group that measured something in the baseline
 * and nothing now is a regression.
 *
 * Runs are incomparable (the gate cannot judge, exit 2) when the experiment, the trace hash, the set of
 * metrics, a metric's direction or the set of parameter groups differ. A different config hash or code
 * version is what the gate exists to judge, so those are only noted, as are changed tolerances (the
 * run's own tolerances apply) and changed seeds.
 */
import { mean } from 'simple-statistics';
import { canonicalJson } from '../config/canonical.ts';
import type { Baseline, BaselineEntry, CellParams, Direction, Tolerance } from '../experiment/contract.ts';
import { pairedTest, welchTest } from '../stats/t-tests.ts';

/** Significance level of the two-sample test. */
export const ALPHA = 0.05;

export type Verdict = 'pass' | 'regression' | 'improvement';

export interface SideValues {
  /** Non-null values, in seed order. */
  values: number[];
  mean: number | null;
}

export interface ComparisonRow {
  metric: string;
  direction: Direction;
  params: CellParams;
  /** The run's tolerance, which the verdict uses. */
  tolerance: Tolerance;
  baseline: SideValues;
  now: SideValues;
  /** mean(now) − mean(baseline); null when either side measured nothing. */
  delta: number | null;
  /** How far the metric may move in the worse direction, in its own units. */
  allowed: number | null;
  /** The two-sided p-value of `test`; null without a test. */
  p: number | null;
  /** Which test gave `p`: paired when both sides ran the same seeds, Welch otherwise; null without one. */
  test: 'paired' | 'welch' | null;
  verdict: Verdict;
  /** One sentence on why, naming the metric. */
  reason: string;
}

export interface Comparison {
  experiment: string;
  rows: ComparisonRow[];
  /** Differences that are allowed but worth saying (config hash, code version, tolerances, seeds). */
  notes: string[];
  /** Why the two cannot be compared; when non-empty, `rows` is empty. */
  problems: string[];
}

/** The allowance of `tolerance` at a baseline mean: the larger of the bounds present, 0 without any. */
export function allowance(tolerance: Tolerance, baselineMean: number): number {
  let allowed = 0;
  if (tolerance.abs !== undefined) allowed = Math.max(allowed, tolerance.abs);
  if (tolerance.rel !== undefined) allowed = Math.max(allowed, tolerance.rel * Math.abs(baselineMean));
  return allowed;
}

/** `metric [a=1 b=x]`, or the bare metric when the experiment has no sweep. */
export function groupLabel(params: CellParams): string {
  const parts = Object.entries(params).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return parts.length === 0 ? 'all' : parts.join(' ');
}

function side(values: readonly (number | null)[]): SideValues {
  const xs = values.filter((v): v is number => v !== null);
  return { values: xs, mean: xs.length === 0 ? null : mean(xs) };
}

const short = (x: number): string => Number(x.toPrecision(4)).toString();

/** The verdict on one metric of one group (see the module comment for the rule). */
export function judge(before: BaselineEntry, after: BaselineEntry): ComparisonRow {
  const baseline = side(before.values);
  const now = side(after.values);
  const name = `${after.metric} [${groupLabel(after.params)}]`;
  const row = (
    verdict: Verdict,
    reason: string,
    delta: number | null = null,
    allowed: number | null = null,
    p: number | null = null,
    test: 'paired' | 'welch' | null = null,
  ): ComparisonRow => ({
    metric: after.metric,
    direction: after.direction,
    params: after.params,
    tolerance: after.tolerance,
    baseline,
    now,
    delta,
    allowed,
    p,
    test,
    verdict,
    reason,
  });
  if (baseline.mean === null && now.mean === null)
    return row('pass', `${name}: measured nothing in either run`);
  if (now.mean === null) return row('regression', `${name}: measured nothing now, the baseline had values`);
  if (baseline.mean === null) return row('pass', `${name}: measured nothing in the baseline, has values now`);

  const delta = now.mean - baseline.mean;
  const worse = after.direction === 'lower' ? delta : -delta;
  const allowed = allowance(after.tolerance, baseline.mean);
  const pairs = pairedValues(before, after);
  const welch = pairs === null && baseline.values.length >= 2 && now.values.length >= 2;
  const test = pairs !== null ? 'paired' : welch ? 'welch' : null;
  const result =
    pairs !== null
      ? pairedTest(pairs.now, pairs.baseline)
      : welch
        ? welchTest(now.values, baseline.values)
        : null;
  const p = result === null ? null : result.p;
  const significant = p === null || p < ALPHA;
  const moved = `${delta > 0 ? 'rose' : 'fell'} by ${short(Math.abs(delta))}`;
  const evidence = describeTest(test, result, pairs === null ? 0 : pairs.now.length);
  if (worse > allowed && significant)
    return row(
      'regression',
      `${name} ${moved}, beyond its tolerance ${short(allowed)} (${evidence})`,
      delta,
      allowed,
      p,
      test,
    );
  if (-worse > allowed && significant)
    return row(
      'improvement',
      `${name} ${moved}, beyond its tolerance ${short(allowed)} (${evidence})`,
      delta,
      allowed,
      p,
      test,
    );
  const why =
    delta === 0
      ? 'unchanged'
      : Math.abs(delta) <= allowed
        ? `${moved}, within its tolerance ${short(allowed)}`
        : `${moved}, beyond its tolerance ${short(allowed)} but within noise (${evidence})`;
  return row('pass', `${name} ${why}`, delta, allowed, p, test);
}

/** What the test said, in words, for a row's reason. */
function describeTest(
  test: 'paired' | 'welch' | null,
  result: { t: number | null; p: number | null } | null,
  pairs: number,
): string {
  if (test === null || result === null) return 'no test with one seed';
  if (test === 'welch') return result.p === null ? 'no variance on either side' : `p = ${short(result.p)}`;
  if (result.p === null) return 'no difference on any seed';
  if (result.t !== null && !Number.isFinite(result.t)) return `the same shift on all ${pairs} seeds`;
  return `paired p = ${short(result.p)}`;
}

/**
 * The two sides as pairs, in seed order, when both ran exactly the same seeds, measured something on the
 * same ones (so the mean of the differences is the row's delta) and at least two pairs remain; null
 * otherwise (then the sides are independent samples).
 */
function pairedValues(
  before: BaselineEntry,
  after: BaselineEntry,
): { baseline: number[]; now: number[] } | null {
  if (canonicalJson(before.seeds) !== canonicalJson(after.seeds)) return null;
  const baseline: number[] = [];
  const now: number[] = [];
  for (let i = 0; i < after.values.length; i++) {
    const b = before.values[i];
    const a = after.values[i];
    if ((a === null) !== (b === null)) return null;
    if (a === null || b === null) continue;
    baseline.push(b);
    now.push(a);
  }
  return now.length >= 2 ? { baseline, now } : null;
}

function keyOf(e: BaselineEntry): string {
  return `${e.metric}\u0000${canonicalJson(e.params)}`;
}

function sameTolerance(a: Tolerance, b: Tolerance): boolean {
  return a.abs === b.abs && a.rel === b.rel;
}

/** Compares the run's snapshot `now` against `baseline`. */
export function compare(baseline: Baseline, now: Baseline): Comparison {
  const problems: string[] = [];
  const notes: string[] = [];
  if (baseline.experiment !== now.experiment)
    problems.push(`experiment: the baseline is of "${baseline.experiment}", the run of "${now.experiment}"`);
  if (baseline.traceHash !== now.traceHash)
    problems.push(
      `traceHash: the baseline was measured on another trace (${baseline.traceHash.slice(0, 12)}…, now ${now.traceHash.slice(0, 12)}…)`,
    );

  const metricsOf = (b: Baseline): string[] => [...new Set(b.entries.map((e) => e.metric))];
  const before = metricsOf(baseline);
  const after = metricsOf(now);
  const missing = before.filter((m) => !after.includes(m));
  const added = after.filter((m) => !before.includes(m));
  if (missing.length > 0 || added.length > 0)
    problems.push(
      `metrics: ${[...missing.map((m) => `"${m}" is in the baseline only`), ...added.map((m) => `"${m}" is in the run only`)].join(', ')}`,
    );

  const baselineByKey = new Map(baseline.entries.map((e) => [keyOf(e), e]));
  const nowKeys = new Set(now.entries.map(keyOf));
  const shared = new Set(before.filter((m) => after.includes(m)));
  const groupsOnly = (entries: BaselineEntry[], other: { has(key: string): boolean }): string[] => [
    ...new Set(
      entries.filter((e) => shared.has(e.metric) && !other.has(keyOf(e))).map((e) => groupLabel(e.params)),
    ),
  ];
  const runOnly = groupsOnly(now.entries, baselineByKey);
  const baselineOnly = groupsOnly(baseline.entries, nowKeys);
  if (runOnly.length > 0 || baselineOnly.length > 0)
    problems.push(
      `parameter groups: ${[...runOnly.map((g) => `[${g}] is in the run only`), ...baselineOnly.map((g) => `[${g}] is in the baseline only`)].join(', ')}`,
    );

  for (const e of now.entries) {
    const b = baselineByKey.get(keyOf(e));
    if (b !== undefined && b.direction !== e.direction)
      problems.push(
        `${e.metric}: direction: the baseline has "${b.direction}" is better, the run "${e.direction}" is better`,
      );
  }
  if (problems.length > 0)
    return { experiment: now.experiment, rows: [], notes, problems: [...new Set(problems)] };

  if (baseline.configHash !== now.configHash)
    notes.push(`the config changed since the baseline (configHash ${baseline.configHash.slice(0, 12)}…)`);
  if (baseline.codeVersion !== now.codeVersion)
    notes.push(`the code changed since the baseline (${baseline.codeVersion} → ${now.codeVersion})`);
  const rows = now.entries.map((e) => {
    const b = baselineByKey.get(keyOf(e))!;
    if (!sameTolerance(b.tolerance, e.tolerance))
      notes.push(`${e.metric}: tolerance changed since the baseline; the run's applies`);
    if (canonicalJson(b.seeds) !== canonicalJson(e.seeds))
      notes.push(`seeds changed since the baseline: ${b.seeds.join(',')} → ${e.seeds.join(',')}`);
    return judge(b, e);
  });
  return { experiment: now.experiment, rows, notes: [...new Set(notes)], problems };
}

/** The rows that fail the gate. */
export function regressions(c: Comparison): ComparisonRow[] {
  return c.rows.filter((r) => r.verdict === 'regression');
}
