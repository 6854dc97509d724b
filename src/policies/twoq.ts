/**
 * 2Q — the full version of Johnson & Shasha, "2Q: A low overhead high performance buffer management
 * replacement algorithm", VLDB 1994. A first-time object enters Ain, a FIFO; hits there change nothing
 * (a burst of correlated references does not make an object hot). When Ain is over its share, its tail
 * leaves the cache and its key is remembered in Aout, a FIFO of ghost keys. A miss on a key remembered in
 * Aout means the object was re-referenced after a while, so it goes straight into Am, an LRU, which holds
 * the rest of the cache; hits in Am move the object to Am's head.
 *
 * Sizes follow libCacheSim's TwoQ: Ain holds ⌊capacity × ain⌋ units, Am the remaining units, and Aout
 * remembers ⌊capacity × aout⌋ units of ghosts (each ghost weighs its object's size). To make room for a
 * miss, evict from Ain (moving its key to Aout) while Ain is over its share, otherwise from Am's tail. An
 * object larger than Ain's share is never admitted, even on an Aout hit. An Aout hit is inserted by Am's own
 * admission rule, which may evict more from Am to keep Am within its share.
 *
 * Parameters: `ain` (default 0.25) and `aout` (default 0.5), libCacheSim's Ain-size-ratio and
 * Aout-size-ratio. `ain` is capped at 0.5 so that Am is never smaller than Ain, which guarantees Am has an
 * object to evict whenever Ain is within its share. Aout is a GhostQueue (ghost-queue.ts), the ghost FIFO
 * S3-FIFO and QD-LP use too. Matches libCacheSim's TwoQ exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { BasePolicy } from './base.ts';
import { GhostQueue } from './ghost-queue.ts';
import { KeyLists, NIL } from './list.ts';
import { numberParam } from './param-checks.ts';

const AIN = 0;
const AM = 1;
const AOUT = 2;

export class TwoQ extends BasePolicy implements EvictionPolicy {
  private lists: KeyLists;
  private readonly aout: GhostQueue;
  private readonly ainCap: number;
  private readonly amCap: number;
  private ainUsed = 0;
  private amUsed = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.ainCap = Math.floor(ctx.capacity * numberParam('twoq', ctx.params, 'ain', 0, 0.5));
    const aoutCap = Math.floor(ctx.capacity * numberParam('twoq', ctx.params, 'aout', 0, 10));
    this.amCap = ctx.capacity - this.ainCap;
    this.lists = new KeyLists(3, ctx.keySpace);
    this.aout = new GhostQueue(this.lists, AOUT, aoutCap, ctx.keySpace);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
    this.aout.reserve(n);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    const where = lists.owner[key];
    if (where === AIN) return true;
    if (where === AM) {
      lists.moveToHead(AM, key);
      return true;
    }
    // The ghost is consumed by the request even if the object then turns out too large to admit.
    const ghostHit = where === AOUT;
    if (ghostHit) this.aout.forget(key);
    if (size > this.ainCap) return false;
    while (this.used + size > this.capacity) this.evictOne();
    if (ghostHit) {
      while (this.amUsed + size > this.amCap) this.evictAm();
      lists.pushHead(AM, key);
      this.amUsed += size;
    } else {
      lists.pushHead(AIN, key);
      this.ainUsed += size;
    }
    this.charge(key, size);
    return false;
  }

  private evictOne(): void {
    if (this.ainUsed <= this.ainCap) {
      this.evictAm();
      return;
    }
    const k = this.lists.popTail(AIN);
    const s = this.sizeOf[k];
    this.ainUsed -= s;
    this.aout.remember(k, s);
    this.evicted(k);
  }

  private evictAm(): void {
    const k = this.lists.popTail(AM);
    this.amUsed -= this.sizeOf[k];
    this.evicted(k);
  }

  contains(key: number): boolean {
    const where = this.lists.owner[key];
    return where === AIN || where === AM;
  }

  /** Drops the object, or its ghost (a deleted key should not count as a re-reference). */
  remove(key: number): boolean {
    const where = this.lists.owner[key];
    if (where === AOUT) {
      this.aout.forget(key);
      return false;
    }
    if (where < 0) return false;
    this.lists.unlink(key);
    const s = this.release(key);
    if (where === AIN) this.ainUsed -= s;
    else this.amUsed -= s;
    return true;
  }

  verify(): void {
    const lists = this.lists;
    const sums = [0, 0];
    for (let l = AIN; l <= AM; l++) {
      lists.verify(l);
      for (let k = lists.head[l]; k !== NIL; k = lists.next[k]) sums[l] += this.sizeOf[k];
    }
    if (sums[AIN] !== this.ainUsed || sums[AM] !== this.amUsed)
      throw new Error(`2Q totals Ain ${this.ainUsed}/Am ${this.amUsed}, lists hold ${sums.join('/')}`);
    this.aout.verify('2Q');
    if (this.ainUsed + this.amUsed !== this.used)
      throw new Error(`2Q used ${this.used}, Ain + Am hold ${sums[0] + sums[1]}`);
    if (lists.length[AIN] + lists.length[AM] !== this.count)
      throw new Error('2Q count disagrees with its lists');
    if (this.amUsed > this.amCap) throw new Error(`2Q Am holds ${this.amUsed} > its share ${this.amCap}`);
    this.checkCapacity();
  }
}

export const twoqPolicy: PolicyEntry = {
  name: 'twoq',
  description: '2Q: FIFO probation (Ain), ghost FIFO (Aout), LRU main (Am)',
  defaults: { ain: 0.25, aout: 0.5 },
  create: (ctx) => new TwoQ(ctx),
};
