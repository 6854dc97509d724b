/**
 * The shape of a bench group (one file under bench/cases/ each) and of what it reports. A group has two
 * sides: `run` in the harness process plans its cases, prepares their data and records one row per case;
 * `runners` execute inside the case's own child process (bench/case.ts), where the timing happens.
 */
import type { CaseOutcome } from './child.ts';
import type { DataCache } from './data.ts';
import type { Measurement } from './measure.ts';

/** One side of a comparison with libCacheSim: ours or theirs, on the same trace, policy and size. */
export interface ReplaySide {
  /** Requests per second of the replay loop alone (reading included, start-up excluded). */
  readonly loopPerSecond: number | null;
  /**
   * The same loop with the trace read and mapped in a second thread, as `cachetopo replay` reads a large
   * file when a core is free (src/trace/threaded-source.ts); null where the CLI reads in one thread.
   */
  readonly threadedLoopPerSecond: number | null;
  /** Wall-clock seconds of the whole process, start-up and working-set pass included. */
  readonly wholeSeconds: number | null;
  readonly missRatio: number | null;
  readonly peakRssMiB: number | null;
  /** Why a figure is missing, in one line. */
  readonly error: string | null;
}

export interface ReplayComparison {
  readonly trace: string;
  readonly mode: 'objects' | 'bytes';
  readonly policy: string;
  readonly capacity: number | null;
  readonly requests: number | null;
  readonly ours: ReplaySide;
  /** Null when LIBCACHESIM_CACHESIM is not set. */
  readonly libcachesim: ReplaySide | null;
  /** ours / libCacheSim loop throughput, our trace read in the replay's own thread. */
  readonly loopRatio: number | null;
  /** ours / libCacheSim loop throughput, our trace read in a second thread (null: not measured). */
  readonly threadedLoopRatio: number | null;
  /** libCacheSim / ours whole-process seconds (above 1: ours is faster). */
  readonly wholeRatio: number | null;
  /** The loop ratio the issue asks for. */
  readonly goal: number;
  /** Whether the ratio on the path the CLI takes for this trace (threaded when measured) meets the goal. */
  readonly met: boolean | null;
  readonly runs: number;
}

export interface Row {
  readonly group: string;
  readonly case: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly measurement?: Measurement;
  /** The failure (status failed) in one line. */
  readonly error?: string;
  /** Why the case was skipped, or a remark on a failure. */
  readonly note?: string;
  readonly comparison?: ReplayComparison;
}

/** A conclusion drawn from several rows (e.g. peak RSS at 10M vs 50M requests). */
export interface Check {
  readonly group: string;
  readonly name: string;
  readonly text: string;
  readonly met: boolean | null;
}

export interface GroupContext {
  readonly quick: boolean;
  readonly data: DataCache;
  /** Path of libCacheSim's cachesim binary, from LIBCACHESIM_CACHESIM, or null. */
  readonly libcachesim: string | null;
  readonly outDir: string;
  log(line: string): void;
  /** Runs a case of this group in its own child process. */
  runCase(id: string, args: unknown): CaseOutcome;
  record(row: Row): void;
  check(check: Check): void;
}

export interface Group {
  readonly name: string;
  readonly description: string;
  run(ctx: GroupContext): void;
  /** Case id → the function a child process runs; arguments are the JSON the harness passed. */
  readonly runners: Readonly<Record<string, (args: unknown) => Measurement | Promise<Measurement>>>;
}

/** The row of a case from its outcome. */
function rowOf(group: string, name: string, outcome: CaseOutcome, note?: string): Row {
  return outcome.ok
    ? { group, case: name, status: 'ok', measurement: outcome.measurement, note }
    : { group, case: name, status: 'failed', error: outcome.error, note };
}

/** The message of anything thrown, on one line. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

/**
 * Prepares a case's arguments (making its data files if needed), runs it in a child and records its row. A
 * failure at either step becomes the row's error and the group goes on. Returns the outcome.
 */
export function prepareAndRun(
  ctx: GroupContext,
  group: string,
  name: string,
  id: string,
  prepare: () => unknown,
): CaseOutcome {
  let args: unknown;
  try {
    args = prepare();
  } catch (e) {
    const outcome: CaseOutcome = { ok: false, error: `preparing data: ${oneLine(e)}` };
    ctx.record(rowOf(group, name, outcome));
    return outcome;
  }
  const outcome = ctx.runCase(id, args);
  ctx.record(rowOf(group, name, outcome));
  return outcome;
}

/** 10000000 → "10M", 200000 → "200k". */
export function count(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}
