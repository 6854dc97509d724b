/**
 * The trace model. A request is (time, key, size, op, ttl). Keys are mapped to dense integer ids
 * (0, 1, 2, … in order of first appearance) while reading, so every consumer indexes typed arrays.
 * Sources stream: they hand out one RequestBatch at a time and reuse its buffers.
 */

export const OP_GET = 0;
export const OP_SET = 1;
export const OP_DELETE = 2;
export type Op = typeof OP_GET | typeof OP_SET | typeof OP_DELETE;
export const OP_NAMES = ['get', 'set', 'delete'] as const;
export type OpName = (typeof OP_NAMES)[number];

/** Requests per batch handed out by sources; big enough to amortise calls, small enough for L2. */
export const BATCH_SIZE = 65_536;

/**
 * A batch of requests as parallel typed arrays. Only the first `length` entries are valid. The arrays are
 * owned by the source and overwritten by its next `next()` call: copy what must outlive the batch.
 */
export interface RequestBatch {
  length: number;
  /** Microseconds since an arbitrary epoch (integers, exact in a double up to 2^53). */
  readonly time: Float64Array;
  /** Dense key id. */
  readonly key: Uint32Array;
  /** Object size in bytes (1 when the trace has no sizes). */
  readonly size: Uint32Array;
  /** OP_GET, OP_SET or OP_DELETE. */
  readonly op: Uint8Array;
  /** Time to live in seconds; 0 means no expiry. */
  readonly ttl: Uint32Array;
  /**
   * 0-based index (over the whole trace) of the next request to the same key, or -1 for never.
   * Present only when the source knows it (oracleGeneral traces).
   */
  readonly next: Float64Array | null;
}

export type KeyKind = 'u64' | 'string';

/** Where a trace came from: a file and its hash, or a generator spec and its seed. */
export type Provenance =
  | { kind: 'file'; path: string; format: string; sha256?: string }
  | { kind: 'generator'; spec: unknown; seed: number };

/** What a source knows about its trace before reading it. */
export interface TraceInfo {
  /** Registry name of the reader or generator. */
  readonly format: string;
  /** Display name: the file path or the generator's name. */
  readonly name: string;
  readonly hasTime: boolean;
  readonly hasSize: boolean;
  readonly hasOp: boolean;
  readonly hasTtl: boolean;
  readonly hasNext: boolean;
  readonly keyKind: KeyKind;
  readonly provenance: Provenance;
  /** Total requests if known up front (binary files of fixed-size records, generators). */
  readonly requests?: number;
}

/**
 * What a consumer that only replays needs of a key map: how many distinct keys it holds. KeyMap has it;
 * so does a source whose key map lives in another thread (threaded-source.ts), which cannot offer keyOf.
 */
export interface KeyCounter {
  readonly size: number;
}

/**
 * A stream of request batches. Synchronous: file reads are chunked with readSync, which is fastest here.
 * `K` is what `keys` offers: the whole KeyMap by default (writers and inspect need keyOf); consumers that
 * only count keys (replay) accept any `RequestSource<KeyCounter>`.
 */
export interface RequestSource<K extends KeyCounter = import('./keymap.ts').KeyMap> {
  readonly info: TraceInfo;
  /** The key map filled while reading; its size is the number of distinct keys seen so far. */
  readonly keys: K;
  /** The next batch, or null at the end. The returned batch is reused by the following call. */
  next(): RequestBatch | null;
  /** Bytes consumed so far and total bytes, for progress bars (generators report requests). */
  progress(): { done: number; total: number };
  close(): void;
}

export function allocBatch(capacity: number = BATCH_SIZE, withNext = false): RequestBatch {
  return {
    length: 0,
    time: new Float64Array(capacity),
    key: new Uint32Array(capacity),
    size: new Uint32Array(capacity),
    op: new Uint8Array(capacity),
    ttl: new Uint32Array(capacity),
    next: withNext ? new Float64Array(capacity) : null,
  };
}

/** Reports progress as (done, total) units: bytes read or requests generated. */
export type ProgressFn = (done: number, total: number) => void;

/**
 * Reads `src` to the end (without closing it), handing each batch to `fn` and reporting the source's
 * progress after it: the loop every one-pass analysis runs.
 */
export function forEachBatch<K extends KeyCounter>(
  src: RequestSource<K>,
  fn: (batch: RequestBatch) => void,
  onProgress?: ProgressFn,
): void {
  for (let b = src.next(); b !== null; b = src.next()) {
    fn(b);
    if (onProgress) {
      const p = src.progress();
      onProgress(p.done, p.total);
    }
  }
}
