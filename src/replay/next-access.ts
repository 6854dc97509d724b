/**
 * Next-access indexes for traces that do not carry them, so offline policies (Belady) can run on any trace.
 *
 * One forward pass: remembering, per key, the index of its latest request, request i sets
 * next[last[key]] = i; what is never overwritten stays −1 ("never again"). That costs one Int32 per request
 * plus one per key, the only O(trace) memory in a replay. A second read of the trace (the source reopened)
 * then sees each batch with `next` filled in from that array, exactly as an oracleGeneral reader would
 * hand it out (0-based indexes over the whole trace).
 */
import { InputError } from '../errors.ts';
import { grown } from '../policies/arrays.ts';
import type { KeyCounter, RequestBatch, RequestSource, TraceInfo } from '../trace/api.ts';

/** Int32 indexes: traces up to 2^31 − 1 requests. */
const MAX_REQUESTS = 0x7fffffff;

/** Reads `src` to the end (without closing it) and returns each request's next-access index or −1. */
export function computeNextAccess(src: RequestSource<KeyCounter>): Int32Array {
  let next = new Int32Array(Math.max(16, Math.min(src.info.requests ?? 1 << 20, MAX_REQUESTS)));
  let last = new Int32Array(1 << 16).fill(-1);
  let n = 0;
  for (let b = src.next(); b !== null; b = src.next()) {
    const len = b.length;
    if (n + len > MAX_REQUESTS) {
      throw new InputError(
        `${src.info.name}: more than ${MAX_REQUESTS} requests: too many to compute next accesses`,
      );
    }
    if (n + len > next.length) next = grown(next, n + len, 0);
    if (src.keys.size > last.length) last = grown(last, src.keys.size, -1);
    n = fillNext(b.key, len, n, next, last);
  }
  return next.subarray(0, n);
}

/** Links requests [base, base + len) into `next` through `last`; returns the new request count. */
function fillNext(keys: Uint32Array, len: number, base: number, next: Int32Array, last: Int32Array): number {
  for (let j = 0; j < len; j++) {
    const i = base + j;
    const k = keys[j];
    const p = last[k];
    if (p >= 0) next[p] = i;
    next[i] = -1;
    last[k] = i;
  }
  return base + len;
}

/** A source that hands out `inner`'s batches with `next` filled from a precomputed array. */
class NextAccessSource<K extends KeyCounter> implements RequestSource<K> {
  readonly info: TraceInfo;
  private readonly inner: RequestSource<K>;
  private readonly nextOf: Int32Array;
  private pos = 0;
  /** The inner batch the wrapper was built for, and the wrapper (rebuilt only if the inner one changes). */
  private from: RequestBatch | null = null;
  private batch: RequestBatch | null = null;
  private nextBuf = new Float64Array(0);

  constructor(inner: RequestSource<K>, nextOf: Int32Array) {
    this.inner = inner;
    this.nextOf = nextOf;
    this.info = { ...inner.info, hasNext: true };
  }

  get keys(): K {
    return this.inner.keys;
  }

  next(): RequestBatch | null {
    const b = this.inner.next();
    if (b === null) {
      if (this.pos !== this.nextOf.length) this.mismatch(`ended after ${this.pos} requests`);
      return null;
    }
    if (this.pos + b.length > this.nextOf.length)
      this.mismatch(`has more than ${this.nextOf.length} requests`);
    if (b !== this.from || this.batch === null) {
      // Sources that rotate several batch objects (a threaded source's ring) reuse one next array.
      this.from = b;
      if (this.nextBuf.length < b.key.length) this.nextBuf = new Float64Array(b.key.length);
      this.batch = {
        length: 0,
        time: b.time,
        key: b.key,
        size: b.size,
        op: b.op,
        ttl: b.ttl,
        next: this.nextBuf,
      };
    }
    const out = this.batch;
    out.length = b.length;
    this.nextBuf.set(this.nextOf.subarray(this.pos, this.pos + b.length));
    this.pos += b.length;
    return out;
  }

  private mismatch(what: string): never {
    throw new InputError(
      `${this.info.name}: the trace changed between reads: the second read ${what}, the first had ${this.nextOf.length}`,
    );
  }

  progress(): { done: number; total: number } {
    return this.inner.progress();
  }

  close(): void {
    this.inner.close();
  }
}

/** Wraps a fresh read of the trace whose next-access indexes are `nextOf` (from computeNextAccess). */
export function withNextAccess<K extends KeyCounter>(
  src: RequestSource<K>,
  nextOf: Int32Array,
): RequestSource<K> {
  return new NextAccessSource(src, nextOf);
}

/**
 * Opens a trace with next-access indexes: as is when it carries them, else by a first full read to compute
 * them and a second read that supplies them.
 */
export function openWithNextAccess<K extends KeyCounter>(open: () => RequestSource<K>): RequestSource<K> {
  const first = open();
  if (first.info.hasNext) return first;
  let nextOf: Int32Array;
  try {
    nextOf = computeNextAccess(first);
  } finally {
    first.close();
  }
  return withNextAccess(open(), nextOf);
}
