/**
 * W-TinyLFU — a small LRU "window" in front of a segmented-LRU main cache, with TinyLFU admission from the
 * window into the main cache (Einziger, Friedman & Manes, "TinyLFU: A highly efficient cache admission
 * policy", ACM Transactions on Storage 13(4), 2017). New objects always enter the window, so a burst of a
 * new hot object is served at once; when space is needed, the window's LRU victim competes with the main
 * cache's victim and the one the frequency sketch (sketch.ts) has seen more often stays. The sketch forgets
 * by halving its counters periodically, so popularity is recent popularity.
 *
 * The procedure follows libCacheSim's `WTinyLFU-w0.01-SLRU` step by step:
 * - Sizes: window ⌊C·window⌋ units; main M = C − window, an SLRU of a probation segment ⌊M/5⌋ and a
 *   protected segment ⌊4M/5⌋. The window has no bound of its own: it holds whatever the main cache does not.
 * - An object is admitted only if it fits in the window's share and in the probation segment (libCacheSim's
 *   can_insert), so in byte mode objects above 1% of the cache are refused (mayRefuse).
 * - A hit in the window moves the object to the window's head; a hit in main promotes it as SLRU does
 *   (probation → protected head; protected overflow pushes its tail back to probation's head, probation
 *   overflow evicts probation's tail) and counts once in the sketch. Window hits are not counted (libCacheSim's
 *   choice; the paper counts every access).
 * - A miss counts once in the sketch and goes to the window's head after making room: while the cache is
 *   full, the window's tail v is considered — if main has room, v moves there; otherwise v is compared with
 *   main's victim m (tail of the lowest non-empty segment): if estimate(v) > estimate(m), m is evicted and v
 *   moves to main, else v is evicted. Each considered v counts once more in the sketch. This repeats until an
 *   object has left the cache (an evicted v, or main's victim when the window is empty).
 * - Moving into main goes to the lowest segment with room (probation, else protected); when neither has room,
 *   main evicts until the object fits and it goes to probation.
 * - Sketch: sized for M keys at error 0.001 (10 hashes, 14.38·M 32-bit counters), no doorkeeper, halved
 *   after every 32·M main-cache hits (only main hits count toward the period, as in libCacheSim).
 *
 * Known deviations from libCacheSim:
 * - Sketch collisions: ours hashes the dense key id and rounds the width to a power of two (sketch.ts);
 *   libCacheSim hashes the original id with XXH64. The sketch counts every key seen, far more than M, so
 *   collisions are common and fall on different keys: object-mode miss ratios on the sample trace differ by
 *   up to 0.002 (byte mode, where the sketch is huge and never halved, matches exactly).
 * - Tiny caches: libCacheSim's window rounds down to 0 below 100 objects and then refuses every object
 *   (miss ratio 1.0 at 48 objects); ours is at least 1 unit, and each main segment at least 1 unit, so small
 *   caches work. Identical for C ≥ 100 with M ≥ 5.
 * - Sketch size: libCacheSim sizes it for M units, in byte mode M BYTES (up to 2³¹ counters); we size it for
 *   min(M, max(keySpace, 65536)) keys, which is what it counts (the same in object mode unless the cache
 *   exceeds the key count). The halving period stays 32·M units (in byte mode effectively never, as in
 *   libCacheSim).
 *
 * Parameters: window (0.01), sample (32: main hits per halving, × M), error (0.001: the sketch's target
 * false-positive rate, which sets its size), counterBits (32; 4 = the paper's small counters), doorkeeper
 * (false).
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';
import { integerParam, numberParam } from './param-checks.ts';
import { FrequencySketch } from './sketch.ts';

const WINDOW = 0;
const PROBATION = 1;
const PROTECTED = 2;

/** Sketch size floor in byte mode, where main's capacity in bytes says nothing about its key count. */
const MIN_SKETCH_KEYS = 65536;

export class WTinyLfu extends BasePolicy implements EvictionPolicy {
  private lists: KeyLists;
  readonly windowCap: number;
  readonly mainCap: number;
  /** Largest object admitted: it must fit the window's share and the probation segment. */
  private readonly admitMax: number;
  /** Units each list may hold: the window's share (used only for admission), probation, protected. */
  private readonly cap: Float64Array;
  /** Units held per list. */
  private readonly held: Float64Array;
  private mainUsed = 0;
  readonly sketch: FrequencySketch;
  /** Main-cache hits between sketch halvings, and hits since the last one. */
  private readonly period: number;
  private hitsSinceAge = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    const w = numberParam('wtinylfu', ctx.params, 'window', 0, 0.99);
    const sample = integerParam('wtinylfu', ctx.params, 'sample', 1, 1 << 20);
    const bits = integerParam('wtinylfu', ctx.params, 'counterBits', 1, 32);
    const error = numberParam('wtinylfu', ctx.params, 'error', 1e-12, 0.5);
    const doorkeeper = ctx.params['doorkeeper'] === true;
    const c = ctx.capacity;
    this.windowCap = Math.min(c, Math.max(1, Math.floor(c * w)));
    const m = c - this.windowCap;
    this.mainCap = m;
    const probation = m > 0 ? Math.max(1, Math.trunc((1 / 5) * m)) : 0;
    const protect = m > 0 ? Math.max(1, Math.trunc((4 / 5) * m)) : 0;
    this.cap = Float64Array.of(this.windowCap, probation, protect);
    // With no main cache at all (capacity 1) the window alone is an LRU.
    this.admitMax = m > 0 ? Math.min(this.windowCap, probation) : this.windowCap;
    this.held = new Float64Array(3);
    this.lists = new KeyLists(3, ctx.keySpace);
    this.period = sample * Math.max(m, 1);
    const keys = Math.max(1, Math.min(m, Math.max(ctx.keySpace, MIN_SKETCH_KEYS)));
    this.sketch = new FrequencySketch({
      entries: keys,
      error,
      counterBits: bits,
      doorkeeper,
      doorkeeperEntries: Math.min(this.period, Math.max(ctx.keySpace, MIN_SKETCH_KEYS)),
    });
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    const where = lists.owner[key];
    if (where === WINDOW) {
      lists.moveToHead(WINDOW, key);
      return true;
    }
    if (where > WINDOW) {
      this.mainHit(key, where);
      this.sketch.add(key);
      if (++this.hitsSinceAge >= this.period) {
        this.hitsSinceAge = 0;
        this.sketch.age();
      }
      return true;
    }
    if (size > this.admitMax) return false;
    while (this.used + size > this.capacity) this.makeRoom();
    lists.pushHead(WINDOW, key);
    this.held[WINDOW] += size;
    this.charge(key, size);
    this.sketch.add(key);
    return false;
  }

  /** SLRU promotion of a main-cache hit, with the overflow cascade it may cause. */
  private mainHit(key: number, seg: number): void {
    const lists = this.lists;
    if (seg === PROTECTED) {
      lists.moveToHead(PROTECTED, key);
      return;
    }
    const s = this.sizeOf[key];
    lists.unlink(key);
    lists.pushHead(PROTECTED, key);
    this.held[PROBATION] -= s;
    this.held[PROTECTED] += s;
    for (;;) {
      const at = lists.owner[key];
      if (at < PROBATION || this.held[at] <= this.cap[at]) break;
      this.cool(at);
    }
  }

  /** Pushes segment `seg`'s tail one segment down; probation overflowing evicts from main. */
  private cool(seg: number): void {
    if (seg === PROBATION) {
      this.evictMain();
      return;
    }
    const lists = this.lists;
    const k = lists.popTail(PROTECTED);
    const s = this.sizeOf[k];
    lists.pushHead(PROBATION, k);
    this.held[PROTECTED] -= s;
    this.held[PROBATION] += s;
    while (this.held[PROBATION] > this.cap[PROBATION]) this.evictMain();
  }

  /** Main's victim: the tail of the lowest non-empty segment, or NIL. */
  private mainVictim(): number {
    const lists = this.lists;
    return lists.tail[PROBATION] !== NIL ? lists.tail[PROBATION] : lists.tail[PROTECTED];
  }

  private evictMain(): void {
    const v = this.mainVictim();
    const s = this.sizeOf[v];
    this.held[this.lists.owner[v]] -= s;
    this.mainUsed -= s;
    this.lists.unlink(v);
    this.evicted(v);
  }

  /** Moves `key` (already out of the window, still charged) into main. */
  private toMain(key: number): void {
    const s = this.sizeOf[key];
    let seg = NIL;
    if (this.held[PROBATION] + s <= this.cap[PROBATION]) seg = PROBATION;
    else if (this.held[PROTECTED] + s <= this.cap[PROTECTED]) seg = PROTECTED;
    else {
      while (this.mainUsed + s > this.mainCap) this.evictMain();
      seg = PROBATION;
    }
    this.lists.pushHead(seg, key);
    this.held[seg] += s;
    this.mainUsed += s;
  }

  /** One round of libCacheSim's WTinyLFU_evict: runs until some object has left the cache. */
  private makeRoom(): void {
    const lists = this.lists;
    for (;;) {
      const v = lists.tail[WINDOW];
      if (v === NIL) {
        this.evictMain();
        return;
      }
      const s = this.sizeOf[v];
      let gone = false;
      if (this.mainUsed + s <= this.mainCap) {
        lists.unlink(v);
        this.held[WINDOW] -= s;
        this.toMain(v);
      } else {
        const m = this.mainVictim();
        if (m !== NIL && this.sketch.estimate(v) > this.sketch.estimate(m)) {
          this.evictMain();
          lists.unlink(v);
          this.held[WINDOW] -= s;
          this.toMain(v);
        } else {
          lists.unlink(v);
          this.held[WINDOW] -= s;
          this.evicted(v);
          gone = true;
        }
      }
      this.sketch.add(v);
      if (gone) return;
    }
  }

  contains(key: number): boolean {
    return this.lists.owner[key] >= 0;
  }

  remove(key: number): boolean {
    const where = this.lists.owner[key];
    if (where < 0) return false;
    const s = this.sizeOf[key];
    this.held[where] -= s;
    if (where !== WINDOW) this.mainUsed -= s;
    this.lists.unlink(key);
    this.release(key);
    return true;
  }

  verify(): void {
    const lists = this.lists;
    let objects = 0;
    let total = 0;
    for (let l = WINDOW; l <= PROTECTED; l++) {
      lists.verify(l);
      let sum = 0;
      for (let k = lists.head[l]; k !== NIL; k = lists.next[k]) sum += this.sizeOf[k];
      if (sum !== this.held[l])
        throw new Error(`W-TinyLFU list ${l} holds ${sum} units, counter says ${this.held[l]}`);
      objects += lists.length[l];
      total += sum;
    }
    if (objects !== this.count) throw new Error(`W-TinyLFU count ${this.count}, lists hold ${objects}`);
    if (total !== this.used) throw new Error(`W-TinyLFU used ${this.used}, sizes sum to ${total}`);
    if (this.held[PROBATION] + this.held[PROTECTED] !== this.mainUsed)
      throw new Error(`W-TinyLFU main used ${this.mainUsed} disagrees with its segments`);
    if (this.mainUsed > this.mainCap) throw new Error(`W-TinyLFU main ${this.mainUsed} over ${this.mainCap}`);
    this.checkCapacity();
  }
}

export const wtinylfuPolicy: PolicyEntry = {
  name: 'wtinylfu',
  description:
    'W-TinyLFU: LRU window + SLRU main, TinyLFU sketch admission (libCacheSim WTinyLFU-w0.01-SLRU)',
  defaults: { window: 0.01, sample: 32, error: 0.001, counterBits: 32, doorkeeper: false },
  mayRefuse: true,
  create: (ctx) => new WTinyLfu(ctx),
};
