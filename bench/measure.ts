/**
 * What every benchmark case reports, and the helpers that time it. A throughput is always quoted beside a
 * baseline measured in the same process on the same input, so their ratio survives a noisy shared machine;
 * other results (bytes per object, seconds to a curve) are figures, each with its target when there is one;
 * and the case's process reports its own peak RSS.
 */
import { readFileSync } from 'node:fs';

/** Items (requests, records, lines) processed per second by one timed run. */
export interface Rate {
  readonly what: string;
  readonly items: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export interface Throughput {
  readonly subject: Rate;
  readonly baseline: Rate | null;
  /** subject / baseline items per second. */
  readonly ratio: number | null;
}

/** A number with its unit, and the target it is held to (met: null when there is no target). */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string | null;
  readonly met: boolean | null;
}

export interface Measurement {
  readonly throughput: Throughput | null;
  readonly figures: readonly Figure[];
  /** Peak resident set of the case's own process, MiB. */
  readonly peakRssMiB: number;
  /** Other numbers the case found (capacity, miss ratio, …), for bench.json and for cross-checks. */
  readonly values?: Readonly<Record<string, number>>;
  readonly note?: string;
}

export function seconds<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export function rate(what: string, items: number, secs: number): Rate {
  return { what, items, seconds: secs, perSecond: items / secs };
}

/**
 * Times `subject` and `baseline` alternately, `runs` times each, and keeps each one's fastest run: on a
 * shared machine the minimum is the figure least disturbed by others. Each function returns its item
 * count (and checksums stay observable through `sink`, so no work can be optimised away).
 */
export function compare(
  subject: { what: string; run: () => number },
  baseline: { what: string; run: () => number } | null,
  runs: number,
  between: () => void = collect,
): Throughput {
  let best: Rate | null = null;
  let bestBase: Rate | null = null;
  for (let r = 0; r < runs; r++) {
    if (baseline !== null) {
      between();
      const b = seconds(baseline.run);
      if (bestBase === null || b.seconds < bestBase.seconds)
        bestBase = rate(baseline.what, b.value, b.seconds);
    }
    between();
    const s = seconds(subject.run);
    if (best === null || s.seconds < best.seconds) best = rate(subject.what, s.value, s.seconds);
  }
  if (best === null) throw new Error('compare: runs must be at least 1');
  return {
    subject: best,
    baseline: bestBase,
    ratio: bestBase === null ? null : best.perSecond / bestBase.perSecond,
  };
}

/** A throughput figure in millions per second, held to a minimum. */
export function minRate(name: string, perSecond: number, atLeast: number | null): Figure {
  const value = perSecond / 1e6;
  return {
    name,
    value,
    unit: 'M/s',
    target: atLeast === null ? null : `≥ ${atLeast / 1e6}`,
    met: atLeast === null ? null : perSecond >= atLeast,
  };
}

export function figure(
  name: string,
  value: number,
  unit: string,
  target?: { text: string; met: boolean },
): Figure {
  return { name, value, unit, target: target?.text ?? null, met: target?.met ?? null };
}

/**
 * Peak resident set of this process, MiB: VmHWM from /proc/self/status where there is one. Not
 * process.resourceUsage().maxRSS: on Linux that carries over the parent's peak at fork (the copied address
 * space's high-water mark survives exec), so every case would report at least the harness's own RSS.
 */
export function peakRssMiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Number(m[1]) / 1024;
  } catch {
    // No procfs (not Linux): fall through to getrusage.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs a full garbage collection when the process was started with --expose-gc (case children are). */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

/** Checksums of timed loops land here, so the work that produced them stays observable. */
export const sink = { value: 0 };
