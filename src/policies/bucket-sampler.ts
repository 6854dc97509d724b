/**
 * A model of how libCacheSim draws a "random" cached object (chained_hashtable_rand_obj_v2): it picks
 * random hash buckets until one is non-empty and returns the object at the head of that bucket's chain.
 * New objects are pushed at the head of their chain, so an object that shares its bucket with a newer one
 * cannot be drawn until that one leaves. The table starts at 2^12 buckets for the sampling policies
 * (cachesim's hashpower 24, lowered by 8 twice, floor 12) and doubles when it holds more objects than
 * buckets, rehashing chains head to tail (which reverses their order), as libCacheSim does.
 *
 * Rejection sampling over buckets is the same as a uniform draw among the non-empty ones, which is what we
 * do (one draw per sample, from a dense set of non-empty buckets). Bucket = a hash of the dense key id, not
 * libCacheSim's hash of the original id, so which objects hide behind which differs; the bias is the same.
 */
import type { Random } from './api.ts';
import { grown } from './arrays.ts';
import { KeySet } from './redis-sampling.ts';

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

export class BucketSampler {
  private power = INITIAL_POWER;
  private heads: Int32Array;
  /** Per key: neighbours in its chain (toward head / toward tail), and whether it is held. */
  private up: Int32Array;
  private down: Int32Array;
  private held: Uint8Array;
  /** Buckets whose chain is not empty. */
  private occupied: KeySet;
  size = 0;

  constructor(keySpace: number) {
    const n = Math.max(keySpace, 16);
    this.heads = new Int32Array(1 << this.power).fill(NIL);
    this.occupied = new KeySet(1 << this.power);
    this.up = new Int32Array(n).fill(NIL);
    this.down = new Int32Array(n).fill(NIL);
    this.held = new Uint8Array(n);
  }

  reserve(n: number): void {
    this.up = grown(this.up, n, NIL);
    this.down = grown(this.down, n, NIL);
    this.held = grown(this.held, n, 0);
  }

  has(key: number): boolean {
    return this.held[key] === 1;
  }

  add(key: number): void {
    // libCacheSim checks the count before the insertion: it grows when it already holds more than buckets.
    if (this.size > this.heads.length) this.expand();
    this.push(key);
    this.held[key] = 1;
    this.size++;
  }

  delete(key: number): void {
    const u = this.up[key];
    const d = this.down[key];
    if (u !== NIL) this.down[u] = d;
    else {
      const b = bucketHash(key) & (this.heads.length - 1);
      this.heads[b] = d;
      if (d === NIL) this.occupied.delete(b);
    }
    if (d !== NIL) this.up[d] = u;
    this.up[key] = NIL;
    this.down[key] = NIL;
    this.held[key] = 0;
    this.size--;
  }

  /** The head of a uniformly drawn non-empty bucket (the sampler must not be empty). */
  random(random: Random): number {
    return this.heads[this.occupied.random(random)];
  }

  private push(key: number): void {
    const b = bucketHash(key) & (this.heads.length - 1);
    const h = this.heads[b];
    this.up[key] = NIL;
    this.down[key] = h;
    if (h !== NIL) this.up[h] = key;
    else this.occupied.add(b);
    this.heads[b] = key;
  }

  private expand(): void {
    const old = this.heads;
    this.power++;
    this.heads = new Int32Array(1 << this.power).fill(NIL);
    this.occupied = new KeySet(1 << this.power);
    for (let b = 0; b < old.length; b++) {
      for (let k = old[b]; k !== NIL; ) {
        const d = this.down[k];
        this.push(k);
        k = d;
      }
    }
  }

  /** Calls `f` for each held key (for verification). */
  forEach(f: (key: number) => void): void {
    for (let b = 0; b < this.heads.length; b++) for (let k = this.heads[b]; k !== NIL; k = this.down[k]) f(k);
  }

  verify(): void {
    let n = 0;
    for (let b = 0; b < this.heads.length; b++) {
      if ((this.heads[b] !== NIL) !== this.occupied.has(b))
        throw new Error(`bucket ${b}: occupancy flag wrong`);
      let u = NIL;
      for (let k = this.heads[b]; k !== NIL; k = this.down[k]) {
        if (this.up[k] !== u)
          throw new Error(`bucket ${b}: key ${k} links up to ${this.up[k]}, expected ${u}`);
        if ((bucketHash(k) & (this.heads.length - 1)) !== b)
          throw new Error(`key ${k} in the wrong bucket ${b}`);
        if (this.held[k] !== 1) throw new Error(`key ${k} chained but not marked held`);
        u = k;
        if (++n > this.size) throw new Error('bucket chains hold more keys than the size (cycle?)');
      }
    }
    if (n !== this.size) throw new Error(`bucket sampler: size ${this.size}, chains hold ${n}`);
  }
}
