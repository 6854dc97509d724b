/**
 * Belady's MIN (Belady, "A study of replacement algorithms for a virtual-storage computer", IBM Systems
 * Journal 1966): evicts the cached object whose next request is farthest in the future; objects never
 * requested again go first. It needs the trace index of each request's next request to the same key
 * (`needsNext`: oracleGeneral traces carry it, src/replay/next-access.ts computes it for others).
 *
 * Every miss is admitted, even of an object never requested again (libCacheSim's Belady does the same), so
 * this is the optimum among always-admitting policies in object mode; it is not optimal in byte mode, where
 * sizes matter. Cached objects sit in a binary max-heap keyed by next-request index (never = +∞), kept in
 * typed arrays with each key's heap position, so a hit re-keys in place and an eviction pops the root:
 * O(log n) per request, no allocation.
 *
 * No parameters. Object mode matches libCacheSim's Belady exactly: ties exist only among objects never
 * requested again, and which of those goes first cannot change later hits. In byte mode that choice can
 * matter (their sizes differ) and follows this heap's order, which need not be libCacheSim's; on the sample
 * trace the byte-mode misses still match libCacheSim's exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';

const NIL = -1;

export class Belady extends BasePolicy implements EvictionPolicy {
  /** Heap slot of each key, NIL when not cached. */
  private pos: Int32Array;
  /** Heap slots: key and its next-request index. */
  private heapKey: Int32Array;
  private heapNext: Float64Array;
  private heapSize = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    const n = Math.max(ctx.keySpace, 16);
    this.pos = new Int32Array(n).fill(NIL);
    const slots = Math.max(16, Math.min(n, Number.isFinite(ctx.capacity) ? ctx.capacity + 1 : n));
    this.heapKey = new Int32Array(slots);
    this.heapNext = new Float64Array(slots);
  }

  protected reserveMore(n: number): void {
    this.pos = grown(this.pos, n, NIL);
  }

  access(key: number, size: number, _now: number, next: number): boolean {
    const at = next < 0 ? Number.POSITIVE_INFINITY : next;
    const p = this.pos[key];
    if (p !== NIL) {
      const old = this.heapNext[p];
      if (at > old) this.siftUp(p, key, at);
      else this.siftDown(p, key, at);
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) {
      const victim = this.heapKey[0];
      this.take(0);
      this.evicted(victim);
    }
    const slot = this.heapSize++;
    if (slot === this.heapKey.length) {
      this.heapKey = grown(this.heapKey, slot + 1, 0);
      this.heapNext = grown(this.heapNext, slot + 1, 0);
    }
    this.siftUp(slot, key, at);
    this.charge(key, size);
    return false;
  }

  /** Removes the entry in slot `i` from the heap (its key's pos becomes NIL). */
  private take(i: number): void {
    this.pos[this.heapKey[i]] = NIL;
    const last = --this.heapSize;
    if (i === last) return;
    const k = this.heapKey[last];
    const v = this.heapNext[last];
    if (i > 0 && v > this.heapNext[(i - 1) >> 1]) this.siftUp(i, k, v);
    else this.siftDown(i, k, v);
  }

  /** Places (key, value) at slot `i` or above, moving smaller parents down. */
  private siftUp(i: number, key: number, value: number): void {
    const hk = this.heapKey;
    const hn = this.heapNext;
    const pos = this.pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (hn[parent] >= value) break;
      hk[i] = hk[parent];
      hn[i] = hn[parent];
      pos[hk[i]] = i;
      i = parent;
    }
    hk[i] = key;
    hn[i] = value;
    pos[key] = i;
  }

  /** Places (key, value) at slot `i` or below, moving larger children up. */
  private siftDown(i: number, key: number, value: number): void {
    const hk = this.heapKey;
    const hn = this.heapNext;
    const pos = this.pos;
    const n = this.heapSize;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && hn[c + 1] > hn[c]) c++;
      if (hn[c] <= value) break;
      hk[i] = hk[c];
      hn[i] = hn[c];
      pos[hk[i]] = i;
      i = c;
    }
    hk[i] = key;
    hn[i] = value;
    pos[key] = i;
  }

  contains(key: number): boolean {
    return this.pos[key] !== NIL;
  }

  remove(key: number): boolean {
    const p = this.pos[key];
    if (p === NIL) return false;
    this.take(p);
    this.release(key);
    return true;
  }

  verify(): void {
    if (this.heapSize !== this.count)
      throw new Error(`Belady heap holds ${this.heapSize}, count ${this.count}`);
    let units = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const k = this.heapKey[i];
      if (this.pos[k] !== i) throw new Error(`Belady slot ${i} holds ${k}, whose pos is ${this.pos[k]}`);
      if (i > 0 && this.heapNext[(i - 1) >> 1] < this.heapNext[i])
        throw new Error(`Belady heap order broken at ${i}`);
      units += this.sizeOf[k];
    }
    if (units !== this.used) throw new Error(`Belady used ${this.used}, sizes sum to ${units}`);
    this.checkCapacity();
  }
}

export const beladyPolicy: PolicyEntry = {
  name: 'belady',
  description: "Belady's MIN: evicts the object requested farthest in the future (offline)",
  defaults: {},
  needsNext: true,
  create: (ctx) => new Belady(ctx),
};
