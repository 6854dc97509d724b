/**
 * Runs a set of replay cells on one read of a workload: the unit of work of the main thread or of one
 * worker thread. Everything in its input is plain data, so it crosses thread boundaries as is.
 *
 * On the main thread, a large trace file whose reader maps keys is read in a second thread
 * (threaded-source.ts), so decoding and key mapping overlap the policy loop. Not native .ctt files (their
 * key map is stored, so reading them is already fast) nor generators, and not inside replay workers,
 * which already keep the cores busy, nor when no core is spare.
 */
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { resolvePolicy } from '../policies/registry.ts';
import type { KeyCounter, RequestSource } from '../trace/api.ts';
import { findReader, type ReaderOptions } from '../trace/registry.ts';
import { openThreaded } from '../trace/threaded-source.ts';
import { looksLikeSpec, openWorkload } from '../trace/workload.ts';
import { openWithNextAccess } from './next-access.ts';
import { type ReplayOutput, replay } from './replay.ts';

export interface CellPlan {
  /** A policy spec as resolvePolicy reads it, e.g. "s3fifo(small=0.2)". */
  readonly policy: string;
  readonly capacity: number;
}

export interface ExecuteInput {
  readonly trace: string;
  readonly reader: ReaderOptions & { format?: string };
  readonly seed: number;
  readonly byteMode: boolean;
  readonly honorOps: boolean;
  readonly warmupRequests: number;
  readonly windowRequests: number;
  readonly keySpace: number;
  /** Some cell needs next-access times (computed by an extra pass when the trace lacks them). */
  readonly withNext: boolean;
  readonly cells: readonly CellPlan[];
  /**
   * Read the trace in a second thread: false never, true whenever the reader maps keys, absent when that
   * pays (see readsThreaded).
   */
  readonly threadedRead?: boolean;
}

/** Readers that map every key through a KeyMap while reading: the work a reader thread takes over. */
const KEY_MAPPING_READERS: ReadonlySet<string> = new Set(['oracleGeneral', 'vscsi', 'csv', 'txt', 'twitter']);

/**
 * Files from this size on are read in a second thread by default. Starting one costs 0.3–0.9 s (tsx and
 * the trace modules load again in the worker); the pipeline saves 0.02–0.08 µs a request on oracleGeneral
 * (FIFO–ARC) and about a fast policy's time on text formats, so a few million requests repay it.
 */
const THREADED_MIN_BYTES = 128 * 1024 * 1024;

/** Whether the workload is read in a second thread. */
export function readsThreaded(input: ExecuteInput): boolean {
  if (input.threadedRead === false) return false;
  if (!input.reader.format && looksLikeSpec(input.trace)) return false;
  if (!KEY_MAPPING_READERS.has(findReader(input.trace, input.reader.format).name)) return false;
  if (input.threadedRead === true) return true;
  const bytes = statSync(input.trace, { throwIfNoEntry: false })?.size ?? 0;
  // The pipeline needs a second core to itself: on a busy machine its hand-offs stall and it runs slower
  // than one thread (measured on 2 cores at load 3–4: 0.5–0.9× of a plain read). This process's own
  // load counts at most 1, hence the half core of slack.
  const cores = availableParallelism();
  const spare = cores > 1 && cores - loadavg()[0] > 0.5;
  return isMainThread && spare && bytes >= THREADED_MIN_BYTES;
}

export function executeCells(
  input: ExecuteInput,
  onProgress?: (done: number, total: number) => void,
): ReplayOutput {
  const cells = input.cells.map((c) => ({ policy: resolvePolicy(c.policy), capacity: c.capacity }));
  const opts = { ...input.reader, seed: input.seed };
  const open: () => RequestSource<KeyCounter> = readsThreaded(input)
    ? () => openThreaded(input.trace, opts)
    : () => openWorkload(input.trace, opts);
  const src = input.withNext ? openWithNextAccess(open) : open();
  try {
    return replay(src, cells, {
      byteMode: input.byteMode,
      honorOps: input.honorOps,
      warmupRequests: input.warmupRequests,
      windowRequests: input.windowRequests,
      seed: input.seed,
      keySpace: input.keySpace,
      onProgress,
    });
  } finally {
    src.close();
  }
}
