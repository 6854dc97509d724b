/**
 * LeCaR — learning cache replacement with two experts, LRU and LFU, weighed by regret (Vietri et al.,
 * "Driving cache replacement with ML-based LeCaR", HotStorage 2018). To make room, LeCaR takes the LRU
 * victim or the LFU victim at random, with probability w_lru for LRU. An evicted object's id goes into the
 * history of the expert that chose it; a later request for it (a miss that history shows was that
 * expert's mistake) lowers that expert's weight: w ← w · e^(−λ·d^t), renormalised, where t is the number of
 * requests since the eviction, so recent mistakes weigh more. When both experts name the same victim, it is
 * not remembered.
 *
 * Details as libCacheSim's LeCaR: λ = 0.45, d = 0.005^(1/C) (C = capacity in units), weights start at ½ and
 * each gets 1e−10 added before renormalising so neither reaches 0; the draw is quantised to hundredths
 * (⌊100·r⌋/100 < w_lru); each history holds at most ⌊C/2⌋ units (oldest forgotten first); the LFU expert is
 * least-count-first with ties to the key that reached its count first (count-queues.ts), counts start at 1
 * on admission and are forgotten on eviction; a history hit is a miss and the object is admitted afresh.
 * Randomised (ctx.random), so it is compared with libCacheSim within a tolerance, not exactly.
 *
 * Parameters: lr (0.45), discount (0.005, d = discount^(1/C)), lruWeight (0.5, the starting w_lru; w_lfu
 * starts at 1 − w_lru, where libCacheSim's lru-weight leaves it at ½), learn (true; false keeps the weights
 * fixed, libCacheSim's update-weight=0). A delete drops a cached object but leaves the histories alone.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry, Random } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { CountQueues } from './count-queues.ts';
import { KeyLists, NIL } from './list.ts';
import { numberParam } from './param-checks.ts';

const CACHED = 0;
const LRU_HISTORY = 1;
const LFU_HISTORY = 2;

export class LeCaR extends BasePolicy implements EvictionPolicy {
  /** The cached keys in LRU order, and the two eviction histories (head = most recent). */
  private lists: KeyLists;
  private lfu: CountQueues;
  /** Per history key: its size and the request number of its eviction. */
  private historySize: Uint32Array;
  private evictedAt: Float64Array;
  /** Units remembered per history (index LRU_HISTORY / LFU_HISTORY). */
  private readonly historyUsed = new Float64Array(3);
  private readonly historyCap: number;
  private readonly random: Random;
  private readonly lr: number;
  private readonly discount: number;
  private readonly learn: boolean;
  wLru: number;
  wLfu: number;
  /** Requests seen. */
  private requests = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.random = ctx.random;
    this.lr = numberParam('lecar', ctx.params, 'lr', 0, 100);
    const d = numberParam('lecar', ctx.params, 'discount', Number.MIN_VALUE, 1);
    this.discount = d ** (1 / ctx.capacity);
    this.wLru = numberParam('lecar', ctx.params, 'lruWeight', 0, 1);
    this.wLfu = 1 - this.wLru;
    this.learn = ctx.params['learn'] !== false;
    this.historyCap = Math.floor(ctx.capacity / 2);
    const n = Math.max(ctx.keySpace, 16);
    this.lists = new KeyLists(3, n);
    this.lfu = new CountQueues(n);
    this.historySize = new Uint32Array(n);
    this.evictedAt = new Float64Array(n);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
    this.lfu.reserve(n);
    this.historySize = grown(this.historySize, n, 0);
    this.evictedAt = grown(this.evictedAt, n, 0);
  }

  access(key: number, size: number): boolean {
    this.requests++;
    const lists = this.lists;
    const where = lists.owner[key];
    if (where === CACHED) {
      lists.moveToHead(CACHED, key);
      this.lfu.bump(key);
      return true;
    }
    if (where > CACHED) this.regret(key, where);
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evictOne();
    lists.pushHead(CACHED, key);
    this.lfu.insert(key);
    this.charge(key, size);
    return false;
  }

  /** A request for a key in `history`: the expert that evicted it loses weight; the entry is dropped. */
  private regret(key: number, history: number): void {
    this.forget(key, history);
    if (!this.learn) return;
    const r = this.discount ** (this.requests - this.evictedAt[key]);
    // libCacheSim's update_weight, operation for operation.
    if (history === LRU_HISTORY) {
      const w = this.wLru * Math.exp(-this.lr * r) + 1e-10;
      const s = w + this.wLfu + 2e-10;
      this.wLru = w / s;
      this.wLfu = (this.wLfu + 1e-10) / s;
    } else {
      const w = this.wLfu * Math.exp(-this.lr * r) + 1e-10;
      const s = w + this.wLru + 2e-10;
      this.wLfu = w / s;
      this.wLru = (this.wLru + 1e-10) / s;
    }
  }

  private forget(key: number, history: number): void {
    this.lists.unlink(key);
    this.historyUsed[history] -= this.historySize[key];
    this.historySize[key] = 0;
  }

  private evictOne(): void {
    const lruChoice = this.lists.tail[CACHED];
    const lfuChoice = this.lfu.front();
    let victim = lruChoice;
    let history = NIL;
    if (lruChoice !== lfuChoice) {
      if (Math.floor(this.random() * 100) / 100 < this.wLru) history = LRU_HISTORY;
      else {
        victim = lfuChoice;
        history = LFU_HISTORY;
      }
    }
    const size = this.sizeOf[victim];
    this.lists.unlink(victim);
    this.lfu.remove(victim);
    this.evicted(victim);
    if (history === NIL) return;
    this.lists.pushHead(history, victim);
    this.historySize[victim] = size;
    this.evictedAt[victim] = this.requests;
    this.historyUsed[history] += size;
    while (this.historyUsed[history] > this.historyCap) this.forget(this.lists.tail[history], history);
  }

  contains(key: number): boolean {
    return this.lists.owner[key] === CACHED;
  }

  remove(key: number): boolean {
    if (this.lists.owner[key] !== CACHED) return false;
    this.lists.unlink(key);
    this.lfu.remove(key);
    this.release(key);
    return true;
  }

  verify(): void {
    const lists = this.lists;
    for (let l = CACHED; l <= LFU_HISTORY; l++) lists.verify(l);
    this.lfu.verify();
    if (lists.length[CACHED] !== this.count || this.lfu.size !== this.count)
      throw new Error(`LeCaR count ${this.count}, LRU list ${lists.length[CACHED]}, LFU ${this.lfu.size}`);
    let sum = 0;
    for (let k = lists.head[CACHED]; k !== NIL; k = lists.next[k]) {
      if (!this.lfu.has(k)) throw new Error(`LeCaR: cached key ${k} missing from the LFU queues`);
      sum += this.sizeOf[k];
    }
    if (sum !== this.used) throw new Error(`LeCaR used ${this.used}, sizes sum to ${sum}`);
    for (let h = LRU_HISTORY; h <= LFU_HISTORY; h++) {
      let units = 0;
      for (let k = lists.head[h]; k !== NIL; k = lists.next[k]) units += this.historySize[k];
      if (units !== this.historyUsed[h])
        throw new Error(`LeCaR history ${h}: ${units} units, counter ${this.historyUsed[h]}`);
      if (units > this.historyCap) throw new Error(`LeCaR history ${h} over its ${this.historyCap} units`);
    }
    if (Math.abs(this.wLru + this.wLfu - 1) > 1e-6)
      throw new Error(`LeCaR weights sum to ${this.wLru + this.wLfu}`);
    this.checkCapacity();
  }
}

export const lecarPolicy: PolicyEntry = {
  name: 'lecar',
  description: 'LeCaR: LRU and LFU experts chosen at random, weights learned from eviction regret',
  defaults: { lr: 0.45, discount: 0.005, lruWeight: 0.5, learn: true },
  randomized: true,
  create: (ctx) => new LeCaR(ctx),
};
