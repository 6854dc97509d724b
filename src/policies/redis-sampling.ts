/**
 * The two pieces of Redis' approximated LRU/LFU (redis 7.0.15 evict.c): a key set that can be sampled, and
 * the eviction pool.
 *
 * KeySet stands for a Redis dict (`db->dict` or `db->expires`) when sampled with dictGetSomeKeys: a dense
 * array of member ids plus each id's position, so a member is added, removed and drawn in O(1). Redis walks
 * consecutive buckets from a random one, but keys are SipHash-distributed, so a uniform draw without
 * replacement is the model (notes §1.3).
 *
 * EvictionPool is EVPOOL_SIZE = 16 (key, score) entries kept sorted by ascending score, higher meaning "evict
 * first". It persists across evictions; an entry keeps the score computed when the key was sampled, and the
 * same key may sit in it twice. Insertion follows evictionPoolPopulate: skip a sample that scores below every
 * entry of a full pool; otherwise insert before the first entry with an equal or higher score, shifting right
 * into free space or, when full, dropping the lowest entry. The victim is taken from the right; each entry
 * looked at is removed, and an entry whose key is no longer in the sampled dict (a "ghost") is skipped.
 */

import type { Random } from './api.ts';
import { grown } from './arrays.ts';

export class KeySet {
  private members: Int32Array;
  /** Position of each id in `members`, or -1. */
  private pos: Int32Array;
  size = 0;

  constructor(keySpace: number) {
    this.members = new Int32Array(16);
    this.pos = new Int32Array(Math.max(keySpace, 16)).fill(-1);
  }

  reserve(n: number): void {
    this.pos = grown(this.pos, n, -1);
  }

  has(k: number): boolean {
    return this.pos[k] >= 0;
  }

  add(k: number): void {
    if (this.size === this.members.length) this.members = grown(this.members, this.size + 1, 0);
    this.members[this.size] = k;
    this.pos[k] = this.size++;
  }

  delete(k: number): void {
    const p = this.pos[k];
    const last = this.members[--this.size];
    this.members[p] = last;
    this.pos[last] = p;
    this.pos[k] = -1;
  }

  /** A uniformly drawn member (the set must not be empty). */
  random(random: Random): number {
    return this.members[Math.floor(random() * this.size)];
  }

  /**
   * Draws min(count, size) distinct members uniformly into `out` (a partial Fisher–Yates shuffle of the
   * member array, which reorders it — order carries no meaning). Returns how many were drawn.
   */
  sample(out: Int32Array, count: number, random: Random): number {
    const m = Math.min(count, this.size);
    const a = this.members;
    for (let j = 0; j < m; j++) {
      const r = j + Math.floor(random() * (this.size - j));
      const kj = a[j];
      const kr = a[r];
      a[j] = kr;
      a[r] = kj;
      this.pos[kr] = j;
      this.pos[kj] = r;
      out[j] = kr;
    }
    return m;
  }

  /** Calls `f` for each member (for verification). */
  forEach(f: (k: number) => void): void {
    for (let i = 0; i < this.size; i++) f(this.members[i]);
  }

  verify(): void {
    for (let i = 0; i < this.size; i++) {
      if (this.pos[this.members[i]] !== i) throw new Error(`key set: pos[${this.members[i]}] ≠ ${i}`);
    }
  }
}

export const EVPOOL_SIZE = 16;
const EMPTY = -1;

export class EvictionPool {
  /** Keys, ascending by score; filled from the left (EMPTY on the right). */
  readonly keys = new Int32Array(EVPOOL_SIZE).fill(EMPTY);
  readonly scores = new Float64Array(EVPOOL_SIZE);

  /** Offers a sampled key with its score (evictionPoolPopulate's insertion). */
  insert(key: number, score: number): void {
    const keys = this.keys;
    const scores = this.scores;
    let k = 0;
    while (k < EVPOOL_SIZE && keys[k] !== EMPTY && scores[k] < score) k++;
    if (k === 0 && keys[EVPOOL_SIZE - 1] !== EMPTY) return;
    if (k < EVPOOL_SIZE && keys[k] === EMPTY) {
      // Free slot: nothing to move.
    } else if (keys[EVPOOL_SIZE - 1] === EMPTY) {
      keys.copyWithin(k + 1, k, EVPOOL_SIZE - 1);
      scores.copyWithin(k + 1, k, EVPOOL_SIZE - 1);
    } else {
      // Full: drop the lowest entry and shift the ones below the insertion point left.
      k--;
      keys.copyWithin(0, 1, k + 1);
      scores.copyWithin(0, 1, k + 1);
    }
    keys[k] = key;
    scores[k] = score;
  }

  /**
   * Removes entries from the right until one whose key is in `live`; returns that key, or -1 when every entry
   * was a ghost (or the pool was empty).
   */
  takeBest(live: KeySet): number {
    for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
      const key = this.keys[k];
      if (key === EMPTY) continue;
      this.keys[k] = EMPTY;
      this.scores[k] = 0;
      if (live.has(key)) return key;
    }
    return -1;
  }

  /** Entries in use (they form a prefix). */
  get length(): number {
    let n = 0;
    while (n < EVPOOL_SIZE && this.keys[n] !== EMPTY) n++;
    return n;
  }

  verify(keySpace: number): void {
    const n = this.length;
    for (let k = 0; k < EVPOOL_SIZE; k++) {
      if (k >= n && this.keys[k] !== EMPTY) throw new Error(`eviction pool: entry ${k} after a free slot`);
      if (k < n && this.keys[k] >= keySpace)
        throw new Error(`eviction pool: key ${this.keys[k]} out of range`);
      if (k > 0 && k < n && this.scores[k] < this.scores[k - 1]) throw new Error('eviction pool: not sorted');
    }
  }
}
