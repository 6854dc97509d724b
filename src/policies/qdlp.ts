/**
 * QD-LP (Yang et al., "FIFO can be better than LRU: the power of lazy promotion and quick demotion",
 * HotOS 2023): a small probationary FIFO queue with a ghost queue in front of a main cache. Here the main
 * cache is a k-bit CLOCK, which promotes lazily (a hit only bumps a counter); the small FIFO demotes quickly
 * (objects not requested during their short stay there leave early).
 *
 * - A hit in the small queue counts the hit; a hit in the main CLOCK bumps its counter (saturating at
 *   2^bits − 1).
 * - A miss whose key is in the ghost queue goes to the main CLOCK (the ghost entry is dropped); any other
 *   miss enters the small queue.
 * - Eviction, while the cache is too full: if the small queue is empty, the CLOCK evicts one object (tail
 *   with counter > 0: decrement, move to head; else evict). Otherwise the small queue's tail leaves it: to
 *   the CLOCK if it was hit at least `threshold` times there, else out of the cache, its key into the ghost.
 * - The main CLOCK is a cache of its own with capacity − small units: whatever enters it (a promoted object
 *   or a ghost hit) first makes room by CLOCK eviction inside it, even when the cache as a whole has room.
 * - The ghost queue is a FIFO of keys with their object sizes, holding up to `ghost` × capacity units.
 *
 * Parameters: `small` = 0.1, `ghost` = 0.9, `bits` = 2, `threshold` = 1, which is libCacheSim's
 * `QDLP-0.1000-0.9000-Clock2-1` (fifo-size-ratio, ghost-size-ratio, main cache Clock with a 2-bit counter,
 * move-to-main threshold). libCacheSim can also use other main caches (LRU, ARC, …); only CLOCK is offered.
 * Sizes: small = ⌊capacity × small⌋, main = capacity − small, ghost = ⌊capacity × ghost⌋ (none when 0);
 * objects larger than the small queue are never admitted.
 *
 * Known deviation from libCacheSim, only where it degenerates: libCacheSim refuses to put an object into the
 * small queue when its size is ≥ the queue's (after evicting room for it), so below 20 objects of capacity
 * it caches nothing; here the small queue holds at least 1 unit and an object of exactly its size is
 * admitted. Otherwise results are identical.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';
import { integerParam, numberParam } from './param-checks.ts';

const SMALL = 0;
const MAIN = 1;
const GHOST = 2;

export class Qdlp extends BasePolicy implements EvictionPolicy {
  private lists: KeyLists;
  /** In the small queue: hits there (saturating at 255). In the CLOCK: its reference counter. */
  private freq: Uint8Array;
  private ghostSize: Uint32Array;
  private readonly smallCap: number;
  private readonly mainCap: number;
  private readonly ghostCap: number;
  private readonly maxFreq: number;
  private readonly threshold: number;
  private smallUsed = 0;
  private mainUsed = 0;
  private ghostUsed = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    const small = numberParam('qdlp', ctx.params, 'small', 0, 1);
    const ghost = numberParam('qdlp', ctx.params, 'ghost', 0, 10);
    this.maxFreq = (1 << integerParam('qdlp', ctx.params, 'bits', 1, 8)) - 1;
    this.threshold = integerParam('qdlp', ctx.params, 'threshold', 0, 255);
    this.smallCap = Math.max(1, Math.floor(ctx.capacity * small));
    this.mainCap = ctx.capacity - this.smallCap;
    this.ghostCap = Math.floor(ctx.capacity * ghost);
    this.lists = new KeyLists(3, ctx.keySpace);
    this.freq = new Uint8Array(Math.max(ctx.keySpace, 16));
    this.ghostSize = new Uint32Array(Math.max(ctx.keySpace, 16));
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
    this.freq = grown(this.freq, n, 0);
    this.ghostSize = grown(this.ghostSize, n, 0);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    const where = lists.owner[key];
    if (where === SMALL) {
      if (this.freq[key] < 255) this.freq[key]++;
      return true;
    }
    if (where === MAIN) {
      if (this.freq[key] < this.maxFreq) this.freq[key]++;
      return true;
    }
    const ghostHit = where === GHOST;
    if (ghostHit) {
      lists.unlink(key);
      this.ghostUsed -= this.ghostSize[key];
    }
    if (size > this.smallCap) return false;
    while (this.used + size > this.capacity) {
      if (this.smallUsed === 0) this.clockEvict();
      else this.demote();
    }
    if (ghostHit) {
      if (this.toMain(key, size)) this.charge(key, size);
    } else {
      lists.pushHead(SMALL, key);
      this.smallUsed += size;
      this.freq[key] = 0;
      this.charge(key, size);
    }
    return false;
  }

  /** The small queue's tail leaves it: promoted to the CLOCK, or evicted into the ghost. */
  private demote(): void {
    const k = this.lists.popTail(SMALL);
    const s = this.sizeOf[k];
    this.smallUsed -= s;
    if (this.freq[k] >= this.threshold) {
      if (!this.toMain(k, s)) this.evicted(k);
    } else {
      this.evicted(k);
      this.remember(k, s);
    }
  }

  /** Inserts into the main CLOCK, evicting inside it first; false if it is larger than the CLOCK. */
  private toMain(key: number, size: number): boolean {
    if (size > this.mainCap) return false;
    while (this.mainUsed + size > this.mainCap) this.clockEvict();
    this.lists.pushHead(MAIN, key);
    this.mainUsed += size;
    this.freq[key] = 0;
    return true;
  }

  private clockEvict(): void {
    const lists = this.lists;
    const freq = this.freq;
    let k = lists.tail[MAIN];
    while (freq[k] > 0) {
      freq[k]--;
      lists.moveToHead(MAIN, k);
      k = lists.tail[MAIN];
    }
    lists.unlink(k);
    this.mainUsed -= this.sizeOf[k];
    this.evicted(k);
  }

  private remember(key: number, size: number): void {
    if (size > this.ghostCap) return;
    const lists = this.lists;
    while (this.ghostUsed + size > this.ghostCap) this.ghostUsed -= this.ghostSize[lists.popTail(GHOST)];
    lists.pushHead(GHOST, key);
    this.ghostSize[key] = size;
    this.ghostUsed += size;
  }

  contains(key: number): boolean {
    const w = this.lists.owner[key];
    return w === SMALL || w === MAIN;
  }

  remove(key: number): boolean {
    const w = this.lists.owner[key];
    if (w === GHOST) {
      this.lists.unlink(key);
      this.ghostUsed -= this.ghostSize[key];
      return false;
    }
    if (w !== SMALL && w !== MAIN) return false;
    this.lists.unlink(key);
    const s = this.release(key);
    if (w === SMALL) this.smallUsed -= s;
    else this.mainUsed -= s;
    return true;
  }

  verify(): void {
    const lists = this.lists;
    for (let l = 0; l < 3; l++) lists.verify(l);
    if (lists.length[SMALL] + lists.length[MAIN] !== this.count) throw new Error('QDLP count disagrees');
    const sum = (l: number, sizes: Uint32Array): number => {
      let s = 0;
      for (let k = lists.head[l]; k !== NIL; k = lists.next[k]) s += sizes[k];
      return s;
    };
    if (sum(SMALL, this.sizeOf) !== this.smallUsed) throw new Error('QDLP small queue size disagrees');
    if (sum(MAIN, this.sizeOf) !== this.mainUsed) throw new Error('QDLP main CLOCK size disagrees');
    if (sum(GHOST, this.ghostSize) !== this.ghostUsed) throw new Error('QDLP ghost size disagrees');
    if (this.smallUsed + this.mainUsed !== this.used) throw new Error('QDLP used disagrees with its queues');
    if (this.mainUsed > this.mainCap) throw new Error(`QDLP main holds ${this.mainUsed} > ${this.mainCap}`);
    if (this.ghostUsed > this.ghostCap)
      throw new Error(`QDLP ghost holds ${this.ghostUsed} > ${this.ghostCap}`);
    this.checkCapacity();
  }
}

export const qdlpPolicy: PolicyEntry = {
  name: 'qdlp',
  description: 'QD-LP: small FIFO with ghost (quick demotion) in front of a k-bit CLOCK (lazy promotion)',
  defaults: { small: 0.1, ghost: 0.9, bits: 2, threshold: 1 },
  create: (ctx) => new Qdlp(ctx),
};
