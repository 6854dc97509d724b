/**
 * The compact table `cachetopo run` prints after a sweep: one row per combination of sweep values, each
 * metric averaged over the seeds that ran (the seed count in its own column), so a sweep of hundreds of
 * cells still reads at a glance. The full per-cell numbers are in summary.json.
 */
import { columns } from '../columns.ts';
import { canonicalJson } from '../config/canonical.ts';
import type { MetricSpec, Summary, SummaryCell } from './contract.ts';

function show(v: unknown): string {
  if (v === undefined) return '-';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function num(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '-';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(4);
}

export function formatSummaryTable(summary: Summary, metrics: readonly MetricSpec[]): string {
  const groups = new Map<string, SummaryCell[]>();
  for (const c of summary.cells) {
    const key = canonicalJson(c.params);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  // Every params key in order of appearance: the sweep axes, then `ideal` when the ideal configuration ran.
  const axes = [...new Set(summary.cells.flatMap((c) => Object.keys(c.params)))];
  const header = [...axes, 'seeds', ...metrics.map((m) => m.name)];
  const rows = [...groups.values()].map((cells) => {
    const mean = (name: string): number | null => {
      const xs = cells.map((c) => c.metrics[name]).filter((x): x is number => typeof x === 'number');
      return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    return [
      ...axes.map((a) => show(cells[0].params[a])),
      String(cells.length),
      ...metrics.map((m) => num(mean(m.name))),
    ];
  });
  return `${columns([header, ...rows], { align: 'l'.repeat(axes.length) }).join('\n')}\n`;
}
