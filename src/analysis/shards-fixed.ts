/**
 * Fixed-size SHARDS: the LRU miss-ratio curve from a sample of at most s_max keys, in memory bounded by
 * s_max however many keys the trace has (Waldspurger, Park, Garthwaite & Ahmad, "Efficient MRC Construction
 * with SHARDS", FAST 2015, §4.2).
 *
 * The sample is the keys seen so far whose hash T_i = hash(key) mod P lies below a threshold T, as in
 * fixed-rate SHARDS (shards.ts: same hash, same P = 2^24, same salt), but T starts at P (rate 1: every key)
 * and falls. When a new key would make the sample hold s_max + 1 keys, the key with the largest T_i leaves
 * it and T drops to that T_i, so the rate R = T / P falls as the trace goes on; keys whose hash equals the
 * new T (hash collisions) leave with it, since the sample is exactly the seen keys with T_i < T. A key that
 * left never comes back: T only falls. The keys sit in a max-heap by T_i (max-heap.ts), and a key's removal
 * takes its mark out of the stack-distance tree (StackDistance.remove), so later distances do not count it.
 *
 * An access sampled while the rate is R_i has its distance d scaled to d / R_i, the estimate of its
 * full-trace distance. The paper rescales every histogram count by R_new / R_old when the rate drops and
 * counts each new access 1; every count then ends up R_final / R_i times what it was added at. Here each
 * access is weighted 1 / R_i when it is added instead, which is the same curve up to the common factor
 * R_final, without a pass over the histogram at each drop (there are about s_max · ln(M / s_max) drops for
 * M keys). The histogram is bucketed (scaled-histogram.ts) so it too stays O(s_max).
 *
 * The curve applies the SHARDS-adj correction as the fixed-rate path does (mrc.ts): the weighted hits are
 * read against the full trace's N requests rather than against the sample's total weight, the difference
 * counting as hits at every size.
 *
 * With s_max at least the number of distinct keys nothing is ever dropped, the rate stays 1, the weights and
 * scale factors are exactly 1 and the curve is the exact one.
 *
 * Memory: the key-to-slot table (int-map.ts), the heap, the stack-distance engine (indexed by slot, which
 * freed keys hand on to new ones) and the histogram are all O(s_max); only the reader's own key map grows
 * with the trace. Byte mode counts hits at a grid of full-trace byte sizes fixed in advance, like
 * ByteDistances in mrc.ts, with a sampled byte distance b at rate R_i hitting a cache of C bytes when
 * b / R_i + size ≤ C.
 */
import { InputError } from '../errors.ts';
import { forEachBatch, type ProgressFn, type RequestSource } from '../trace/api.ts';
import { IntMap } from './int-map.ts';
import { MaxHeap } from './max-heap.ts';
import { type CurvePoint, curvePoints, type SampleScale } from './mrc.ts';
import { ScaledHistogram } from './scaled-histogram.ts';
import { SHARDS_MODULUS, shardsHash } from './shards.ts';
import { StackDistance } from './stack-distance.ts';

export interface FixedSizeOptions {
  /** s_max: most keys in the sample at once. */
  readonly sampleSize: number;
  /** Salts the hash, as in fixed-rate SHARDS. */
  readonly seed?: number;
  /** Byte mode: the ascending full-trace byte sizes to count hits at. Absent: object mode. */
  readonly byteGrid?: readonly number[];
  /** Called for every key leaving the sample (its full-trace id) with the threshold after it left. */
  readonly onEvict?: (key: number, threshold: number) => void;
}

/** s_max as given on the command line: a whole number from 1 to P (beyond P keys the hashes must repeat). */
function checkSampleSize(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > SHARDS_MODULUS)
    throw new InputError(`--sample-size: expected a whole number of keys from 1 to 2^24, got ${n}`);
  return n;
}

export class FixedSizeShards {
  readonly sampleSize: number;
  /** The threshold T: a key is in the sample iff hash < T. */
  threshold = SHARDS_MODULUS;
  /** Requests and bytes of the full trace read so far, kept or not. */
  requestsSeen = 0;
  bytesSeen = 0;
  /** Requests that were in the sample when they came. */
  requestsKept = 0;
  /** Keys that left the sample. */
  evictions = 0;
  /** Distinct keys of the full trace (the reader's count, once read). */
  keysSeen = 0;
  private readonly salt: number;
  private readonly sd: StackDistance;
  private readonly slotOf: IntMap;
  private readonly heap: MaxHeap;
  /** Full-trace id of the key in each slot; free slots on a stack. */
  private readonly keyOfSlot: Int32Array;
  private readonly free: Int32Array;
  private freeCount = 0;
  private slotsUsed = 0;
  private readonly hist: ScaledHistogram | null;
  private readonly grid: Float64Array | null;
  /** Byte mode: weight (and weighted bytes) of the accesses whose smallest hitting grid size is grid[j]. */
  private readonly hitsAt: Float64Array;
  private readonly bytesAt: Float64Array;
  /** Byte mode: total weight and weighted bytes of the sampled accesses. */
  private weight = 0;
  private weightedBytes = 0;
  private readonly onEvict?: (key: number, threshold: number) => void;

  constructor(opts: FixedSizeOptions) {
    const n = checkSampleSize(opts.sampleSize);
    this.sampleSize = n;
    this.salt = (opts.seed ?? 0) >>> 0;
    const grid = opts.byteGrid;
    this.sd = new StackDistance({ bytes: grid !== undefined, initialCapacity: 2 * (n + 1) });
    this.sd.reserve(n + 1);
    this.slotOf = new IntMap(n + 1);
    this.heap = new MaxHeap(n + 1);
    this.keyOfSlot = new Int32Array(n + 1);
    this.free = new Int32Array(n + 1);
    this.onEvict = opts.onEvict;
    if (grid === undefined) {
      this.hist = new ScaledHistogram(4 * n);
      this.grid = null;
    } else {
      for (let j = 1; j < grid.length; j++)
        if (!(grid[j] > grid[j - 1])) throw new Error(`FixedSizeShards: grid not ascending at ${j}`);
      this.hist = null;
      this.grid = Float64Array.from(grid);
    }
    this.hitsAt = new Float64Array(grid?.length ?? 0);
    this.bytesAt = new Float64Array(grid?.length ?? 0);
  }

  /** Reads `src` to the end (without closing it). */
  static of(src: RequestSource, opts: FixedSizeOptions, onProgress?: ProgressFn): FixedSizeShards {
    const f = new FixedSizeShards(opts);
    forEachBatch(src, (b) => f.addBatch(b.key, b.size, b.length), onProgress);
    f.keysSeen = src.keys.size;
    return f;
  }

  /** The rate T / P now (at the end of the trace, the final rate). */
  get rate(): number {
    return this.threshold / SHARDS_MODULUS;
  }

  /** Keys in the sample now. */
  get sampled(): number {
    return this.heap.size;
  }

  /** Bytes held by the typed arrays: O(s_max), whatever the trace. */
  get arrayBytes(): number {
    return (
      this.sd.arrayBytes +
      this.slotOf.arrayBytes +
      this.heap.arrayBytes +
      this.keyOfSlot.byteLength +
      this.free.byteLength +
      (this.hist?.arrayBytes ?? 0) +
      this.hitsAt.byteLength +
      this.bytesAt.byteLength
    );
  }

  addBatch(key: Uint32Array, size: Uint32Array, n: number): void {
    const salt = this.salt;
    const sd = this.sd;
    const slotOf = this.slotOf;
    const hist = this.hist;
    let bytes = 0;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const s = size[i];
      bytes += s;
      const k = key[i];
      const h = shardsHash(k, salt);
      const t = this.threshold;
      if (h >= t) continue;
      kept++;
      const weight = SHARDS_MODULUS / t;
      let slot = slotOf.get(k);
      const isNew = slot < 0;
      if (isNew) slot = this.admit(k, h);
      const d = sd.access(slot, s);
      if (hist !== null) {
        if (d < 0) hist.addInfinite(weight, s);
        else hist.add((d * SHARDS_MODULUS) / t, weight, s);
      } else {
        this.weight += weight;
        this.weightedBytes += weight * s;
        if (d >= 0) this.addByteHit((sd.byteDistance * SHARDS_MODULUS) / t + s, weight, s);
      }
      // The access counts at the rate it came at; only then may the sample shrink (the paper's order).
      if (isNew && this.heap.size > this.sampleSize) this.shrink();
    }
    this.requestsSeen += n;
    this.bytesSeen += bytes;
    this.requestsKept += kept;
  }

  /** Gives key `k` (hash `h`) a free slot and puts it in the sample. */
  private admit(k: number, h: number): number {
    const slot = this.freeCount > 0 ? this.free[--this.freeCount] : this.slotsUsed++;
    this.keyOfSlot[slot] = k;
    this.slotOf.insert(k, slot);
    this.heap.push(h, slot);
    return slot;
  }

  /** Drops the key with the largest hash, lowers T to it, and drops any other key with that hash. */
  private shrink(): void {
    const heap = this.heap;
    const t = heap.topPriority;
    this.threshold = t;
    while (heap.size > 0 && heap.topPriority >= t) {
      const slot = heap.pop();
      const k = this.keyOfSlot[slot];
      this.slotOf.delete(k);
      this.sd.remove(slot);
      this.free[this.freeCount++] = slot;
      this.evictions++;
      this.onEvict?.(k, t);
    }
  }

  /** Byte mode: counts an access needing `need` full-trace bytes at the first grid size ≥ need. */
  private addByteHit(need: number, weight: number, size: number): void {
    const grid = this.grid!;
    let lo = 0;
    let hi = grid.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (grid[mid] >= need) hi = mid;
      else lo = mid + 1;
    }
    if (lo < grid.length) {
      this.hitsAt[lo] += weight;
      this.bytesAt[lo] += weight * size;
    }
  }

  /** Object mode: the curve at `sizes` (objects on the full trace). */
  curve(sizes: readonly number[]): CurvePoint[] {
    const hist = this.hist;
    if (hist === null) throw new Error('FixedSizeShards.curve: built for bytes; use byteCurve');
    const { hits, byteHits } = hist.hitCurve(sizes);
    return curvePoints(sizes, hits, byteHits, hist.total, hist.totalBytes, this.fullScale());
  }

  /** Byte mode: the curve at the grid's sizes. */
  byteCurve(): CurvePoint[] {
    const grid = this.grid;
    if (grid === null) throw new Error('FixedSizeShards.byteCurve: built for objects; use curve');
    const hits = new Float64Array(grid.length);
    const byteHits = new Float64Array(grid.length);
    let h = 0;
    let bh = 0;
    for (let j = 0; j < grid.length; j++) {
      h += this.hitsAt[j];
      bh += this.bytesAt[j];
      hits[j] = h;
      byteHits[j] = bh;
    }
    return curvePoints(Array.from(grid), hits, byteHits, this.weight, this.weightedBytes, this.fullScale());
  }

  /** Weighted counts estimate full-trace counts, so the SHARDS-adj denominator is the full trace itself. */
  private fullScale(): SampleScale {
    return { rate: 1, requests: this.requestsSeen, bytes: this.bytesSeen };
  }
}
