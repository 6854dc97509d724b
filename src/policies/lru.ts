/**
 * LRU — least recently used. A hit moves the object to the head of one list; a miss inserts at the head
 * and evicts from the tail until the object fits. (Mattson et al., "Evaluation techniques for storage
 * hierarchies", IBM Systems Journal 1970.) Matches libCacheSim's LRU exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { SingleListPolicy } from './single-list.ts';

export class Lru extends SingleListPolicy implements EvictionPolicy {
  constructor(ctx: PolicyContext) {
    super(ctx, 'LRU');
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    if (lists.owner[key] === 0) {
      lists.moveToHead(0, key);
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evicted(lists.popTail(0));
    lists.pushHead(0, key);
    this.charge(key, size);
    return false;
  }
}

export const lruPolicy: PolicyEntry = {
  name: 'lru',
  description: 'least recently used',
  defaults: {},
  create: (ctx) => new Lru(ctx),
};
