/** Parsing and printing of byte sizes ("64MiB", "1.5GB", "4096") shared by the CLI and configs. */
import { InputError } from './errors.ts';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes in a size like "64MiB", "1.5GB" or "4096" (rounded down to whole bytes); null if not a size. */
export function parseBytes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return null;
  const mult = UNITS[m[2].toLowerCase()];
  if (mult === undefined) return null;
  return Math.floor(Number(m[1]) * mult);
}

export function parseBytesOrThrow(text: string, where: string): number {
  const n = parseBytes(text);
  if (n === null)
    throw new InputError(`${where}: expected a size like "64MiB", "1.5GB" or "4096", got "${text}"`);
  return n;
}

/** "1.5 GiB"-style rendering for tables. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
