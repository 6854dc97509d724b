/**
 * Tables of configurations × metrics: every number from several seeds as mean ± 95% CI, the number of
 * seeds, and with a baseline a delta column per metric (mean now − mean in the baseline for the same
 * sweep values, relative change, and Welch's p when both sides have enough seeds).
 */

import { mean } from 'simple-statistics';
import type { Baseline, CellParams } from '../experiment/contract.ts';
import { welchTest } from '../stats/t-tests.ts';
import type { Table, TableCell } from './blocks.ts';
import { type Context, intervalOf } from './context.ts';
import { formatInterval, formatP, formatSignedDifference, type MetricInfo } from './format.ts';
import { axisLabel, type Group, paramsKey, samples, valueText } from './groups.ts';
import { MIN_SEEDS } from './narrative.ts';

function baselineSamples(b: Baseline, metric: string, params: CellParams): number[] {
  const key = paramsKey(params);
  const e = b.entries.find((x) => x.metric === metric && paramsKey(x.params) === key);
  return e ? e.values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)) : [];
}

/** "+1.20 pp (+1.6%), p = 0.003" against the baseline, or "—" where the baseline has no such cell. */
export function deltaCell(now: readonly number[], before: readonly number[], unit: string): TableCell {
  if (now.length === 0 || before.length === 0) return { text: '—', sort: null };
  const a = mean(now as number[]);
  const b = mean(before as number[]);
  const d = a - b;
  const rel = b === 0 ? '' : ` (${d >= 0 ? '+' : '−'}${Math.abs((d / b) * 100).toFixed(1)}%)`;
  const w = welchTest(now, before);
  const p = Math.min(now.length, before.length) >= MIN_SEEDS && w.p !== null ? `, ${formatP(w.p)}` : '';
  return { text: `${formatSignedDifference(d, unit)}${rel}${p}`, sort: d };
}

export function groupTable(
  ctx: Context,
  caption: string,
  groups: readonly Group[],
  axes: readonly string[],
  metrics: readonly MetricInfo[],
): Table {
  const baseline = ctx.input.baseline;
  const columns = [
    ...axes.map((a) => ({ label: axisLabel(a, ctx.manifest.axes), numeric: false })),
    { label: 'seeds', numeric: true },
    ...metrics.flatMap((m) => [
      { label: m.label, numeric: true },
      ...(baseline ? [{ label: `Δ ${m.label} vs ${baseline.name}`, numeric: true }] : []),
    ]),
  ];
  const rows = groups.map((g): TableCell[] => [
    ...axes.map((a): TableCell => {
      const v = g.params[a];
      return { text: valueText(v), sort: typeof v === 'number' ? v : valueText(v) };
    }),
    { text: String(g.cells.length), sort: g.cells.length },
    ...metrics.flatMap((m): TableCell[] => {
      const iv = intervalOf(g.cells, m.name);
      const cell: TableCell = iv
        ? { text: formatInterval(iv, m.unit), sort: iv.mean }
        : { text: '—', sort: null };
      if (!baseline) return [cell];
      return [
        cell,
        deltaCell(samples(g.cells, m.name), baselineSamples(baseline.data, m.name, g.params), m.unit),
      ];
    }),
  ]);
  return { caption, columns, rows };
}
