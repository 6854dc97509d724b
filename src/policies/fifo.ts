/**
 * FIFO — first in, first out. Hits change nothing; a miss inserts at the head and evicts from the tail
 * (Belady, "A study of replacement algorithms for a virtual-storage computer", IBM Systems Journal 1966,
 * compares it with LRU and the optimum). Matches libCacheSim's FIFO exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';

export class Fifo extends BasePolicy implements EvictionPolicy {
  private lists: KeyLists;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.lists = new KeyLists(1, ctx.keySpace);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
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

  contains(key: number): boolean {
    return this.lists.owner[key] === 0;
  }

  remove(key: number): boolean {
    if (this.lists.owner[key] !== 0) return false;
    this.lists.unlink(key);
    this.release(key);
    return true;
  }

  verify(): void {
    this.lists.verify(0);
    if (this.lists.length[0] !== this.count) throw new Error('FIFO count disagrees with its list');
    let sum = 0;
    for (let k = this.lists.head[0]; k !== NIL; k = this.lists.next[k]) sum += this.sizeOf[k];
    if (sum !== this.used) throw new Error(`FIFO used ${this.used}, sizes sum to ${sum}`);
    this.checkCapacity();
  }
}

export const fifoPolicy: PolicyEntry = {
  name: 'fifo',
  description: 'first in, first out',
  defaults: {},
  create: (ctx) => new Fifo(ctx),
};
