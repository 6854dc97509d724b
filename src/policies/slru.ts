/**
 * SLRU — segmented LRU with n equal segments (Karedla, Love & Wherry, "Caching strategies to improve disk
 * system performance", IEEE Computer 1994; the four-segment S4LRU is from Huang et al., "An analysis of
 * Facebook photo caching", SOSP 2013). Segment 0 is the probationary one, segment n−1 the most protected.
 * A hit moves the object to the head of the next segment up (or to the head of the top segment if it is
 * already there); a segment pushed over its size pushes its own tail down to the head of the segment below,
 * and segment 0 overflowing evicts its tail. A miss goes into the lowest segment that still has room, so a
 * cold cache fills segment 0 first, then 1, and so on; once all are full it goes into segment 0 even if that
 * runs segment 0 over its share (the whole cache is still within capacity). To make room for a miss the
 * tail of the lowest non-empty segment is evicted.
 *
 * Parameter: `segments` (default 4: libCacheSim's `S4LRU(25:25:25:25)`). Each segment holds
 * ⌊capacity / segments⌋ units, and an object larger than one segment is not admitted — both as libCacheSim
 * does, so in object mode with a capacity not divisible by the segment count the remainder is only ever used
 * by segment 0's overflow. Matches libCacheSim's SLRU exactly; one deliberate difference: `remove` takes the
 * object's size off its segment's total (libCacheSim's SLRU_remove leaves the segment total unchanged).
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';
import { integerParam } from './param-checks.ts';

export class Slru extends BasePolicy implements EvictionPolicy {
  private lists: KeyLists;
  private readonly segments: number;
  /** Units each segment may hold before it pushes its tail down. */
  private readonly segmentCap: number;
  /** Units held per segment. */
  private readonly segmentUsed: Float64Array;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.segments = integerParam('slru', ctx.params, 'segments', 1, 16);
    this.segmentCap = Math.floor(ctx.capacity / this.segments);
    this.segmentUsed = new Float64Array(this.segments);
    this.lists = new KeyLists(this.segments, ctx.keySpace);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    const seg = lists.owner[key];
    if (seg >= 0) {
      const top = this.segments - 1;
      if (seg === top) {
        lists.moveToHead(top, key);
      } else {
        const s = this.sizeOf[key];
        lists.unlink(key);
        lists.pushHead(seg + 1, key);
        this.segmentUsed[seg] -= s;
        this.segmentUsed[seg + 1] += s;
        while (this.segmentUsed[lists.owner[key]] > this.segmentCap) this.cool(lists.owner[key]);
      }
      return true;
    }
    if (size > this.capacity || size > this.segmentCap) return false;
    while (this.used + size > this.capacity) this.evictLowest();
    let target = 0;
    for (let i = 0; i < this.segments; i++) {
      if (this.segmentUsed[i] + size <= this.segmentCap) {
        target = i;
        break;
      }
    }
    lists.pushHead(target, key);
    this.segmentUsed[target] += size;
    this.charge(key, size);
    return false;
  }

  /** Moves segment `seg`'s tail one segment down (out of the cache from segment 0), cascading overflow. */
  private cool(seg: number): void {
    if (seg === 0) {
      this.evictLowest();
      return;
    }
    const lists = this.lists;
    const k = lists.popTail(seg);
    const s = this.sizeOf[k];
    lists.pushHead(seg - 1, k);
    this.segmentUsed[seg] -= s;
    this.segmentUsed[seg - 1] += s;
    while (this.segmentUsed[seg - 1] > this.segmentCap) this.cool(seg - 1);
  }

  /** Evicts the tail of the lowest segment holding any units. */
  private evictLowest(): void {
    let seg = 0;
    while (this.segmentUsed[seg] <= 0) seg++;
    const k = this.lists.popTail(seg);
    this.segmentUsed[seg] -= this.sizeOf[k];
    this.evicted(k);
  }

  contains(key: number): boolean {
    return this.lists.owner[key] >= 0;
  }

  remove(key: number): boolean {
    const seg = this.lists.owner[key];
    if (seg < 0) return false;
    this.lists.unlink(key);
    this.segmentUsed[seg] -= this.release(key);
    return true;
  }

  verify(): void {
    let used = 0;
    let count = 0;
    for (let seg = 0; seg < this.segments; seg++) {
      this.lists.verify(seg);
      let sum = 0;
      for (let k = this.lists.head[seg]; k !== NIL; k = this.lists.next[k]) sum += this.sizeOf[k];
      if (sum !== this.segmentUsed[seg])
        throw new Error(`SLRU segment ${seg} says ${this.segmentUsed[seg]}, holds ${sum}`);
      used += sum;
      count += this.lists.length[seg];
    }
    if (used !== this.used) throw new Error(`SLRU used ${this.used}, segments hold ${used}`);
    if (count !== this.count) throw new Error(`SLRU count ${this.count}, segments hold ${count}`);
    this.checkCapacity();
  }
}

export const slruPolicy: PolicyEntry = {
  name: 'slru',
  description: 'segmented LRU, equal segments (S4LRU by default)',
  defaults: { segments: 4 },
  create: (ctx) => new Slru(ctx),
};
