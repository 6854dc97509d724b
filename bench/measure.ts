/**
 * What every benchmark case reports: items per second for the subject and for a baseline measured in the
 * same process on the same input, so the ratio survives a noisy shared machine; and the process's peak RSS.
 */

export interface Measurement {
  readonly case: string;
  readonly what: string;
  readonly items: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly baseline: { readonly what: string; readonly seconds: number; readonly perSecond: number } | null;
  /** subject / baseline throughput. */
  readonly ratio: number | null;
  readonly peakRssMiB: number;
  readonly note?: string;
}

export function time<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function measurement(
  caseName: string,
  what: string,
  items: number,
  seconds: number,
  baseline: { what: string; items: number; seconds: number } | null,
  note?: string,
): Measurement {
  const perSecond = items / seconds;
  const b =
    baseline === null
      ? null
      : { what: baseline.what, seconds: baseline.seconds, perSecond: baseline.items / baseline.seconds };
  return {
    case: caseName,
    what,
    items,
    seconds,
    perSecond,
    baseline: b,
    ratio: b === null ? null : perSecond / b.perSecond,
    peakRssMiB: peakRssMiB(),
    note,
  };
}
