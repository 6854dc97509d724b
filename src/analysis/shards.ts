/**
 * SHARDS spatial sampling of a trace (Waldspurger, Park, Garthwaite & Ahmad, "Efficient MRC Construction
 * with SHARDS", FAST 2015), as a RequestSource that wraps another one.
 *
 * A request is kept iff hash(key) mod P < T, so every request to a kept key is kept and the others are all
 * dropped: the sample is a set of keys, which preserves each kept key's reuse pattern. The rate is
 * R = T / P. A reuse distance d measured on the sample estimates d / R on the full trace, and a cache of c
 * units on the full trace behaves like a cache of c · R units on the sample ("mini-simulation",
 * Waldspurger et al., ATC 2017). P is 2^24 as in the paper; T = round(R · P), so R is a multiple of 2^-24.
 *
 * This is fixed-rate SHARDS, as a source any consumer can read. The fixed-size variant (a cap s_max on the
 * kept keys, lowering T as the sample grows) drops keys from the sample as it goes, which the replay loop's
 * policies cannot do, so it is not a source but its own LRU pass over the stack-distance engine
 * (shards-fixed.ts); it uses this module's hash and P.
 *
 * The hash is of the key's dense id (murmur3's finaliser via keymap.ts' hash64, salted by a seed): ids are
 * given in order of first appearance, so the same request stream in any encoding samples the same keys,
 * and string and 64-bit keys need no separate hashes. Kept keys get new dense ids 0, 1, 2, … in order of
 * first appearance, so policies and the stack-distance engine index arrays sized to the sample.
 *
 * The wrapper counts every request and byte of the full trace it reads: the SHARDS-adj correction (the
 * sampled count's deviation from its expectation R · N) needs N.
 */
import { InputError } from '../errors.ts';
import { grown } from '../policies/arrays.ts';
import {
  allocBatch,
  BATCH_SIZE,
  type RequestBatch,
  type RequestSource,
  type TraceInfo,
} from '../trace/api.ts';
import { hash64, KeyMap } from '../trace/keymap.ts';

/** The modulus P of the hash: 2^24, as in the SHARDS paper. */
export const SHARDS_MODULUS = 1 << 24;

/** Per full-trace id: the key has not been seen yet, or it was seen and dropped. */
const UNSEEN = -1;
const DROPPED = -2;

/** The threshold T for a sampling rate R in (0, 1]: round(R · P), at least 1. */
export function shardsThreshold(rate: number): number {
  if (!(rate > 0 && rate <= 1)) throw new InputError(`--sample: expected a rate in (0, 1], got ${rate}`);
  const t = Math.round(rate * SHARDS_MODULUS);
  if (t < 1) throw new InputError(`--sample: ${rate} is below the smallest rate, 2^-24`);
  return t;
}

/** hash(key) mod P of a dense id under a salt. */
export function shardsHash(id: number, salt: number): number {
  return hash64(id, salt) & (SHARDS_MODULUS - 1);
}

export class ShardsSource implements RequestSource {
  readonly info: TraceInfo;
  /** Key map of the sample: kept keys only, in their new dense ids. */
  readonly keys: KeyMap;
  readonly threshold: number;
  /** The exact rate T / P (the requested rate rounded to a multiple of 2^-24). */
  readonly rate: number;
  /** Requests and bytes read from the full trace so far (kept or not). */
  requestsSeen = 0;
  bytesSeen = 0;
  /** Requests handed out (kept). */
  requestsKept = 0;
  private readonly inner: RequestSource;
  private readonly salt: number;
  /** Per full-trace id: its id in the sample, UNSEEN or DROPPED. */
  private idOf = new Int32Array(1 << 16).fill(UNSEEN);
  private readonly out: RequestBatch;
  /** The inner batch being consumed and the position in it (a sample batch may span several). */
  private cur: RequestBatch | null = null;
  private pos = 0;
  private ended = false;

  /** Samples `inner` at `rate`; `seed` salts the hash, so different seeds sample different key sets. */
  constructor(inner: RequestSource, rate: number, seed = 0) {
    this.inner = inner;
    this.threshold = shardsThreshold(rate);
    this.rate = this.threshold / SHARDS_MODULUS;
    this.salt = seed >>> 0;
    this.keys = new KeyMap(inner.info.keyKind);
    this.out = allocBatch(BATCH_SIZE);
    // The sample's length is unknown until it is read.
    this.info = { ...inner.info, hasNext: false, requests: undefined };
  }

  /** Distinct keys of the full trace seen so far. */
  get keysSeen(): number {
    return this.inner.keys.size;
  }

  next(): RequestBatch | null {
    const out = this.out;
    const cap = out.key.length;
    let n = 0;
    while (n < cap && !this.ended) {
      if (this.cur === null || this.pos === this.cur.length) {
        this.cur = this.inner.next();
        this.pos = 0;
        if (this.cur === null) {
          this.ended = true;
          break;
        }
        if (this.inner.keys.size > this.idOf.length)
          this.idOf = grown(this.idOf, this.inner.keys.size, UNSEEN);
      }
      n = this.copyKept(this.cur, n, cap);
    }
    out.length = n;
    return n === 0 ? null : out;
  }

  /** Copies the kept requests of `b` from `pos` into the output from `n` until either is full; returns n. */
  private copyKept(b: RequestBatch, n: number, cap: number): number {
    const out = this.out;
    const { key, size, time, op, ttl } = b;
    const idOf = this.idOf;
    const t = this.threshold;
    const from = this.pos;
    const kept = n;
    let i = from;
    let bytes = 0;
    for (; i < b.length && n < cap; i++) {
      const s = size[i];
      bytes += s;
      const k = key[i];
      let id = idOf[k];
      if (id === UNSEEN) {
        id = shardsHash(k, this.salt) < t ? this.admit(k) : DROPPED;
        idOf[k] = id;
      }
      if (id === DROPPED) continue;
      out.key[n] = id;
      out.size[n] = s;
      out.time[n] = time[i];
      out.op[n] = op[i];
      out.ttl[n] = ttl[i];
      n++;
    }
    this.requestsKept += n - kept;
    this.requestsSeen += i - from;
    this.bytesSeen += bytes;
    this.pos = i;
    return n;
  }

  /** Gives a newly kept full-trace key the next id of the sample (the key map assigns them in order). */
  private admit(k: number): number {
    const src = this.inner.keys;
    if (this.keys.kind === 'string') return this.keys.idOfString(src.keyOf(k));
    const [lo, hi] = src.halves(k);
    return this.keys.idOfU64(lo, hi);
  }

  progress(): { done: number; total: number } {
    return this.inner.progress();
  }

  close(): void {
    this.inner.close();
  }
}
