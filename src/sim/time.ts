/**
 * Simulated time. The engine's clock counts integer nanoseconds held in doubles: exact up to 2^53 ns
 * (≈ 104 days of simulated time), fine enough for a same-host network hop (~50 µs) and a Redis GET
 * (~1 µs) alike, and integer sums do not drift with the order of additions, so runs are reproducible.
 * Samplers round their draws to whole nanoseconds to keep the clock on integers.
 */

const NS_PER_US = 1e3;
export const NS_PER_MS = 1e6;
export const NS_PER_SEC = 1e9;

/** Microseconds to nanoseconds. */
export function us(x: number): number {
  return x * NS_PER_US;
}

/** Milliseconds to nanoseconds. */
export function ms(x: number): number {
  return x * NS_PER_MS;
}

/** Seconds to nanoseconds. */
export function sec(x: number): number {
  return x * NS_PER_SEC;
}

// Both micro signs: U+00B5 (the keyboard's µ) and U+03BC (Greek mu, what many fonts and editors produce).
const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: NS_PER_US,
  µs: NS_PER_US,
  μs: NS_PER_US,
  ms: NS_PER_MS,
  s: NS_PER_SEC,
  m: 60 * NS_PER_SEC,
  h: 3600 * NS_PER_SEC,
};

/**
 * Nanoseconds in a duration written as "250us", "0.1ms", "1.5 s", "3e2ns" or "2m" (units ns, us, µs, ms, s,
 * m for minutes, h for hours);
 * null if the text is not a non-negative duration with a unit. A bare number is refused: in JSON configs
 * a number already means milliseconds, and a string without a unit is more likely a mistake.
 */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\s*(ns|us|µs|μs|ms|s|m|h)\s*$/.exec(
    text,
  );
  if (!m) return null;
  const ns = Number(m[1]) * UNIT_NS[m[2]];
  return Number.isFinite(ns) ? ns : null;
}

/** A short human rendering ("850ns", "12.5µs", "3.2ms", "1.25s") for messages and tables. */
export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  if (abs < NS_PER_US) return `${round3(ns)}ns`;
  if (abs < NS_PER_MS) return `${round3(ns / NS_PER_US)}µs`;
  if (abs < NS_PER_SEC) return `${round3(ns / NS_PER_MS)}ms`;
  return `${round3(ns / NS_PER_SEC)}s`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
