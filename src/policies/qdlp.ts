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
 * The queues, parameters, contains/remove/verify are SmallGhostPolicy's (small-ghost.ts), shared with S3-FIFO;
 * the CLOCK's eviction step is clock.ts's.
 *
 * Known deviation from libCacheSim, only where it degenerates: libCacheSim refuses to put an object into the
 * small queue when its size is ≥ the queue's (after evicting room for it), so below 20 objects of capacity
 * it caches nothing; here the small queue holds at least 1 unit and an object of exactly its size is
 * admitted. Otherwise results are identical.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { clockVictim } from './clock.ts';
import { integerParam } from './param-checks.ts';
import { QUEUES, SmallGhostPolicy } from './small-ghost.ts';

const { SMALL, MAIN, GHOST } = QUEUES;

export class Qdlp extends SmallGhostPolicy implements EvictionPolicy {
  /** In the CLOCK, freq is its reference counter, saturating here; in the small queue, at 255. */
  private readonly maxFreq: number;

  constructor(ctx: PolicyContext) {
    super(ctx, 'qdlp', 'QDLP');
    this.maxFreq = (1 << integerParam('qdlp', ctx.params, 'bits', 1, 8)) - 1;
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
    if (ghostHit) this.ghost.forget(key);
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
      this.ghost.remember(k, s);
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
    const k = clockVictim(this.lists, MAIN, this.freq);
    this.lists.unlink(k);
    this.mainUsed -= this.sizeOf[k];
    this.evicted(k);
  }

  override verify(): void {
    super.verify();
    if (this.mainUsed > this.mainCap) throw new Error(`QDLP main holds ${this.mainUsed} > ${this.mainCap}`);
  }
}

export const qdlpPolicy: PolicyEntry = {
  name: 'qdlp',
  description: 'QD-LP: small FIFO with ghost (quick demotion) in front of a k-bit CLOCK (lazy promotion)',
  defaults: { small: 0.1, ghost: 0.9, bits: 2, threshold: 1 },
  create: (ctx) => new Qdlp(ctx),
};
