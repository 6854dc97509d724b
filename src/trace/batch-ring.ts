/**
 * The shared-memory ring between a reader thread (one producer) and the thread that replays (one consumer):
 * K slots of request batches whose parallel typed arrays live on SharedArrayBuffers, plus a few Int32
 * control words both threads wait on.
 *
 * Protocol. The producer fills slot `produced % K` only while produced − consumed < K, writes the slot's
 * metadata, then publishes it by storing PRODUCED and bumping SIGNAL. The consumer hands out slot
 * `consumed % K` while consumed < produced and frees it on its following call by storing CONSUMED and
 * bumping BACK. Atomics are sequentially consistent, so plain writes to a slot before the store of
 * PRODUCED are visible to whoever loads that value. Each side sleeps with Atomics.wait on the word the
 * other bumps (SIGNAL or BACK), having read it BEFORE testing its condition, so no wake-up is lost.
 * STATE moves once from STARTING to RUNNING and once to a final state (DONE, FAILED, STOPPED); the
 * producer closes its source before entering a final state. STOP is the consumer asking it to stop.
 */
import type { RequestBatch } from './api.ts';

/** Control words (Int32 indexes). */
export const C_PRODUCED = 0;
export const C_CONSUMED = 1;
export const C_STATE = 2;
export const C_STOP = 3;
/** Bumped by the producer on every publish and state change. */
export const C_SIGNAL = 4;
/** Bumped by the consumer on every release and on stop. */
export const C_BACK = 5;
export const CONTROL_WORDS = 6;

export const STATE_STARTING = 0;
export const STATE_RUNNING = 1;
/** Final states: every one of them means the producer has closed its source. */
export const STATE_DONE = 2;
export const STATE_FAILED = 3;
export const STATE_STOPPED = 4;

/** Float64 metadata words per slot. */
const META_WORDS = 4;
const M_LENGTH = 0;
/** Distinct keys after the slot's requests (so a consumer can reserve per-key arrays). */
const M_KEYS = 1;
const M_DONE = 2;
const M_TOTAL = 3;

/** The ring's memory: one SharedArrayBuffer per field, slot s at [s·capacity, (s + 1)·capacity). */
export interface RingBuffers {
  readonly slots: number;
  readonly capacity: number;
  readonly time: SharedArrayBuffer;
  readonly key: SharedArrayBuffer;
  readonly size: SharedArrayBuffer;
  readonly op: SharedArrayBuffer;
  readonly ttl: SharedArrayBuffer;
  readonly next: SharedArrayBuffer | null;
  readonly meta: SharedArrayBuffer;
}

export function allocRing(slots: number, capacity: number, withNext: boolean): RingBuffers {
  const n = slots * capacity;
  return {
    slots,
    capacity,
    time: new SharedArrayBuffer(n * 8),
    key: new SharedArrayBuffer(n * 4),
    size: new SharedArrayBuffer(n * 4),
    op: new SharedArrayBuffer(n),
    ttl: new SharedArrayBuffer(n * 4),
    next: withNext ? new SharedArrayBuffer(n * 8) : null,
    meta: new SharedArrayBuffer(slots * META_WORDS * 8),
  };
}

/** Typed views of a ring, on either side. */
export class Ring {
  readonly slots: number;
  readonly capacity: number;
  /** One batch object per slot, viewing the slot's arrays. */
  readonly batches: readonly RequestBatch[];
  private readonly meta: Float64Array;

  constructor(r: RingBuffers) {
    this.slots = r.slots;
    this.capacity = r.capacity;
    this.meta = new Float64Array(r.meta);
    const time = new Float64Array(r.time);
    const key = new Uint32Array(r.key);
    const size = new Uint32Array(r.size);
    const op = new Uint8Array(r.op);
    const ttl = new Uint32Array(r.ttl);
    const next = r.next === null ? null : new Float64Array(r.next);
    const cap = r.capacity;
    this.batches = Array.from({ length: r.slots }, (_, s): RequestBatch => {
      const from = s * cap;
      const to = from + cap;
      return {
        length: 0,
        time: time.subarray(from, to),
        key: key.subarray(from, to),
        size: size.subarray(from, to),
        op: op.subarray(from, to),
        ttl: ttl.subarray(from, to),
        next: next === null ? null : next.subarray(from, to),
      };
    });
  }

  /** Producer: copies requests [from, from + n) of `b` into slot `s` with its metadata. */
  fill(s: number, b: RequestBatch, from: number, n: number, keys: number, done: number, total: number): void {
    const d = this.batches[s];
    const to = from + n;
    d.time.set(b.time.subarray(from, to));
    d.key.set(b.key.subarray(from, to));
    d.size.set(b.size.subarray(from, to));
    d.op.set(b.op.subarray(from, to));
    d.ttl.set(b.ttl.subarray(from, to));
    if (d.next !== null && b.next !== null) d.next.set(b.next.subarray(from, to));
    const m = s * META_WORDS;
    this.meta[m + M_LENGTH] = n;
    this.meta[m + M_KEYS] = keys;
    this.meta[m + M_DONE] = done;
    this.meta[m + M_TOTAL] = total;
  }

  /** Consumer: slot `s`'s batch with its length set. */
  batch(s: number): RequestBatch {
    const b = this.batches[s];
    b.length = this.meta[s * META_WORDS + M_LENGTH];
    return b;
  }

  keysAfter(s: number): number {
    return this.meta[s * META_WORDS + M_KEYS];
  }

  progress(s: number): { done: number; total: number } {
    const m = s * META_WORDS;
    return { done: this.meta[m + M_DONE], total: this.meta[m + M_TOTAL] };
  }
}

/** Adds one to a control word and wakes whoever waits on it. */
export function bump(ctrl: Int32Array, word: number): void {
  Atomics.add(ctrl, word, 1);
  Atomics.notify(ctrl, word);
}

/**
 * Sleeps until `ready()` holds, waking whenever the other side bumps `word` (read before each test, so a
 * bump between the test and the wait is not missed). Returns false if `timeoutMs` passes first.
 */
export function waitUntil(
  ctrl: Int32Array,
  word: number,
  ready: () => boolean,
  timeoutMs = Infinity,
): boolean {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(ctrl, word);
    if (ready()) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(ctrl, word, seen, left);
  }
}
