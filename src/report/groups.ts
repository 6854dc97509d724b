/**
 * Configurations of an experiment: the cells that differ only by seed, grouped, labelled by their sweep
 * values, with the samples of each metric across seeds (what the intervals and Welch tests take).
 */
import type { CellParams, JsonValue, SummaryCell, SweepAxis } from '../experiment/contract.ts';

export interface Group {
  /** paramsKey of the cells' params. */
  key: string;
  params: CellParams;
  /** Every cell of the configuration, in summary order (one per seed). */
  cells: SummaryCell[];
}

/** A key equal for equal params whatever the order of their fields. */
export function paramsKey(params: CellParams): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

/** Groups cells by params, in the order each configuration first appears. */
export function groupCells(cells: readonly SummaryCell[]): Group[] {
  const out = new Map<string, Group>();
  for (const c of cells) {
    const key = paramsKey(c.params);
    let g = out.get(key);
    if (!g) {
      g = { key, params: c.params, cells: [] };
      out.set(key, g);
    }
    g.cells.push(c);
  }
  return [...out.values()];
}

/** A sweep axis' short name: the last segment of its config path ("tiers.redis.capacity" → "capacity"). */
export function axisLabel(name: string, axes: readonly SweepAxis[] = []): string {
  const short = name.split('.').pop() ?? name;
  // Two axes ending alike keep their full paths, so labels stay unambiguous.
  const clash = axes.filter((a) => (a.name.split('.').pop() ?? a.name) === short).length > 1;
  return clash ? name : short;
}

export function valueText(v: JsonValue | undefined): string {
  if (v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** "capacity=16KiB, nodes=2" over the named axes; "all" when there are none. */
export function paramsLabel(
  params: CellParams,
  names: readonly string[],
  axes: readonly SweepAxis[],
): string {
  if (names.length === 0) return 'all';
  return names.map((n) => `${axisLabel(n, axes)}=${valueText(params[n])}`).join(', ');
}

/** The non-null values of `metric` across the group's seeds. */
export function samples(
  cells: readonly { metrics: Record<string, number | null> }[],
  metric: string,
): number[] {
  const out: number[] = [];
  for (const c of cells) {
    const v = c.metrics[metric];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}
