/**
 * FIFO — first in, first out. Hits change nothing; a miss inserts at the head and evicts from the tail
 * (Belady, "A study of replacement algorithms for a virtual-storage computer", IBM Systems Journal 1966,
 * compares it with LRU and the optimum). Matches libCacheSim's FIFO exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { SingleListPolicy } from './single-list.ts';

export class Fifo extends SingleListPolicy implements EvictionPolicy {
  constructor(ctx: PolicyContext) {
    super(ctx, 'FIFO');
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    if (lists.owner[key] === 0) return true;
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evicted(lists.popTail(0));
    lists.pushHead(0, key);
    this.charge(key, size);
    return false;
  }
}

export const fifoPolicy: PolicyEntry = {
  name: 'fifo',
  description: 'first in, first out',
  defaults: {},
  create: (ctx) => new Fifo(ctx),
};
