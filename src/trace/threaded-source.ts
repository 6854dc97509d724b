/**
 * A request source whose reading runs on a second thread: a worker (threaded-worker.ts) opens the
 * workload, decodes it and maps its keys to dense ids, filling a ring of shared-memory batches
 * (batch-ring.ts) while this thread replays the batches before them. On a large trace with many distinct
 * keys the key map is memory-bound and costs as much as a fast policy, so overlapping the two on two cores
 * approaches the speed of the slower one instead of their sum.
 *
 * `next()` stays synchronous: it sleeps in Atomics.wait until the slot it needs is published (allowed on
 * Node's main thread). The batches it hands out are views of the ring's slots, copied by nothing on this
 * side; a slot is given back to the reader on the following call, as the RequestSource contract allows.
 * The key map lives in the worker, so `keys` is only a count (the key count after the current batch),
 * enough for replay but not for writers, which need keyOf. An error in the worker comes out of `next()`
 * (or of openThreaded, if opening fails) as the same typed error with the same message.
 */
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import {
  isMainThread,
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { rebuildError } from '../workers/error-transport.ts';
import type { KeyCounter, RequestBatch, RequestSource, TraceInfo } from './api.ts';
import {
  bump,
  C_BACK,
  C_CONSUMED,
  C_PRODUCED,
  C_SIGNAL,
  C_STATE,
  C_STOP,
  CONTROL_WORDS,
  Ring,
  STATE_DONE,
  STATE_FAILED,
  STATE_STARTING,
  waitUntil,
} from './batch-ring.ts';
import { findReader, type ReaderOptions } from './registry.ts';
import type { ThreadedMessage, ThreadedWorkerInput } from './threaded-worker.ts';
import { looksLikeSpec } from './workload.ts';

export interface ThreadedOptions extends ReaderOptions {
  format?: string;
  seed?: number;
  /** Batches in the ring: the reader runs up to this many minus one ahead of the consumer. */
  slots?: number;
}

const DEFAULT_SLOTS = 4;
/** A worker that has not reported within this time failed to load (its error cannot reach a blocked thread). */
const START_TIMEOUT_MS = 60_000;
/** How long close() waits for the reader to close its file before terminating it regardless. */
const CLOSE_TIMEOUT_MS = 5_000;

function isFinal(state: number): boolean {
  return state >= STATE_DONE;
}

class ThreadedSource implements RequestSource<KeyCounter> {
  readonly info: TraceInfo;
  readonly keys = { size: 0 };
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctrl: Int32Array;
  private readonly ring: Ring;
  private consumed = 0;
  /** The consumer holds slot `consumed % slots` (handed out by the last next()). */
  private holding = false;
  private closed = false;
  private failure: Error | null = null;
  private lastProgress: { done: number; total: number };

  constructor(
    worker: Worker,
    port: MessagePort,
    ctrl: Int32Array,
    start: Extract<ThreadedMessage, { kind: 'start' }>,
  ) {
    this.worker = worker;
    this.port = port;
    this.ctrl = ctrl;
    this.info = start.info;
    this.ring = new Ring(start.ring);
    this.lastProgress = start.progress;
  }

  next(): RequestBatch | null {
    if (this.failure !== null) throw this.failure;
    if (this.closed) return null;
    const ctrl = this.ctrl;
    if (this.holding) {
      this.holding = false;
      this.consumed++;
      Atomics.store(ctrl, C_CONSUMED, this.consumed);
      bump(ctrl, C_BACK);
    }
    const consumed = this.consumed;
    waitUntil(
      ctrl,
      C_SIGNAL,
      () => Atomics.load(ctrl, C_PRODUCED) > consumed || isFinal(Atomics.load(ctrl, C_STATE)),
    );
    // The state is read before the count: the reader publishes its last slot before it ends, so a final
    // state seen here means the count read after it is final too.
    const state = Atomics.load(ctrl, C_STATE);
    if (Atomics.load(ctrl, C_PRODUCED) > consumed) {
      const s = consumed % this.ring.slots;
      this.holding = true;
      this.keys.size = this.ring.keysAfter(s);
      this.lastProgress = this.ring.progress(s);
      return this.ring.batch(s);
    }
    if (state === STATE_FAILED) {
      this.failure = receivedError(this.port);
      throw this.failure;
    }
    return null;
  }

  progress(): { done: number; total: number } {
    return this.lastProgress;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    stopWorker(this.worker, this.port, this.ctrl);
  }
}

/** The error the worker posted before failing. */
function receivedError(port: MessagePort): Error {
  const m = receiveMessageOnPort(port)?.message as ThreadedMessage | undefined;
  return m?.kind === 'error' ? rebuildError(m.error) : new Error('reader thread failed without a report');
}

/**
 * Asks the worker to stop and waits until it has closed its source: its file descriptor belongs to the
 * process, so terminating the thread in the middle of a read would leak it.
 */
function stopWorker(worker: Worker, port: MessagePort, ctrl: Int32Array): void {
  Atomics.store(ctrl, C_STOP, 1);
  bump(ctrl, C_BACK);
  waitUntil(ctrl, C_SIGNAL, () => isFinal(Atomics.load(ctrl, C_STATE)), CLOSE_TIMEOUT_MS);
  void worker.terminate();
  port.close();
}

/** Readers that map every key through a KeyMap while reading: the work a reader thread takes over. */
const KEY_MAPPING_READERS: ReadonlySet<string> = new Set(['oracleGeneral', 'vscsi', 'csv', 'txt', 'twitter']);

/**
 * Files from this size on are read in a second thread by default. Starting one costs 0.3–0.9 s (tsx and
 * the trace modules load again in the worker); the pipeline saves 0.02–0.08 µs a request on oracleGeneral
 * (FIFO–ARC) and about a fast policy's time on text formats, so a few million requests repay it.
 */
const THREADED_MIN_BYTES = 128 * 1024 * 1024;

/**
 * Whether a pass over `trace` (the replay loop, an MRC's distance pass) should read it in a second thread:
 * `force` false never, true whenever its reader maps keys, absent when that pays.
 */
export function shouldReadThreaded(trace: string, format?: string, force?: boolean): boolean {
  if (force === false) return false;
  if (force === true) return mapsKeys(trace, format);
  // The pipeline needs a second core to itself: on a busy machine its hand-offs stall and it runs slower
  // than one thread (measured on 2 cores at load 3–4: 0.5–0.9× of a plain read). This process's own
  // load counts at most 1, hence the half core of slack.
  const cores = availableParallelism();
  const spare = cores > 1 && cores - loadavg()[0] > 0.5;
  return isMainThread && spare && threadedByDefault(trace, format);
}

/**
 * Whether `trace` is read in a second thread when a core is free: a file of a key-mapping format, large
 * enough to repay the worker's start-up. The bench measures our replay loop on the path the CLI takes.
 */
export function threadedByDefault(trace: string, format?: string): boolean {
  return (
    mapsKeys(trace, format) && (statSync(trace, { throwIfNoEntry: false })?.size ?? 0) >= THREADED_MIN_BYTES
  );
}

function mapsKeys(trace: string, format?: string): boolean {
  if (!format && looksLikeSpec(trace)) return false;
  return KEY_MAPPING_READERS.has(findReader(trace, format).name);
}

/**
 * Opens `arg` as openWorkload does (trace file, generator spec or preset), in a reader thread. Returns once
 * the worker has opened it, with its info; throws the worker's error if opening fails.
 */
export function openThreaded(arg: string, opts: ThreadedOptions = {}): RequestSource<KeyCounter> {
  const { slots = DEFAULT_SLOTS, ...readerOpts } = opts;
  if (!Number.isInteger(slots) || slots < 2)
    throw new RangeError(`openThreaded: slots must be ≥ 2, got ${slots}`);
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const ctrl = new Int32Array(control);
  const { port1, port2 } = new MessageChannel();
  const input: ThreadedWorkerInput = { arg, opts: readerOpts, slots, control, port: port2 };
  const worker = new Worker(new URL('../workers/boot.js', import.meta.url), {
    workerData: { module: new URL('./threaded-worker.ts', import.meta.url).href, input },
    transferList: [port2],
  });
  // The ring and the control words carry everything; the thread must not keep the process alive.
  worker.unref();
  const started = waitUntil(
    ctrl,
    C_SIGNAL,
    () => Atomics.load(ctrl, C_STATE) !== STATE_STARTING,
    START_TIMEOUT_MS,
  );
  if (!started) {
    stopWorker(worker, port1, ctrl);
    throw new Error(`reader thread for ${arg} did not start within ${START_TIMEOUT_MS / 1000} s`);
  }
  // The first message is the start or, if opening failed, the error (a failure right after the start comes
  // second, from next()).
  const first = receiveMessageOnPort(port1)?.message as ThreadedMessage | undefined;
  if (first?.kind !== 'start') {
    stopWorker(worker, port1, ctrl);
    throw first?.kind === 'error'
      ? rebuildError(first.error)
      : new Error('reader thread ended without a report');
  }
  return new ThreadedSource(worker, port1, ctrl, first);
}
