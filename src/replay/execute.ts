/**
 * Runs a set of replay cells on one read of a workload: the unit of work of the main thread or of one
 * worker thread. Everything in its input is plain data, so it crosses thread boundaries as is.
 *
 * On the main thread, a large trace file whose reader maps keys is read in a second thread
 * (threaded-source.ts), so decoding and key mapping overlap the policy loop. Not native .ctt files (their
 * key map is stored, so reading them is already fast) nor generators, and not inside replay workers,
 * which already keep the cores busy, nor when no core is spare.
 */
import { resolvePolicy } from '../policies/registry.ts';
import type { KeyCounter, RequestSource } from '../trace/api.ts';
import type { ReaderOptions } from '../trace/registry.ts';
import { openThreaded, shouldReadThreaded } from '../trace/threaded-source.ts';
import { openWorkload } from '../trace/workload.ts';
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
   * pays (threaded-source.ts shouldReadThreaded).
   */
  readonly threadedRead?: boolean;
}

export function executeCells(
  input: ExecuteInput,
  onProgress?: (done: number, total: number) => void,
): ReplayOutput {
  const cells = input.cells.map((c) => ({ policy: resolvePolicy(c.policy), capacity: c.capacity }));
  const opts = { ...input.reader, seed: input.seed };
  const open: () => RequestSource<KeyCounter> = shouldReadThreaded(
    input.trace,
    input.reader.format,
    input.threadedRead,
  )
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
