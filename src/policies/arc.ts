/**
 * ARC — adaptive replacement cache (Megiddo & Modha, "ARC: A self-tuning, low overhead replacement cache",
 * FAST 2003). Two LRU lists of cached objects: T1 holds objects seen once recently, T2 objects seen at least
 * twice; each has a ghost list (B1, B2) of keys recently evicted from it. A target p for T1's size adapts:
 * a miss that hits a B1 ghost means T1 was too small, so p grows (by max(|B2|/|B1|, 1)); a B2 ghost hit
 * shrinks it (by max(|B1|/|B2|, 1)). REPLACE evicts T1's tail into B1 when T1 is above p (or equal to p on a
 * B2 ghost hit), otherwise T2's tail into B2. A hit in T1 or T2 moves the object to T2's head; a ghost hit
 * inserts at T2's head; a new object goes to T1's head. On a miss in all four lists ("case IV"), if T1 + B1
 * would exceed the capacity, B1's oldest ghost is dropped before REPLACE (or, with B1 empty, T1's tail is
 * evicted without a ghost); otherwise, once all four lists together reach twice the capacity, B2's oldest
 * ghost is dropped before REPLACE.
 *
 * This follows libCacheSim's ARC in every detail, so it matches its miss counts exactly:
 * - Sizes are in units, so in byte mode list sizes, ghost sizes and p are bytes, yet p still moves by the
 *   ratio max(|B2|/|B1|, 1) per ghost hit — one byte at a time unless the ghost lists are unbalanced — and
 *   is capped at the capacity.
 * - Eviction repeats until the new object fits, and each round is one REPLACE (or one case-IV step), so a
 *   large object can evict several small ones and create several ghosts.
 * - The "ghost hit on B2" flag that breaks the T1 = p tie is only cleared by the next request that finds its
 *   key in any list, as in libCacheSim.
 * No parameters.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { NIL, PairedLists } from './paired-lists.ts';

const T1 = 0;
const T2 = 1;
const B1 = 2;
const B2 = 3;

export class Arc extends BasePolicy implements EvictionPolicy {
  /** T1, T2, B1, B2: a PairedLists, as every hit relinks a key (a key's prev and next in one cache line). */
  private lists: PairedLists;
  /** The list a key is in, or −1. */
  private where: Int8Array;
  /**
   * Whether an object of a size other than 1 was ever admitted. Until then (every object-mode replay) each
   * key stands for 1 unit and sizeOf is neither read nor written: those reads, one per hit in T1, per ghost
   * hit and per eviction, each a cache miss on a large key space, made up a third of ARC's time. Once sized,
   * sizeOf holds the size a key in any of the four lists stands for, cached or ghost (one array, where
   * BasePolicy's charge and release would zero it on eviction and need a second one for the ghosts), so
   * ARC does its own accounting.
   */
  private sized = false;
  private t1 = 0;
  private t2 = 0;
  private b1 = 0;
  private b2 = 0;
  /** Target size of T1, in units. */
  private p = 0;
  /** The last request found its key in B2 (see the header: cleared lazily, as libCacheSim does). */
  private lastInB2 = false;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.lists = new PairedLists(4, ctx.keySpace);
    this.where = new Int8Array(Math.max(ctx.keySpace, 16)).fill(-1);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
    this.where = grown(this.where, n, -1);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    const where = this.where[key];
    if (where >= 0) this.lastInB2 = false;
    if (where === T2) {
      lists.bumpToHead(T2, key);
      return true;
    }
    if (where === T1) {
      const s = this.unitsOf(key);
      lists.unlink(T1, key);
      this.link(T2, key);
      this.t1 -= s;
      this.t2 += s;
      return true;
    }
    let ghostHit = false;
    if (where === B1) {
      this.p = Math.min(this.p + atLeastOne(this.b2 / this.b1), this.capacity);
      this.b1 -= this.unitsOf(key);
      this.unlink(B1, key);
      ghostHit = true;
    } else if (where === B2) {
      this.p = Math.max(this.p - atLeastOne(this.b1 / this.b2), 0);
      this.b2 -= this.unitsOf(key);
      this.unlink(B2, key);
      this.lastInB2 = true;
      ghostHit = true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) {
      if (ghostHit) this.replace();
      else this.evictOnFullMiss(size);
    }
    if (ghostHit) {
      this.link(T2, key);
      this.t2 += size;
      this.lastInB2 = false;
    } else {
      this.link(T1, key);
      this.t1 += size;
    }
    if (this.sized) this.sizeOf[key] = size;
    else if (size !== 1) this.startSizing(key, size);
    this.used += size;
    this.count++;
    return false;
  }

  /** REPLACE: demote T1's or T2's tail to its ghost list. */
  private replace(): void {
    const t1 = this.t1;
    if ((t1 > 0 && (t1 > this.p || (t1 === this.p && this.lastInB2))) || this.t2 === 0) {
      const k = this.demoteTail(T1, B1);
      const s = this.unitsOf(k);
      this.t1 -= s;
      this.b1 += s;
      this.left(k, s);
    } else {
      const k = this.demoteTail(T2, B2);
      const s = this.unitsOf(k);
      this.t2 -= s;
      this.b2 += s;
      this.left(k, s);
    }
  }

  private unitsOf(k: number): number {
    return this.sized ? this.sizeOf[k] : 1;
  }

  /** The first object of a size other than 1: every key listed so far stands for 1 unit, `key` for `size`. */
  private startSizing(key: number, size: number): void {
    const lists = this.lists;
    for (let l = T1; l <= B2; l++)
      for (let k = lists.head[l]; k !== NIL; k = lists.next(k)) this.sizeOf[k] = 1;
    this.sizeOf[key] = size;
    this.sized = true;
  }

  /** Accounts for an object of `s` units that left the cache, and calls the hook. */
  private left(k: number, s: number): void {
    this.used -= s;
    this.count--;
    if (this.onEvict !== null) this.onEvict(k, s);
  }

  /** Puts `k`, in no list, at the head of list `l`. */
  private link(l: number, k: number): void {
    this.lists.pushHead(l, k);
    this.where[k] = l;
  }

  /** Takes `k` out of list `l`, which holds it. */
  private unlink(l: number, k: number): void {
    this.lists.unlink(l, k);
    this.where[k] = -1;
  }

  /** Removes and returns the tail of list `l` (not empty). */
  private dropTail(l: number): number {
    const k = this.lists.dropTail(l);
    this.where[k] = -1;
    return k;
  }

  /** Moves the tail of list `from` (not empty) to the head of list `to`; the hot step of every miss. */
  private demoteTail(from: number, to: number): number {
    const k = this.lists.dropTail(from);
    this.link(to, k);
    return k;
  }

  /** One eviction step for a request found in no list (the paper's case IV). */
  private evictOnFullMiss(size: number): void {
    if (this.t1 + this.b1 + size > this.capacity) {
      if (this.b1 > 0) {
        this.b1 -= this.unitsOf(this.dropTail(B1));
        this.replace();
      } else {
        const k = this.dropTail(T1);
        const s = this.unitsOf(k);
        this.t1 -= s;
        this.left(k, s);
      }
      return;
    }
    if (this.t1 + this.b1 + this.t2 + this.b2 >= 2 * this.capacity && this.b2 > 0) {
      this.b2 -= this.unitsOf(this.dropTail(B2));
    }
    this.replace();
  }

  contains(key: number): boolean {
    const where = this.where[key];
    return where === T1 || where === T2;
  }

  /** Drops the object, or its ghost (a deleted key should not count as a re-reference), as libCacheSim does. */
  remove(key: number): boolean {
    const where = this.where[key];
    if (where < 0) return false;
    this.unlink(where, key);
    const s = this.unitsOf(key);
    if (where === B1 || where === B2) {
      if (where === B1) this.b1 -= s;
      else this.b2 -= s;
      return false;
    }
    this.used -= s;
    this.count--;
    if (where === T1) this.t1 -= s;
    else this.t2 -= s;
    return true;
  }

  verify(): void {
    const lists = this.lists;
    const sums = [0, 0, 0, 0];
    for (let l = T1; l <= B2; l++) {
      lists.verify(l);
      for (let k = lists.head[l]; k !== NIL; k = lists.next(k)) {
        if (this.where[k] !== l) throw new Error(`ARC key ${k} in list ${l} says ${this.where[k]}`);
        sums[l] += this.unitsOf(k);
      }
    }
    let listed = 0;
    for (let k = 0; k < this.where.length; k++) if (this.where[k] >= 0) listed++;
    if (listed !== lists.length[T1] + lists.length[T2] + lists.length[B1] + lists.length[B2])
      throw new Error(`ARC: ${listed} keys say they are listed, the lists hold fewer`);
    const mine = [this.t1, this.t2, this.b1, this.b2];
    if (sums.some((s, l) => s !== mine[l]))
      throw new Error(`ARC totals ${mine.join('/')}, lists hold ${sums.join('/')}`);
    if (this.t1 + this.t2 !== this.used)
      throw new Error(`ARC used ${this.used}, T1 + T2 hold ${this.t1 + this.t2}`);
    if (lists.length[T1] + lists.length[T2] !== this.count)
      throw new Error('ARC count disagrees with T1 + T2');
    if (this.p < 0 || this.p > this.capacity)
      throw new Error(`ARC target ${this.p} outside [0, ${this.capacity}]`);
    this.checkCapacity();
  }
}

/** max(x, 1) as libCacheSim's MAX macro computes it: a NaN ratio (0/0, with zero-size ghosts) gives 1. */
function atLeastOne(x: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 1) is NaN, where C's MAX gives 1.
  return x > 1 ? x : 1;
}

export const arcPolicy: PolicyEntry = {
  name: 'arc',
  description: 'adaptive replacement cache (T1/T2 with ghost lists B1/B2)',
  defaults: {},
  create: (ctx) => new Arc(ctx),
};
