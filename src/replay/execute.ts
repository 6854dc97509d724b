/**
 * Runs a set of replay cells on one read of a workload: the unit of work of the main thread or of one
 * worker thread. Everything in its input is plain data, so it crosses thread boundaries as is.
 */
import { resolvePolicy } from '../policies/registry.ts';
import type { RequestSource } from '../trace/api.ts';
import type { ReaderOptions } from '../trace/registry.ts';
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
}

export function executeCells(
  input: ExecuteInput,
  onProgress?: (done: number, total: number) => void,
): ReplayOutput {
  const cells = input.cells.map((c) => ({ policy: resolvePolicy(c.policy), capacity: c.capacity }));
  const open = (): RequestSource => openWorkload(input.trace, { ...input.reader, seed: input.seed });
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
