/**
 * The replay loop: reads a trace once and fans every batch out to many (policy, capacity) cells.
 *
 * Semantics (libCacheSim's `cachesim` by default): every request is a get; a miss admits the object.
 * With `honorOps`, sets write (admit or refresh, not counted as hits or misses), deletes remove, and TTLs
 * from sets make later gets of the expired copy misses. In object mode each object counts 1 unit of capacity;
 * in byte mode its size. Byte miss ratios always weigh requests by their real sizes.
 */
import seedrandom from 'seedrandom';
import type { EvictionPolicy } from '../policies/api.ts';
import type { PolicySpec } from '../policies/registry.ts';
import type { KeyCounter, RequestBatch, RequestSource } from '../trace/api.ts';
import { OP_DELETE, OP_GET } from '../trace/api.ts';
import { perClass } from './per-class.ts';

export interface ReplayCell {
  readonly policy: PolicySpec;
  /** Capacity in units: objects or bytes. */
  readonly capacity: number;
}

export interface ReplayOptions {
  readonly byteMode: boolean;
  readonly honorOps?: boolean;
  /** Requests at the start that warm the caches but are not counted. */
  readonly warmupRequests?: number;
  /** Counted requests per window of the miss-ratio-over-time series (0: no series). */
  readonly windowRequests?: number;
  /** Seed for randomised policies; each cell gets its own named stream. */
  readonly seed?: number;
  /** Distinct keys expected (preallocation); grows as needed. */
  readonly keySpace?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface WindowCounts {
  readonly requests: number;
  readonly misses: number;
  readonly bytesRequested: number;
  readonly bytesMissed: number;
}

export interface CellResult {
  readonly policy: string;
  readonly size: number;
  readonly sizeUnit: 'objects' | 'bytes';
  readonly requests: number;
  readonly misses: number;
  readonly bytesRequested: number;
  readonly bytesMissed: number;
  readonly missRatio: number;
  readonly byteMissRatio: number;
  readonly windows: readonly WindowCounts[];
}

/** Counters of one cell, kept in plain fields so the loop stays monomorphic. */
class Counters {
  requests = 0;
  misses = 0;
  bytesRequested = 0;
  bytesMissed = 0;
  windows: WindowCounts[] = [];
  private wReq = 0;
  private wMiss = 0;
  private wBytes = 0;
  private wBytesMissed = 0;

  add(requests: number, misses: number, bytes: number, bytesMissed: number): void {
    this.requests += requests;
    this.misses += misses;
    this.bytesRequested += bytes;
    this.bytesMissed += bytesMissed;
    this.wReq += requests;
    this.wMiss += misses;
    this.wBytes += bytes;
    this.wBytesMissed += bytesMissed;
  }

  closeWindow(): void {
    if (this.wReq === 0) return;
    this.windows.push({
      requests: this.wReq,
      misses: this.wMiss,
      bytesRequested: this.wBytes,
      bytesMissed: this.wBytesMissed,
    });
    this.wReq = this.wMiss = this.wBytes = this.wBytesMissed = 0;
  }
}

/**
 * Runs requests [from, to) of a batch through one cache, every request a get. Returns misses in `out`.
 * Each policy class runs its own compiled copy (getsLoopOf), so it must use nothing outside its parameters.
 */
function runGets(
  p: EvictionPolicy,
  b: RequestBatch,
  from: number,
  to: number,
  byteMode: boolean,
  out: Float64Array,
): void {
  const { key, size, time, next } = b;
  let misses = 0;
  let bytes = 0;
  let bytesMissed = 0;
  for (let i = from; i < to; i++) {
    const s = size[i];
    bytes += s;
    if (!p.access(key[i], byteMode ? s : 1, time[i], next === null ? -1 : next[i])) {
      misses++;
      bytesMissed += s;
    }
  }
  out[0] = misses;
  out[1] = bytes;
  out[2] = bytesMissed;
  out[3] = to - from;
}

const getsLoopOf = perClass(runGets);

/**
 * Runs requests [from, to) honouring ops and TTLs. `expiry` holds, per key, the µs time its cached copy
 * expires in this cell (0: never).
 */
function runOps(
  p: EvictionPolicy,
  b: RequestBatch,
  from: number,
  to: number,
  byteMode: boolean,
  expiry: Float64Array,
  out: Float64Array,
): void {
  const { key, size, time, next, op, ttl } = b;
  let gets = 0;
  let misses = 0;
  let bytes = 0;
  let bytesMissed = 0;
  for (let i = from; i < to; i++) {
    const k = key[i];
    const o = op[i];
    const now = time[i];
    if (o === OP_DELETE) {
      p.remove(k);
      continue;
    }
    const s = size[i];
    const units = byteMode ? s : 1;
    const nx = next === null ? -1 : next[i];
    if (o === OP_GET) {
      gets++;
      bytes += s;
      if (expiry[k] !== 0 && now >= expiry[k] && p.contains(k)) p.remove(k);
      if (!p.access(k, units, now, nx)) {
        misses++;
        bytesMissed += s;
        expiry[k] = 0;
      }
    } else {
      // A write replaces the value: drop the old copy so the new size is charged, then admit.
      p.remove(k);
      p.access(k, units, now, nx);
      expiry[k] = ttl[i] > 0 ? now + ttl[i] * 1e6 : 0;
      if (p.setExpiry !== undefined && p.contains(k)) p.setExpiry(k, expiry[k]);
    }
  }
  out[0] = misses;
  out[1] = bytes;
  out[2] = bytesMissed;
  out[3] = gets;
}

export interface ReplayOutput {
  /** Counted requests (after warmup). */
  readonly requests: number;
  /** Counted requests that were the first to their key: the misses of an infinite cache. */
  readonly compulsoryMisses: number;
  readonly compulsoryBytesMissed: number;
  readonly bytesRequested: number;
  readonly results: CellResult[];
}

/** Counts first requests to each key in [from, to): ids are dense in order of first appearance. */
function countFirsts(b: RequestBatch, from: number, to: number, seenKeys: number, out: Float64Array): number {
  const { key, size } = b;
  let firsts = 0;
  let bytes = 0;
  let total = 0;
  for (let i = from; i < to; i++) {
    total += size[i];
    if (key[i] === seenKeys) {
      seenKeys++;
      firsts++;
      bytes += size[i];
    }
  }
  out[0] = firsts;
  out[1] = bytes;
  out[2] = total;
  return seenKeys;
}

export function replay(
  src: RequestSource<KeyCounter>,
  cells: readonly ReplayCell[],
  opts: ReplayOptions,
): ReplayOutput {
  const byteMode = opts.byteMode;
  const honorOps = opts.honorOps === true && src.info.hasOp;
  const warmup = opts.warmupRequests ?? 0;
  const windowRequests = opts.windowRequests ?? 0;
  const keySpace = Math.max(opts.keySpace ?? 1 << 16, 16);
  const seed = opts.seed ?? 1;
  // Streams are named by the cell, not its position, so splitting cells over workers changes nothing.
  const caches = cells.map((c) =>
    c.policy.entry.create({
      capacity: c.capacity,
      keySpace,
      random: seedrandom.alea(`${seed}/cell/${c.policy.label}/${c.capacity}`),
      params: c.policy.params,
      byteMode,
    }),
  );
  const getsLoops = caches.map(getsLoopOf);
  const counters = cells.map(() => new Counters());
  const expiry = honorOps ? cells.map(() => new Float64Array(keySpace)) : [];
  const out = new Float64Array(4);
  let reserved = keySpace;
  let seen = 0; // requests read so far, warmup included
  let counted = 0; // requests counted so far (toward windows)
  let seenKeys = 0;
  let compulsory = 0;
  let compulsoryBytes = 0;
  let bytesRequested = 0;
  const firsts = new Float64Array(3);

  for (let b = src.next(); b !== null; b = src.next()) {
    const n = b.length;
    if (src.keys.size > reserved) {
      reserved = Math.max(src.keys.size, reserved * 2);
      for (const c of caches) c.reserve(reserved);
      for (let i = 0; i < expiry.length; i++) {
        const e = new Float64Array(reserved);
        e.set(expiry[i]);
        expiry[i] = e;
      }
    }
    // Split the batch at the warmup boundary and at window boundaries so counts land in the right bin.
    let i = 0;
    while (i < n) {
      let end = n;
      const warm = seen + i < warmup;
      if (warm) end = Math.min(n, i + (warmup - seen - i));
      else if (windowRequests > 0) end = Math.min(n, i + (windowRequests - (counted % windowRequests)));
      seenKeys = countFirsts(b, i, end, seenKeys, firsts);
      if (!warm) {
        compulsory += firsts[0];
        compulsoryBytes += firsts[1];
        bytesRequested += firsts[2];
      }
      for (let c = 0; c < caches.length; c++) {
        if (honorOps) runOps(caches[c], b, i, end, byteMode, expiry[c], out);
        else getsLoops[c](caches[c], b, i, end, byteMode, out);
        if (!warm) {
          counters[c].add(out[3], out[0], out[1], out[2]);
          if (windowRequests > 0 && (counted + end - i) % windowRequests === 0) counters[c].closeWindow();
        }
      }
      if (!warm) counted += end - i;
      i = end;
    }
    seen += n;
    if (opts.onProgress) {
      const p = src.progress();
      opts.onProgress(p.done, p.total);
    }
  }
  const results = cells.map((cell, c): CellResult => {
    const k = counters[c];
    k.closeWindow();
    return {
      policy: cell.policy.label,
      size: cell.capacity,
      sizeUnit: byteMode ? 'bytes' : 'objects',
      requests: k.requests,
      misses: k.misses,
      bytesRequested: k.bytesRequested,
      bytesMissed: k.bytesMissed,
      missRatio: k.requests > 0 ? k.misses / k.requests : 0,
      byteMissRatio: k.bytesRequested > 0 ? k.bytesMissed / k.bytesRequested : 0,
      windows: windowRequests > 0 ? k.windows : [],
    };
  });
  return {
    requests: counted,
    compulsoryMisses: compulsory,
    compulsoryBytesMissed: compulsoryBytes,
    bytesRequested,
    results,
  };
}
