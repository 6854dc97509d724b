/**
 * Reader-thread entry of the threaded source (threaded-source.ts): opens the workload here, so decoding
 * and key mapping run on this thread, and copies each batch into the next free slot of the shared ring
 * (batch-ring.ts), blocking while the ring is full. It reports through a MessagePort once, at start (the
 * trace info and the ring's buffers) or on failure (the error), and through the control words always.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { describeError, type ErrorReport } from '../workers/error-transport.ts';
import { BATCH_SIZE, type RequestSource } from './api.ts';
import {
  allocRing,
  bump,
  C_BACK,
  C_CONSUMED,
  C_PRODUCED,
  C_SIGNAL,
  C_STATE,
  C_STOP,
  Ring,
  type RingBuffers,
  STATE_DONE,
  STATE_FAILED,
  STATE_RUNNING,
  STATE_STOPPED,
  waitUntil,
} from './batch-ring.ts';
import type { ReaderOptions } from './registry.ts';
import { openWorkload } from './workload.ts';

export interface ThreadedWorkerInput {
  readonly arg: string;
  readonly opts: ReaderOptions & { format?: string; seed?: number };
  readonly slots: number;
  readonly control: SharedArrayBuffer;
  readonly port: MessagePort;
}

export type ThreadedMessage =
  | {
      kind: 'start';
      info: RequestSource['info'];
      ring: RingBuffers;
      progress: { done: number; total: number };
    }
  | { kind: 'error'; error: ErrorReport };

/** Copies `src` into the ring; false if the consumer asked to stop first. */
function pump(src: RequestSource, ring: Ring, ctrl: Int32Array): boolean {
  const k = ring.slots;
  let produced = 0;
  const free = (): boolean =>
    Atomics.load(ctrl, C_STOP) !== 0 || produced - Atomics.load(ctrl, C_CONSUMED) < k;
  for (let b = src.next(); b !== null; b = src.next()) {
    // A source batch larger than a slot spans several; each carries the key count after the whole batch.
    for (let from = 0; from < b.length; from += ring.capacity) {
      waitUntil(ctrl, C_BACK, free);
      if (Atomics.load(ctrl, C_STOP) !== 0) return false;
      const p = src.progress();
      const n = Math.min(ring.capacity, b.length - from);
      ring.fill(produced % k, b, from, n, src.keys.size, p.done, p.total);
      produced++;
      Atomics.store(ctrl, C_PRODUCED, produced);
      bump(ctrl, C_SIGNAL);
    }
  }
  return true;
}

function run(input: ThreadedWorkerInput): void {
  const ctrl = new Int32Array(input.control);
  let src: RequestSource | null = null;
  let final = STATE_FAILED;
  try {
    src = openWorkload(input.arg, input.opts);
    const buffers = allocRing(input.slots, BATCH_SIZE, src.info.hasNext);
    const start: ThreadedMessage = { kind: 'start', info: src.info, ring: buffers, progress: src.progress() };
    input.port.postMessage(start);
    Atomics.store(ctrl, C_STATE, STATE_RUNNING);
    bump(ctrl, C_SIGNAL);
    final = pump(src, new Ring(buffers), ctrl) ? STATE_DONE : STATE_STOPPED;
  } catch (e) {
    const failed: ThreadedMessage = { kind: 'error', error: describeError(e) };
    input.port.postMessage(failed);
  } finally {
    try {
      src?.close();
    } finally {
      Atomics.store(ctrl, C_STATE, final);
      bump(ctrl, C_SIGNAL);
    }
  }
}

run((workerData as { input: ThreadedWorkerInput }).input);
