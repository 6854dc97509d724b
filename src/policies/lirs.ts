/**
 * LIRS — low inter-reference recency set (Jiang & Zhang, "LIRS: An efficient low inter-reference recency
 * set replacement policy to improve buffer cache performance", SIGMETRICS 2002). Objects are LIR (hot: short
 * reuse distance) or HIR (cold). Nearly all of the cache, lirLimit = capacity − hirLimit, holds LIR objects;
 * the small rest, hirLimit = max(1, ⌊capacity × hir⌋), holds resident HIR objects in queue Q, whose tail is
 * the eviction victim. Stack S orders recently referenced keys by recency: LIR objects, resident HIR
 * objects and non-resident HIR keys (ghosts of evicted HIR objects). Its bottom is kept a LIR object by
 * "pruning" HIR entries off the bottom. A reference to an HIR key still in S means its reuse distance beats
 * the oldest LIR object's, so it becomes LIR and the bottom LIR object is demoted to the head of Q. S is
 * bounded: while its entries weigh more than twice the capacity, the oldest non-resident key is dropped.
 *
 * This reproduces libCacheSim's LIRS exactly, including its departures from the paper:
 * - A new object becomes LIR while the LIR part has room (so a cold cache fills with LIR objects first);
 *   otherwise it is a resident HIR object in S and Q, evicting from Q's tail to make room. An object larger
 *   than the HIR part is never admitted, so in byte mode only objects up to 1% of the capacity are cached.
 * - A hit on a resident HIR object not in S (only in Q) first demotes LIR objects until the LIR part could
 *   take it, even though it stays HIR. That demotion can evict the object itself from Q when Q holds only
 *   it (always the case when hirLimit is 1 object). libCacheSim still puts it in S marked resident; it then
 *   behaves as a cached object (the next request for it hits and makes it LIR) without being counted in
 *   `used` or `count` until then. So, like libCacheSim, the cache can briefly hold one object more than its
 *   capacity. `contains` reports it as cached.
 * - A non-resident HIR key re-admitted keeps the size recorded when it was first admitted, while the room
 *   made for it is for the size requested now (they differ only when sizes change between requests). If
 *   that demotes every LIR object, libCacheSim goes on to demote the key's own stack entry (undefined
 *   behaviour there); we stop demoting instead, which keeps the cache within capacity.
 * In `remove`, the size accounting is kept exact where libCacheSim's LIRS_remove is not (it leaves a removed
 * non-resident key in its ghost queue), and if no LIR object is left the stack is emptied so its bottom is
 * LIR again when LIR objects return.
 *
 * Parameter: `hir` (default 0.01, libCacheSim's fixed HIR ratio).
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';
import { numberParam } from './param-checks.ts';

/** Flags of a key's entry in stack S. */
const LIR = 1;
const RESIDENT = 2;

/** Lists sharing the second set of links: a key is never both resident in Q and a non-resident ghost. */
const Q = 0;
const NONRESIDENT = 1;

export class Lirs extends BasePolicy implements EvictionPolicy {
  /** Stack S (one list). */
  private stack: KeyLists;
  /** Q (resident HIR objects) and the queue of non-resident HIR keys in S, oldest at the tail. */
  private queues: KeyLists;
  private flags: Uint8Array;
  /** Size of a key's entries in S and Q: fixed when the key enters S or Q from nowhere. */
  private entrySize: Uint32Array;
  private readonly lirLimit: number;
  private readonly hirLimit: number;
  private lirUsed = 0;
  private hirUsed = 0;
  /** Units of all entries in S, resident or not. */
  private stackUnits = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.hirLimit = Math.max(1, Math.floor(numberParam('lirs', ctx.params, 'hir', 0, 0.5) * ctx.capacity));
    this.lirLimit = Math.max(0, ctx.capacity - this.hirLimit);
    this.stack = new KeyLists(1, ctx.keySpace);
    this.queues = new KeyLists(2, ctx.keySpace);
    this.flags = new Uint8Array(Math.max(ctx.keySpace, 16));
    this.entrySize = new Uint32Array(Math.max(ctx.keySpace, 16));
  }

  protected reserveMore(n: number): void {
    this.stack.reserve(n);
    this.queues.reserve(n);
    this.flags = grown(this.flags, n, 0);
    this.entrySize = grown(this.entrySize, n, 0);
  }

  access(key: number, size: number): boolean {
    const hit = this.lookup(key, size);
    this.limitStack();
    return hit;
  }

  private lookup(key: number, size: number): boolean {
    const stack = this.stack;
    const queues = this.queues;
    const inStack = stack.owner[key] === 0;
    const inQ = queues.owner[key] === Q;
    if (inStack) stack.moveToHead(0, key);
    if (inQ) queues.moveToHead(Q, key);
    if (inStack) {
      const f = this.flags[key];
      if ((f & LIR) !== 0) {
        this.prune(true);
        return true;
      }
      if ((f & RESIDENT) !== 0) {
        this.promoteFromStack(key, inQ);
        return true;
      }
      if (size > this.capacity) return false;
      this.readmit(key, size);
      return false;
    }
    if (inQ) {
      this.hitInQueueOnly(key);
      return true;
    }
    if (size > this.capacity || size > this.lirLimit || size > this.hirLimit) return false;
    // Make room in the HIR part when neither part has it; afterwards one of them does, and both are within
    // their limits, so the whole cache has room too.
    if (this.lirUsed + size > this.lirLimit) {
      while (this.hirUsed + size > this.hirLimit) this.evictHir();
    }
    this.entrySize[key] = size;
    stack.pushHead(0, key);
    this.stackUnits += size;
    if (this.lirUsed + size <= this.lirLimit) {
      this.flags[key] = LIR | RESIDENT;
      this.lirUsed += size;
    } else {
      this.flags[key] = RESIDENT;
      queues.pushHead(Q, key);
      this.hirUsed += size;
    }
    this.charge(key, size);
    return false;
  }

  /** A hit on a resident HIR object in S: it becomes LIR (its reuse distance beat the bottom LIR's). */
  private promoteFromStack(key: number, inQ: boolean): void {
    const s = this.entrySize[key];
    if (inQ) {
      this.queues.unlink(key);
      this.hirUsed -= s;
    }
    while (this.lirUsed + s > this.lirLimit) this.demoteLir();
    this.flags[key] = LIR | RESIDENT;
    this.lirUsed += s;
    if (!inQ) this.charge(key, s);
  }

  /** A hit on a resident HIR object that had left S: it re-enters S, still HIR (see the header). */
  private hitInQueueOnly(key: number): void {
    const s = this.entrySize[key];
    while (this.lirUsed + s > this.lirLimit) this.demoteLir();
    this.stack.pushHead(0, key);
    this.stackUnits += s;
    this.flags[key] = RESIDENT;
  }

  /** A miss on a non-resident HIR key in S: it comes back as LIR, with its recorded size. */
  private readmit(key: number, size: number): void {
    const s = this.entrySize[key];
    while (this.lirUsed + s > this.lirLimit) this.demoteLir();
    this.queues.unlink(key);
    // libCacheSim checks room for the request's size but charges the recorded one; with sizes fixed per key
    // this loop never runs. Stopping when no LIR object is left avoids demoting the key's own stack entry.
    while (this.used + size > this.capacity && this.lirUsed > 0) {
      while (this.hirUsed >= this.hirLimit) this.evictHir();
      this.demoteLir();
    }
    this.flags[key] = LIR | RESIDENT;
    this.lirUsed += s;
    this.charge(key, s);
  }

  /** Moves the bottom LIR object of S to the head of Q (or out of the cache if it is larger than Q), then prunes. */
  private demoteLir(): void {
    const k = this.stack.popTail(0);
    const s = this.entrySize[k];
    this.lirUsed -= s;
    this.stackUnits -= s;
    this.flags[k] = 0;
    if (s <= this.hirLimit) {
      while (this.hirUsed + s > this.hirLimit) this.evictHir();
      this.queues.pushHead(Q, k);
      this.hirUsed += s;
    } else {
      this.evicted(k);
    }
    this.prune(true);
  }

  /** Evicts Q's tail; if its key is still in S it stays there as a non-resident ghost. */
  private evictHir(): void {
    const queues = this.queues;
    const k = queues.popTail(Q);
    this.hirUsed -= this.entrySize[k];
    if (this.stack.owner[k] === 0) {
      this.flags[k] &= ~RESIDENT;
      queues.pushHead(NONRESIDENT, k);
    }
    this.evicted(k);
  }

  /** Drops HIR entries from the bottom of S until a LIR object is there (or only the top entry is left). */
  private prune(keepTop: boolean): void {
    const stack = this.stack;
    for (let k = stack.tail[0]; k !== NIL && (k !== stack.head[0] || !keepTop); k = stack.tail[0]) {
      const f = this.flags[k];
      if ((f & LIR) !== 0) break;
      if ((f & RESIDENT) === 0 && this.queues.owner[k] === NONRESIDENT) this.queues.unlink(k);
      stack.unlink(k);
      this.stackUnits -= this.entrySize[k];
      this.flags[k] = 0;
    }
  }

  /** Bounds S: while it weighs more than twice the capacity, drop the oldest non-resident key. */
  private limitStack(): void {
    const limit = 2 * this.capacity;
    while (this.stackUnits > limit) {
      const k = this.queues.popTail(NONRESIDENT);
      if (k === NIL) break;
      this.stack.unlink(k);
      this.stackUnits -= this.entrySize[k];
      this.flags[k] = 0;
    }
  }

  contains(key: number): boolean {
    return (
      this.queues.owner[key] === Q || (this.stack.owner[key] === 0 && (this.flags[key] & RESIDENT) !== 0)
    );
  }

  remove(key: number): boolean {
    const inStack = this.stack.owner[key] === 0;
    const where = this.queues.owner[key];
    if (!inStack && where < 0) return false;
    const f = inStack ? this.flags[key] : 0;
    const s = this.entrySize[key];
    if (inStack) {
      this.stack.unlink(key);
      this.stackUnits -= s;
      this.flags[key] = 0;
    }
    if (where >= 0) this.queues.unlink(key);
    if ((f & LIR) !== 0) {
      this.lirUsed -= s;
      this.release(key);
      this.prune(this.lirUsed > 0);
    } else if (where === Q) {
      this.hirUsed -= s;
      this.release(key);
    }
    return (f & RESIDENT) !== 0 || where === Q;
  }

  verify(): void {
    const { stack, queues, flags, entrySize } = this;
    stack.verify(0);
    queues.verify(Q);
    queues.verify(NONRESIDENT);
    let lir = 0;
    let units = 0;
    let charged = 0;
    for (let k = stack.head[0]; k !== NIL; k = stack.next[k]) {
      units += entrySize[k];
      const f = flags[k];
      if ((f & LIR) !== 0) {
        if (f !== (LIR | RESIDENT) || queues.owner[k] >= 0)
          throw new Error(`LIRS: LIR key ${k} flags ${f}, queue ${queues.owner[k]}`);
        lir += entrySize[k];
        charged++;
      } else if ((f & RESIDENT) === 0 && queues.owner[k] !== NONRESIDENT) {
        throw new Error(`LIRS: non-resident key ${k} missing from the ghost queue`);
      }
    }
    if (lir !== this.lirUsed || units !== this.stackUnits) {
      throw new Error(`LIRS: LIR ${this.lirUsed} / stack ${this.stackUnits}, entries hold ${lir} / ${units}`);
    }
    if (this.lirUsed > 0 && (flags[stack.tail[0]] & LIR) === 0)
      throw new Error('LIRS: bottom of S is not LIR');
    let hir = 0;
    for (let k = queues.head[Q]; k !== NIL; k = queues.next[k]) {
      hir += entrySize[k];
      charged++;
      if (this.sizeOf[k] !== entrySize[k])
        throw new Error(`LIRS: Q key ${k} charged ${this.sizeOf[k]}, entry ${entrySize[k]}`);
    }
    for (let k = queues.head[NONRESIDENT]; k !== NIL; k = queues.next[k]) {
      if (stack.owner[k] !== 0 || (flags[k] & RESIDENT) !== 0)
        throw new Error(`LIRS: ghost ${k} is not a non-resident stack entry`);
    }
    if (hir !== this.hirUsed) throw new Error(`LIRS: HIR ${this.hirUsed}, Q holds ${hir}`);
    if (this.lirUsed > this.lirLimit || this.hirUsed > this.hirLimit) {
      throw new Error(`LIRS: LIR ${this.lirUsed}/${this.lirLimit}, HIR ${this.hirUsed}/${this.hirLimit}`);
    }
    if (lir + hir !== this.used || charged !== this.count) {
      throw new Error(
        `LIRS: used ${this.used} / count ${this.count}, LIR + Q hold ${lir + hir} / ${charged}`,
      );
    }
    this.checkCapacity();
  }
}

export const lirsPolicy: PolicyEntry = {
  name: 'lirs',
  description: 'low inter-reference recency set (LIR stack S, resident-HIR queue Q)',
  defaults: { hir: 0.01 },
  create: (ctx) => new Lirs(ctx),
};
