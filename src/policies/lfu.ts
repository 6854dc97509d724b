/**
 * LFU — least frequently used. Each cached object counts its requests since it was admitted (1 on
 * admission; the count is forgotten on eviction). The victim is an object with the smallest count; among
 * equal counts, the one that reached that count earliest, which (since every request raises the count) is
 * the least recently requested: LFU with LRU tie-break, as libCacheSim's LFU does it (each count has a
 * queue; objects join at its back and are evicted from its front).
 *
 * O(1) per request (Shah, Mitra and Matani, "An O(1) algorithm for implementing the LFU cache eviction
 * scheme", 2010): objects live in one queue per count; the queues that are not empty form a list in
 * increasing count order, so the smallest is its first and a count's successor is found next to it.
 * Count queues come from a pool of typed-array slots, at most one per cached object plus one.
 *
 * No parameters. Matches libCacheSim's LFU exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';

const NIL = -1;

export class Lfu extends BasePolicy implements EvictionPolicy {
  /** Per key: count queue (NIL when not cached) and neighbours in it (toward front / toward back). */
  private bucketOf: Int32Array;
  private prev: Int32Array;
  private next: Int32Array;
  /** Per count queue: its count, front and back keys, and neighbouring queues in count order. */
  private bCount: Float64Array;
  private bFront: Int32Array;
  private bBack: Int32Array;
  private bLower: Int32Array;
  private bHigher: Int32Array;
  /** Queue with the smallest count, and the first free queue slot (free slots chain through bHigher). */
  private lowest = NIL;
  private free = NIL;
  private slots = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    const n = Math.max(ctx.keySpace, 16);
    this.bucketOf = new Int32Array(n).fill(NIL);
    this.prev = new Int32Array(n);
    this.next = new Int32Array(n);
    this.bCount = new Float64Array(16);
    this.bFront = new Int32Array(16);
    this.bBack = new Int32Array(16);
    this.bLower = new Int32Array(16);
    this.bHigher = new Int32Array(16);
  }

  protected reserveMore(n: number): void {
    this.bucketOf = grown(this.bucketOf, n, NIL);
    this.prev = grown(this.prev, n, 0);
    this.next = grown(this.next, n, 0);
  }

  access(key: number, size: number): boolean {
    const b = this.bucketOf[key];
    if (b !== NIL) {
      this.promote(key, b);
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evictOne();
    let first = this.lowest;
    if (first === NIL || this.bCount[first] !== 1) first = this.newBucket(1, NIL, first);
    this.append(first, key);
    this.charge(key, size);
    return false;
  }

  /** Moves `key` from its count queue `b` to the back of the next count's queue. */
  private promote(key: number, b: number): void {
    const c = this.bCount[b] + 1;
    let up = this.bHigher[b];
    if (up === NIL || this.bCount[up] !== c) up = this.newBucket(c, b, up);
    this.detach(b, key);
    this.append(up, key);
  }

  private evictOne(): void {
    const b = this.lowest;
    const k = this.bFront[b];
    this.detach(b, k);
    this.evicted(k);
  }

  private append(b: number, key: number): void {
    const back = this.bBack[b];
    this.prev[key] = back;
    this.next[key] = NIL;
    if (back === NIL) this.bFront[b] = key;
    else this.next[back] = key;
    this.bBack[b] = key;
    this.bucketOf[key] = b;
  }

  /** Unlinks `key` from queue `b`, dropping the queue when it empties. */
  private detach(b: number, key: number): void {
    const p = this.prev[key];
    const n = this.next[key];
    if (p === NIL) this.bFront[b] = n;
    else this.next[p] = n;
    if (n === NIL) this.bBack[b] = p;
    else this.prev[n] = p;
    this.bucketOf[key] = NIL;
    if (this.bFront[b] === NIL) this.dropBucket(b);
  }

  /** A new empty queue for `count`, linked between queues `lower` and `higher` (either may be NIL). */
  private newBucket(count: number, lower: number, higher: number): number {
    let b = this.free;
    if (b !== NIL) this.free = this.bHigher[b];
    else {
      b = this.slots++;
      if (b === this.bCount.length) this.growBuckets();
    }
    this.bCount[b] = count;
    this.bFront[b] = NIL;
    this.bBack[b] = NIL;
    this.bLower[b] = lower;
    this.bHigher[b] = higher;
    if (lower === NIL) this.lowest = b;
    else this.bHigher[lower] = b;
    if (higher !== NIL) this.bLower[higher] = b;
    return b;
  }

  private dropBucket(b: number): void {
    const lo = this.bLower[b];
    const hi = this.bHigher[b];
    if (lo === NIL) this.lowest = hi;
    else this.bHigher[lo] = hi;
    if (hi !== NIL) this.bLower[hi] = lo;
    this.bHigher[b] = this.free;
    this.free = b;
  }

  private growBuckets(): void {
    const n = this.bCount.length * 2;
    this.bCount = grown(this.bCount, n, 0);
    this.bFront = grown(this.bFront, n, 0);
    this.bBack = grown(this.bBack, n, 0);
    this.bLower = grown(this.bLower, n, 0);
    this.bHigher = grown(this.bHigher, n, 0);
  }

  contains(key: number): boolean {
    return this.bucketOf[key] !== NIL;
  }

  remove(key: number): boolean {
    const b = this.bucketOf[key];
    if (b === NIL) return false;
    this.detach(b, key);
    this.release(key);
    return true;
  }

  verify(): void {
    let objects = 0;
    let units = 0;
    let lastCount = 0;
    let lo = NIL;
    for (let b = this.lowest; b !== NIL; b = this.bHigher[b]) {
      if (this.bLower[b] !== lo)
        throw new Error(`LFU queue ${b}: lower link ${this.bLower[b]}, expected ${lo}`);
      if (this.bCount[b] <= lastCount) throw new Error(`LFU counts not increasing at queue ${b}`);
      if (this.bFront[b] === NIL)
        throw new Error(`LFU queue ${b} (count ${this.bCount[b]}) is empty but linked`);
      lastCount = this.bCount[b];
      let p = NIL;
      for (let k = this.bFront[b]; k !== NIL; k = this.next[k]) {
        if (this.prev[k] !== p) throw new Error(`LFU key ${k}: prev ${this.prev[k]}, expected ${p}`);
        if (this.bucketOf[k] !== b) throw new Error(`LFU key ${k}: queue ${this.bucketOf[k]}, expected ${b}`);
        units += this.sizeOf[k];
        p = k;
        if (++objects > this.count) throw new Error('LFU queues hold more keys than the count (cycle?)');
      }
      if (this.bBack[b] !== p) throw new Error(`LFU queue ${b}: back ${this.bBack[b]}, expected ${p}`);
      lo = b;
    }
    if (objects !== this.count) throw new Error(`LFU count ${this.count}, queues hold ${objects}`);
    if (units !== this.used) throw new Error(`LFU used ${this.used}, sizes sum to ${units}`);
    this.checkCapacity();
  }
}

export const lfuPolicy: PolicyEntry = {
  name: 'lfu',
  description: 'least frequently used (ties: least recently used)',
  defaults: {},
  create: (ctx) => new Lfu(ctx),
};
