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
 * Known deviations from libCacheSim, both only where libCacheSim degenerates: libCacheSim refuses to put an
 * object into S when its size is ≥ S (after having evicted room for it), so with fewer than 20 objects of
 * capacity (S ≤ 1) it caches nothing at all; here S is at least 1 unit and an object of exactly S units is
 * admitted. With S ≥ 2 objects, and in byte mode for every size other than exactly S bytes, results are
 * identical.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';
import { integerParam, numberParam } from './param-checks.ts';

const SMALL = 0;
const MAIN = 1;
const GHOST = 2;

export class S3Fifo extends BasePolicy implements EvictionPolicy {
  private lists: KeyLists;
  /** Hits while cached, saturating at 255 (only comparisons with the threshold and 3 matter). */
  private freq: Uint8Array;
  /** Size a ghost key's object had when it left S. */
  private ghostSize: Uint32Array;
  private readonly smallCap: number;
  private readonly mainCap: number;
  private readonly ghostCap: number;
  private readonly threshold: number;
  private smallUsed = 0;
  private mainUsed = 0;
  private ghostUsed = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    const small = numberParam('s3fifo', ctx.params, 'small', 0, 1);
    const ghost = numberParam('s3fifo', ctx.params, 'ghost', 0, 10);
    this.threshold = integerParam('s3fifo', ctx.params, 'threshold', 0, 255);
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
    if (where === SMALL || where === MAIN) {
      if (this.freq[key] < 255) this.freq[key]++;
      return true;
    }
    const ghostHit = where === GHOST;
    if (ghostHit) {
      lists.unlink(key);
      this.ghostUsed -= this.ghostSize[key];
    }
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
        this.remember(k, s);
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

  /** Puts an evicted key into the ghost FIFO, dropping its oldest keys to make room. */
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
    if (lists.length[SMALL] + lists.length[MAIN] !== this.count) throw new Error('S3-FIFO count disagrees');
    const sum = (l: number, sizes: Uint32Array): number => {
      let s = 0;
      for (let k = lists.head[l]; k !== NIL; k = lists.next[k]) s += sizes[k];
      return s;
    };
    if (sum(SMALL, this.sizeOf) !== this.smallUsed) throw new Error('S3-FIFO small queue size disagrees');
    if (sum(MAIN, this.sizeOf) !== this.mainUsed) throw new Error('S3-FIFO main queue size disagrees');
    if (sum(GHOST, this.ghostSize) !== this.ghostUsed) throw new Error('S3-FIFO ghost size disagrees');
    if (this.smallUsed + this.mainUsed !== this.used)
      throw new Error('S3-FIFO used disagrees with its queues');
    if (this.ghostUsed > this.ghostCap)
      throw new Error(`S3-FIFO ghost holds ${this.ghostUsed} > ${this.ghostCap}`);
    this.checkCapacity();
  }
}

export const s3fifoPolicy: PolicyEntry = {
  name: 's3fifo',
  description: 'S3-FIFO: small, main and ghost FIFO queues with quick demotion',
  defaults: { small: 0.1, ghost: 0.9, threshold: 2 },
  create: (ctx) => new S3Fifo(ctx),
};
