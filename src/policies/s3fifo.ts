/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023). Three FIFO queues:
 * a small queue S (10% of the capacity), a main queue M (the rest) and a ghost queue G that remembers the
 * keys (not the data) of objects recently evicted from S, sized like 90% of the capacity.
 *
 * - A hit adds 1 to the object's frequency. Nothing moves.
 * - A miss whose key is in G is admitted to M (the ghost entry is dropped); any other miss enters S.
 * - Eviction, while the cache is too full: if M holds more than its share or S is empty, evict from M,
 *   else from S.
 *   - From S: the tail object moves to the head of M (frequency reset to 0) if its frequency reached the
 *     move-to-main threshold, else it is evicted and its key enters G; repeat until one object is evicted
 *     or S is empty. This is the "quick demotion" of one-hit wonders.
 *   - From M: the tail object with frequency f > 0 is reinserted at the head with frequency min(f, 3) − 1;
 *     the first one with frequency 0 is evicted.
 * - G is a FIFO over units too: it holds keys with the sizes their objects had, and drops its oldest keys
 *   when a new one would overflow it. Keys in G are not cached.
 *
 * Parameters: `small` = 0.1 (fraction of the capacity for S), `ghost` = 0.9 (fraction for G), `threshold`
 * = 2 (hits in S needed to move to M): libCacheSim's `S3FIFO-0.1000-2`.
 * Sizes as in libCacheSim: S = ⌊capacity × small⌋, M = capacity − S, G = ⌊capacity × ghost⌋ (no ghost when
 * 0). Objects larger than S are never admitted, in either mode (so in byte mode nothing larger than 10% of
 * the cache is ever cached, as in libCacheSim). A delete also drops the key's ghost entry, as libCacheSim does.
 *
 * The queues, parameters, contains/remove/verify are SmallGhostPolicy's (small-ghost.ts), shared with QD-LP.
 *
 * Known deviations from libCacheSim, both only where libCacheSim degenerates: libCacheSim refuses to put an
 * object into S when its size is ≥ S (after having evicted room for it), so with fewer than 20 objects of
 * capacity (S ≤ 1) it caches nothing at all; here S is at least 1 unit and an object of exactly S units is
 * admitted. With S ≥ 2 objects, and in byte mode for every size other than exactly S bytes, results are
 * identical.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { QUEUES, SmallGhostPolicy } from './small-ghost.ts';

const { SMALL, MAIN, GHOST } = QUEUES;

export class S3Fifo extends SmallGhostPolicy implements EvictionPolicy {
  constructor(ctx: PolicyContext) {
    super(ctx, 's3fifo', 'S3-FIFO');
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    const where = lists.owner[key];
    if (where === SMALL || where === MAIN) {
      // Saturating at 255: only comparisons with the threshold and 3 matter.
      if (this.freq[key] < 255) this.freq[key]++;
      return true;
    }
    const ghostHit = where === GHOST;
    if (ghostHit) this.ghost.forget(key);
    if (size > this.smallCap) return false;
    while (this.used + size > this.capacity) {
      if (this.mainUsed > this.mainCap || this.smallUsed === 0) this.evictMain();
      else this.evictSmall();
    }
    if (ghostHit) {
      lists.pushHead(MAIN, key);
      this.mainUsed += size;
    } else {
      lists.pushHead(SMALL, key);
      this.smallUsed += size;
    }
    this.freq[key] = 0;
    this.charge(key, size);
    return false;
  }

  /** Moves tail objects of S that earned it to M until one object is evicted or S is empty. */
  private evictSmall(): void {
    const lists = this.lists;
    while (this.smallUsed > 0) {
      const k = lists.popTail(SMALL);
      const s = this.sizeOf[k];
      this.smallUsed -= s;
      if (this.freq[k] >= this.threshold) {
        lists.pushHead(MAIN, k);
        this.mainUsed += s;
        this.freq[k] = 0;
      } else {
        this.evicted(k);
        this.ghost.remember(k, s);
        return;
      }
    }
  }

  /** Reinserts tail objects of M that were hit (one lap fewer each time) until one is evicted. */
  private evictMain(): void {
    const lists = this.lists;
    const freq = this.freq;
    while (this.mainUsed > 0) {
      const k = lists.tail[MAIN];
      const f = freq[k];
      if (f > 0) {
        lists.moveToHead(MAIN, k);
        freq[k] = Math.min(f, 3) - 1;
      } else {
        lists.unlink(k);
        this.mainUsed -= this.sizeOf[k];
        this.evicted(k);
        return;
      }
    }
  }
}

export const s3fifoPolicy: PolicyEntry = {
  name: 's3fifo',
  description: 'S3-FIFO: small, main and ghost FIFO queues with quick demotion',
  defaults: { small: 0.1, ghost: 0.9, threshold: 2 },
  create: (ctx) => new S3Fifo(ctx),
};
