/**
 * Cache sizes as a user writes them: a percentage or fraction of the trace's footprint ("0.1%", "0.05f"),
 * an absolute byte size ("64MiB", byte mode only), or a plain count of units. Fractions round down as
 * libCacheSim does (0.1% of 48,974 objects is 48).
 */
import { InputError } from '../errors.ts';
import { parseBytes } from '../units.ts';

export type SizeSpec =
  | { kind: 'fraction'; fraction: number; text: string }
  | { kind: 'absolute'; units: number; text: string };

/** Splits a comma-separated list, keeping commas inside parentheses (policy parameters). */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

export function parseSizeList(text: string, byteMode: boolean): SizeSpec[] {
  const items = splitList(text);
  if (items.length === 0) throw new InputError('--size: expected at least one size');
  return items.map((t) => parseSize(t, byteMode));
}

export function parseSize(t: string, byteMode: boolean): SizeSpec {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) {
    const f = Number(pct[1]) / 100;
    if (f <= 0) throw new InputError(`--size: "${t}": a fraction must be above 0`);
    return { kind: 'fraction', fraction: f, text: t };
  }
  if (/^0?\.\d+$/.test(t)) return { kind: 'fraction', fraction: Number(t), text: t };
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n <= 0) throw new InputError(`--size: "${t}": must be above 0`);
    return { kind: 'absolute', units: n, text: t };
  }
  const bytes = parseBytes(t);
  if (bytes !== null) {
    if (!byteMode)
      throw new InputError(`--size: "${t}" is a byte size; add --bytes, or give an object count`);
    if (bytes <= 0) throw new InputError(`--size: "${t}": must be above 0`);
    return { kind: 'absolute', units: bytes, text: t };
  }
  throw new InputError(
    `--size: expected a percentage (1%), a fraction (0.01), a count or a byte size (64MiB), got "${t}"`,
  );
}

/** Capacity in units for a footprint (unique objects or unique bytes). */
export function resolveSize(s: SizeSpec, footprint: number): number {
  if (s.kind === 'absolute') return s.units;
  const c = Math.floor(s.fraction * footprint);
  if (c < 1) throw new InputError(`--size: ${s.text} of a footprint of ${footprint} rounds down to 0`);
  return c;
}
