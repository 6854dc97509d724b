/**
 * LFU — least frequently used. Each cached object counts its requests since it was admitted (1 on
 * admission; the count is forgotten on eviction). The victim is an object with the smallest count; among
 * equal counts, the one that reached that count earliest, which (since every request raises the count) is
 * the least recently requested: LFU with LRU tie-break, as libCacheSim's LFU does it (each count has a
 * queue; objects join at its back and are evicted from its front).
 *
 * O(1) per request: the ordering is count-queues.ts (Shah, Mitra and Matani, 2010), shared with LeCaR's LFU
 * expert.
 *
 * No parameters. Matches libCacheSim's LFU exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { BasePolicy } from './base.ts';
import { CountQueues } from './count-queues.ts';

export class Lfu extends BasePolicy implements EvictionPolicy {
  private order: CountQueues;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.order = new CountQueues(Math.max(ctx.keySpace, 16));
  }

  protected reserveMore(n: number): void {
    this.order.reserve(n);
  }

  access(key: number, size: number): boolean {
    const order = this.order;
    if (order.has(key)) {
      order.bump(key);
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) {
      const victim = order.front();
      order.remove(victim);
      this.evicted(victim);
    }
    order.insert(key);
    this.charge(key, size);
    return false;
  }

  contains(key: number): boolean {
    return this.order.has(key);
  }

  remove(key: number): boolean {
    if (!this.order.has(key)) return false;
    this.order.remove(key);
    this.release(key);
    return true;
  }

  verify(): void {
    this.order.verify();
    if (this.order.size !== this.count)
      throw new Error(`LFU count ${this.count}, queues hold ${this.order.size}`);
    let units = 0;
    for (let k = 0; k < this.sizeOf.length; k++) if (this.order.has(k)) units += this.sizeOf[k];
    if (units !== this.used) throw new Error(`LFU used ${this.used}, sizes sum to ${units}`);
    this.checkCapacity();
  }
}

export const lfuPolicy: PolicyEntry = {
  name: 'lfu',
  description: 'least frequently used (ties: least recently used)',
  defaults: {},
  create: (ctx) => new Lfu(ctx),
};
