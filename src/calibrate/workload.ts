/**
 * The requests a calibration replays, held in memory (calibration traces are small: the real servers replay
 * them over the network), and the pipelined batches both the servers and the models see.
 *
 * Keys become `k:<dense id>` with the id zero-padded to one width, so every key has the same length and the
 * models, which charge one key length for all keys (Redis' sds key, memcached's item key), see the bytes the
 * servers store. Values take each request's size, capped so that a memcached item fits its 1 MiB item size
 * limit (header 48 + key + 1 + value + 2 + CAS 8 ≤ -I): the same cap for Redis, so both replay one trace.
 *
 * A batch is a run of consecutive requests to distinct keys: the client sends all their GETs in one
 * pipeline, then one SET for each miss. Distinct keys make that order equivalent to GET-then-SET per request
 * (no request in a batch depends on another's SET). Batches are also bounded in value bytes, because Redis
 * counts the replies waiting in a client's output buffer in used_memory, and so evicts for them.
 */

import { ITEM_HEADER } from '../policies/memcached-slabs.ts';
import { forEachBatch } from '../trace/api.ts';
import type { ReaderOptions } from '../trace/registry.ts';
import { openWorkload } from '../trace/workload.ts';

/** memcached's default item_size_max (-I 1m). */
export const ITEM_SIZE_MAX = 1 << 20;
/** ntotal = header + key + NUL + value + CRLF + CAS (items.c item_make_header, client flags 0). */
const ITEM_FIXED = ITEM_HEADER + 1 + 2 + 8;
const MAX_BATCH_REQUESTS = 256;
const MAX_BATCH_BYTES = 12 * 1024;

export interface CalibrationWorkload {
  readonly name: string;
  readonly requests: number;
  readonly objects: number;
  /** Dense key id per request. */
  readonly keys: Uint32Array;
  /** Value bytes per request, after the cap. */
  readonly sizes: Uint32Array;
  /** Bytes of every key name. */
  readonly keyLength: number;
  /** The largest value sent. */
  readonly valueLimit: number;
  /** Requests whose size was above the limit and was capped. */
  readonly capped: number;
  /** Batch b is requests [starts[b], starts[b + 1]). */
  readonly starts: Uint32Array;
}

/** Digits of the largest id. */
function idWidth(objects: number): number {
  return String(Math.max(0, objects - 1)).length;
}

export function keyName(id: number, width: number): string {
  return `k:${String(id).padStart(width, '0')}`;
}

/** All key names of a workload, by id. */
export function keyNames(w: CalibrationWorkload): string[] {
  const width = w.keyLength - 2;
  return Array.from({ length: w.objects }, (_, id) => keyName(id, width));
}

/** Requests in the longest batch. */
export function largestBatch(starts: Uint32Array): number {
  let m = 0;
  for (let b = 0; b + 1 < starts.length; b++) m = Math.max(m, starts[b + 1] - starts[b]);
  return m;
}

/** The largest value of the workload (at least 1: the buffer values are cut from). */
export function maxSize(w: CalibrationWorkload): number {
  let m = 1;
  for (let i = 0; i < w.requests; i++) if (w.sizes[i] > m) m = w.sizes[i];
  return m;
}

/** Reads a trace, generator spec or preset into memory (every request as a get). */
export function loadWorkload(
  trace: string,
  opts: ReaderOptions & { format?: string; seed?: number } = {},
): CalibrationWorkload {
  const src = openWorkload(trace, opts);
  let keys = new Uint32Array(1 << 16);
  let sizes = new Uint32Array(1 << 16);
  let n = 0;
  try {
    forEachBatch(src, (b) => {
      if (n + b.length > keys.length) {
        const cap = Math.max(keys.length * 2, n + b.length);
        const k = new Uint32Array(cap);
        k.set(keys.subarray(0, n));
        keys = k;
        const s = new Uint32Array(cap);
        s.set(sizes.subarray(0, n));
        sizes = s;
      }
      keys.set(b.key.subarray(0, b.length), n);
      sizes.set(b.size.subarray(0, b.length), n);
      n += b.length;
    });
  } finally {
    src.close();
  }
  const objects = src.keys.size;
  const keyLength = 2 + idWidth(objects);
  const valueLimit = ITEM_SIZE_MAX - ITEM_FIXED - keyLength;
  let capped = 0;
  for (let i = 0; i < n; i++) {
    if (sizes[i] > valueLimit) {
      sizes[i] = valueLimit;
      capped++;
    }
  }
  const k = keys.slice(0, n);
  const s = sizes.slice(0, n);
  return {
    name: src.info.name,
    requests: n,
    objects,
    keys: k,
    sizes: s,
    keyLength,
    valueLimit,
    capped,
    starts: planBatches(k, s, objects),
  };
}

/** Batch boundaries: runs of distinct keys, at most MAX_BATCH_REQUESTS requests and about MAX_BATCH_BYTES. */
export function planBatches(
  keys: Uint32Array,
  sizes: Uint32Array,
  objects: number,
  maxRequests = MAX_BATCH_REQUESTS,
  maxBytes = MAX_BATCH_BYTES,
): Uint32Array {
  const seenIn = new Int32Array(objects).fill(-1);
  const starts: number[] = [0];
  let batch = 0;
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < keys.length; i++) {
    const full = count === maxRequests || (count > 0 && bytes + sizes[i] > maxBytes);
    if (full || seenIn[keys[i]] === batch) {
      starts.push(i);
      batch++;
      count = 0;
      bytes = 0;
    }
    seenIn[keys[i]] = batch;
    count++;
    bytes += sizes[i];
  }
  if (keys.length > 0) starts.push(keys.length);
  return Uint32Array.from(starts);
}
