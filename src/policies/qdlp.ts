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
 * The queues (rings of ids), parameters, contains/remove/verify are SmallGhostPolicy's (small-ghost.ts), shared
 * with S3-FIFO; the CLOCK's eviction step is clock.ts's, redone here over M's ring.
 *
 * Known deviation from libCacheSim, only where it degenerates: libCacheSim refuses to put an object into the
 * small queue when its size is ≥ the queue's (after evicting room for it), so below 20 objects of capacity
 * it caches nothing; here the small queue holds at least 1 unit and an object of exactly its size is
 * admitted. Otherwise results are identical.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { integerParam } from './param-checks.ts';
import { SmallGhostPolicy, STATES } from './small-ghost.ts';

const { FREQ, IN_SMALL, IN_MAIN, IN_GHOST } = STATES;

export class Qdlp extends SmallGhostPolicy implements EvictionPolicy {
  /** In the CLOCK, the hit counter is its reference counter, saturating here; in the small queue, at 255. */
  private readonly maxFreq: number;

  constructor(ctx: PolicyContext) {
    super(ctx, 'qdlp', 'QDLP');
    this.maxFreq = (1 << integerParam('qdlp', ctx.params, 'bits', 1, 8)) - 1;
  }

  access(key: number, size: number): boolean {
    const state = this.state;
    const v = state[key];
    if (v >= IN_SMALL && v < IN_MAIN) {
      if ((v & FREQ) !== FREQ) state[key] = v + 1;
      return true;
    }
    if (v >= IN_MAIN && v < IN_GHOST) {
      if ((v & FREQ) < this.maxFreq) state[key] = v + 1;
      return true;
    }
    const ghostHit = v === IN_GHOST;
    if (ghostHit) this.forgetGhost(key);
    if (size > this.smallCap) return false;
    while (this.used + size > this.capacity) {
      if (this.smallUsed === 0) this.clockEvict();
      else this.demote();
    }
    if (ghostHit) {
      if (!this.toMain(key, size)) return false;
    } else {
      this.enterSmall(key, size);
    }
    this.used += size;
    this.count++;
    return false;
  }

  /** The small queue's tail leaves it: promoted to the CLOCK, or evicted into the ghost. */
  private demote(): void {
    const k = this.small.shift();
    const s = this.small.shiftedSize;
    this.smallUsed -= s;
    if ((this.state[k] & FREQ) >= this.threshold) {
      if (!this.toMain(k, s)) this.dropped(k, s);
    } else {
      this.dropped(k, s);
      this.rememberGhost(k, s);
    }
  }

  /** Inserts into the main CLOCK, evicting inside it first; false if it is larger than the CLOCK. */
  private toMain(key: number, size: number): boolean {
    if (size > this.mainCap) return false;
    while (this.mainUsed + size > this.mainCap) this.clockEvict();
    this.enterMain(key, size);
    return true;
  }

  /** One turn of the CLOCK hand: tails with a counter above 0 lose 1 and go round to the head; the first at 0 leaves. */
  private clockEvict(): void {
    const main = this.main;
    const state = this.state;
    for (;;) {
      const k = main.shift();
      const s = main.shiftedSize;
      const v = state[k];
      if ((v & FREQ) > 0) {
        state[k] = v - 1;
        this.seqs[k] = main.push(k, s);
      } else {
        this.mainUsed -= s;
        this.dropped(k, s);
        return;
      }
    }
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
