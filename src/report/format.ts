/**
 * How report numbers are printed: metric values by unit (ratios as percentages, milliseconds, rates),
 * differences (percentage points for ratios), mean ± 95% CI half-widths and p-values. One place, so the
 * narrative, the tables and every output format agree digit for digit.
 */
import type { Direction, MetricSpec } from '../experiment/contract.ts';
import type { MeanInterval } from '../stats/t-tests.ts';

export interface MetricInfo {
  name: string;
  label: string;
  direction: Direction;
  unit: string;
}

/** The metric's spec from the manifest, or one inferred from its name. */
export function metricInfo(name: string, specs: readonly MetricSpec[]): MetricInfo {
  const s = specs.find((m) => m.name === name);
  const unit = s?.unit ?? inferUnit(name);
  const direction = s?.direction ?? (/hit/i.test(name) ? 'higher' : 'lower');
  return { name, label: s?.label ?? name, direction, unit };
}

function inferUnit(name: string): string {
  if (/ratio$/i.test(name)) return 'ratio';
  if (/ms/i.test(name)) return 'ms';
  if (/qps$/i.test(name)) return 'qps';
  return '';
}

/** Four significant digits, without exponent for ordinary magnitudes. */
function sig(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4) return Math.round(x).toLocaleString('en-US');
  const digits = Math.max(0, 3 - Math.floor(Math.log10(a)));
  return x.toFixed(Math.min(digits, 6));
}

export function formatValue(x: number | null, unit: string): string {
  if (x === null) return '—';
  if (unit === 'ratio') return `${(x * 100).toFixed(2)}%`;
  if (unit === '$') return `$${sig(x)}`;
  return unit === '' ? sig(x) : `${sig(x)} ${unit}`;
}

/** A difference of two values of the unit: percentage points for ratios. */
export function formatDifference(d: number, unit: string): string {
  if (unit === 'ratio') return `${(Math.abs(d) * 100).toFixed(2)} pp`;
  return formatValue(Math.abs(d), unit);
}

export function formatSignedDifference(d: number, unit: string): string {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  return `${sign}${formatDifference(d, unit)}`;
}

/** "74.92% ± 0.31 pp" (mean ± half-width of the 95% interval), or the mean alone from one seed. */
export function formatInterval(iv: MeanInterval, unit: string): string {
  const m = formatValue(iv.mean, unit);
  if (iv.halfWidth === null) return m;
  if (unit === 'ratio') return `${m} ± ${formatDifference(iv.halfWidth, unit)}`;
  // The unit once, after both numbers: "5.141 ± 0.437 ms".
  const hw = formatValue(iv.halfWidth, '')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
  if (unit === '$') return `${m} ± $${hw}`;
  return unit === '' ? `${m} ± ${hw}` : `${formatValue(iv.mean, '')} ± ${hw} ${unit}`;
}

export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** An integer with thousands separators, the same in every locale: formatCount(1234567) = "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A fraction as a percentage with `digits` decimals: formatPercent(0.1234) = "12.3%". */
export function formatPercent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}
