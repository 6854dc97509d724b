/**
 * The cached keys of a sampling policy (Hyperbolic) with two numbers per key for the policy's score,
 * arranged so that a random draw reads one small record from a dense array.
 *
 * Which keys a draw can return: in `buckets` mode this models how libCacheSim draws a "random" cached object
 * (chained_hashtable_rand_obj_v2): it picks random hash buckets until one is non-empty and returns the
 * object at the head of that bucket's chain. New objects are pushed at the head of their chain, so an object
 * that shares its bucket with a newer one cannot be drawn until that one leaves. Rejection sampling over
 * buckets is the same as a uniform draw among the non-empty ones, so the drawable keys are the chain heads.
 * The table starts at 2^12 buckets for the sampling policies (cachesim's hashpower 24, lowered by 8 twice,
 * floor 12) and doubles when it holds more objects than buckets, rehashing chains head to tail (which
 * reverses their order), as libCacheSim does. Bucket = a hash of the dense key id, not libCacheSim's hash
 * of the original id, so which objects hide behind which differs; the bias is the same. In `uniform` mode
 * every held key is drawable (what the Hyperbolic paper intends).
 *
 * Layout, and why: each held key owns a record (its key and two numbers) in dense arrays, drawable keys in
 * records [0, drawableCount), hidden ones after them. A sample is then a uniform record index and a read of
 * 16 bytes from an array of about the cache's size, instead of reads scattered over per-key arrays as large
 * as the trace's key space (which missed the CPU caches on every sample). A key leaving the drawable range
 * is replaced by its bucket's new head, or else by the last drawable record; a head displaced by a newer key
 * hands it its record index. So the order of the drawable records depends only on the sequence of adds and
 * deletes, as libCacheSim's bucket order does.
 */
import { grown } from './arrays.ts';

const NIL = -1;
const INITIAL_POWER = 12;

/** MurmurHash3's 32-bit finaliser; a key's bucket is its low bits. */
export function bucketHash(key: number): number {
  let h = key | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export type SamplingMode = 'buckets' | 'uniform';

export class BucketSampler {
  /** Records [0, drawableCount) are the ones a draw can return. */
  drawableCount = 0;
  /** Keys held (= records in use). */
  size = 0;
  /** Per record r: the policy's two numbers, [2r] and [2r + 1]. Replaced when it grows: read it afresh. */
  stats: Float64Array;
  /** Per record: its key. */
  private keyOf: Int32Array;
  /**
   * Per key: its record (NIL when not held). Its own array rather than beside the chain links: a hit reads
   * only this, and the hot keys' records then share cache lines (measured faster on Zipf traces).
   */
  private recordOf: Int32Array;
  /** Per key: neighbours in its chain, toward head and toward tail (buckets mode only). */
  private up: Int32Array;
  private down: Int32Array;
  private readonly uniform: boolean;
  /** Per bucket: the head of its chain (buckets mode only). */
  private heads: Int32Array;

  constructor(keySpace: number, mode: SamplingMode) {
    const n = Math.max(keySpace, 16);
    this.uniform = mode === 'uniform';
    this.stats = new Float64Array(32);
    this.keyOf = new Int32Array(16);
    this.recordOf = new Int32Array(n).fill(NIL);
    this.up = new Int32Array(this.uniform ? 0 : n).fill(NIL);
    this.down = new Int32Array(this.uniform ? 0 : n).fill(NIL);
    this.heads = new Int32Array(this.uniform ? 0 : 1 << INITIAL_POWER).fill(NIL);
  }

  reserve(n: number): void {
    this.recordOf = grown(this.recordOf, n, NIL);
    if (this.uniform) return;
    this.up = grown(this.up, n, NIL);
    this.down = grown(this.down, n, NIL);
  }

  has(key: number): boolean {
    return this.recordOf[key] !== NIL;
  }

  /** The record of a held key (its numbers are stats[2r] and stats[2r + 1]), or NIL. */
  record(key: number): number {
    return this.recordOf[key];
  }

  /** The key of record `r`. */
  keyAt(r: number): number {
    return this.keyOf[r];
  }

  /** Adds a key (not held) with its two numbers. */
  add(key: number, first: number, second: number): void {
    if (this.size === this.keyOf.length) {
      this.keyOf = grown(this.keyOf, this.size + 1, 0);
      this.stats = grown(this.stats, 2 * this.keyOf.length, 0);
    }
    if (this.uniform) this.addDrawable(key);
    else {
      // libCacheSim checks the count before the insertion: it grows when it already holds more than buckets.
      if (this.size > this.heads.length) this.expand();
      this.push(key);
    }
    const r = this.recordOf[key];
    this.stats[2 * r] = first;
    this.stats[2 * r + 1] = second;
  }

  delete(key: number): void {
    if (this.uniform) {
      this.dropDrawable(key);
      return;
    }
    const u = this.up[key];
    const d = this.down[key];
    this.up[key] = NIL;
    this.down[key] = NIL;
    if (d !== NIL) this.up[d] = u;
    if (u !== NIL) {
      this.down[u] = d;
      this.dropHidden(key);
      return;
    }
    this.heads[bucketHash(key) & (this.heads.length - 1)] = d;
    if (d === NIL) {
      this.dropDrawable(key);
      return;
    }
    // The next in the chain takes over the head's record; its own (hidden) record is freed.
    const r = this.recordOf[key];
    const h = this.recordOf[d];
    this.recordOf[key] = NIL;
    this.stats[2 * r] = this.stats[2 * h];
    this.stats[2 * r + 1] = this.stats[2 * h + 1];
    this.place(d, r);
    this.fill(h);
  }

  /** Puts `key` in record `r` (its numbers already there). */
  private place(key: number, r: number): void {
    this.keyOf[r] = key;
    this.recordOf[key] = r;
  }

  /** Copies record `from` to record `to` (which is being vacated), keeping its key's mapping. */
  private move(from: number, to: number): void {
    this.stats[2 * to] = this.stats[2 * from];
    this.stats[2 * to + 1] = this.stats[2 * from + 1];
    this.place(this.keyOf[from], to);
  }

  /** Frees record `r` (in the hidden range, or the last drawable one) by moving the last record into it. */
  private fill(r: number): void {
    const last = --this.size;
    if (r !== last) this.move(last, r);
  }

  /** Gives `key` a new record at the end of the drawable range (the first hidden record moves to the end). */
  private addDrawable(key: number): void {
    const r = this.drawableCount++;
    if (r !== this.size) this.move(r, this.size);
    this.size++;
    this.place(key, r);
  }

  /** Drops a drawable key: the last drawable record takes its place, the last hidden record that one's. */
  private dropDrawable(key: number): void {
    const r = this.recordOf[key];
    this.recordOf[key] = NIL;
    const lastDrawable = --this.drawableCount;
    if (r !== lastDrawable) this.move(lastDrawable, r);
    this.fill(lastDrawable);
  }

  private dropHidden(key: number): void {
    const r = this.recordOf[key];
    this.recordOf[key] = NIL;
    this.fill(r);
  }

  /** Pushes a key at the head of its chain: a new key, or a held one during a rehash. */
  private push(key: number): void {
    const b = bucketHash(key) & (this.heads.length - 1);
    const h = this.heads[b];
    this.up[key] = NIL;
    this.down[key] = h;
    this.heads[b] = key;
    if (h === NIL) {
      this.addDrawable(key);
      return;
    }
    // The new head takes the old head's drawable record; the old head moves to a new hidden record.
    this.up[h] = key;
    const r = this.recordOf[h];
    this.move(r, this.size++);
    this.place(key, r);
  }

  /**
   * Doubles the table and rehashes every chain head to tail, rebuilding the records in push order. A key
   * not yet pushed still maps to its old record, whose numbers are read from a copy.
   */
  private expand(): void {
    const old = this.heads;
    const oldStats = this.stats.slice(0, 2 * this.size);
    this.heads = new Int32Array(old.length * 2).fill(NIL);
    this.size = 0;
    this.drawableCount = 0;
    for (let b = 0; b < old.length; b++) {
      for (let k = old[b]; k !== NIL; ) {
        const d = this.down[k];
        const from = this.recordOf[k];
        this.push(k);
        const r = this.recordOf[k];
        this.stats[2 * r] = oldStats[2 * from];
        this.stats[2 * r + 1] = oldStats[2 * from + 1];
        k = d;
      }
    }
  }

  /** Calls `f` for each held key (for verification). */
  forEach(f: (key: number) => void): void {
    for (let r = 0; r < this.size; r++) f(this.keyOf[r]);
  }

  verify(): void {
    if (this.drawableCount > this.size)
      throw new Error(`sampler: ${this.drawableCount} drawable of ${this.size} records`);
    for (let r = 0; r < this.size; r++) {
      const k = this.keyOf[r];
      const kr = this.recordOf[k];
      if (kr !== r) throw new Error(`sampler: record of key ${k} is ${kr}, not ${r}`);
    }
    if (this.uniform) {
      if (this.drawableCount !== this.size)
        throw new Error(`sampler: size ${this.size}, ${this.drawableCount} drawable`);
      return;
    }
    let n = 0;
    let heads = 0;
    for (let b = 0; b < this.heads.length; b++) {
      if (this.heads[b] !== NIL) heads++;
      let u = NIL;
      for (let k = this.heads[b]; k !== NIL; k = this.down[k]) {
        const ku = this.up[k];
        if (ku !== u) throw new Error(`bucket ${b}: key ${k} links up to ${ku}, expected ${u}`);
        if ((bucketHash(k) & (this.heads.length - 1)) !== b)
          throw new Error(`key ${k} in the wrong bucket ${b}`);
        const r = this.recordOf[k];
        if (r === NIL) throw new Error(`key ${k} chained but has no record`);
        if (r < this.drawableCount !== (u === NIL))
          throw new Error(`bucket ${b}: key ${k} drawable ${r < this.drawableCount}, head ${u === NIL}`);
        u = k;
        if (++n > this.size) throw new Error('bucket chains hold more keys than the size (cycle?)');
      }
    }
    if (n !== this.size) throw new Error(`bucket sampler: size ${this.size}, chains hold ${n}`);
    if (heads !== this.drawableCount)
      throw new Error(`bucket sampler: ${heads} non-empty buckets, ${this.drawableCount} drawable`);
  }
}
