/**
 * How the gate writes numbers and tolerances, shared by the terminal table, the Markdown summary and the
 * JUnit messages so the three always agree.
 */
import type { Tolerance } from '../experiment/contract.ts';
import { type ComparisonRow, groupLabel } from './compare.ts';

/** Four significant digits, without exponent notation for counts and rates; '-' for nothing. */
export function formatNumber(x: number | null): string {
  if (x === null) return '-';
  if (x === 0) return '0';
  if (Math.abs(x) >= 1000) return Math.round(x).toString();
  return Number(x.toPrecision(4)).toString();
}

/** The change as `+0.0123 (+4.1%)`, the relative part against the baseline mean when it is not 0. */
export function formatDelta(r: ComparisonRow): string {
  if (r.delta === null) return '-';
  if (r.delta === 0) return '0';
  const sign = r.delta > 0 ? '+' : '-';
  const abs = `${sign}${formatNumber(Math.abs(r.delta))}`;
  const base = r.baseline.mean;
  if (base === null || base === 0) return abs;
  return `${abs} (${sign}${formatNumber(Math.abs((r.delta / base) * 100))}%)`;
}

/** `0.005 or 2%`, `none` without bounds. */
export function formatTolerance(t: Tolerance): string {
  const parts: string[] = [];
  if (t.abs !== undefined) parts.push(formatNumber(t.abs));
  if (t.rel !== undefined) parts.push(`${formatNumber(t.rel * 100)}%`);
  return parts.length === 0 ? 'none' : parts.join(' or ');
}

/** A side's mean with its number of seeds when there is more than one. */
export function formatSide(s: ComparisonRow['baseline']): string {
  const m = formatNumber(s.mean);
  return s.values.length > 1 ? `${m} (n=${s.values.length})` : m;
}

export const formatP = (p: number | null): string =>
  p === null ? '-' : p < 0.0001 ? '<0.0001' : p.toFixed(4);

/** The table's cells for one row, in the order of TABLE_HEADER. */
export function rowCells(r: ComparisonRow): string[] {
  return [
    r.metric,
    groupLabel(r.params),
    formatSide(r.baseline),
    formatSide(r.now),
    formatDelta(r),
    formatTolerance(r.tolerance),
    formatP(r.p),
    r.verdict,
  ];
}

export const TABLE_HEADER: readonly string[] = [
  'metric',
  'group',
  'baseline',
  'now',
  'delta',
  'tolerance',
  'p',
  'verdict',
];
