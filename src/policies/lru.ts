/**
 * LRU — least recently used. A hit moves the object to the head of one list; a miss inserts at the head
 * and evicts from the tail until the object fits. (Mattson et al., "Evaluation techniques for storage
 * hierarchies", IBM Systems Journal 1970.) Matches libCacheSim's LRU exactly.
 *
 * Every hit relinks a key, so the list is a PairedLists (a key's prev and next in one cache line) rather
 * than SingleListPolicy's KeyLists, and sizes are kept only once an object of a size other than 1 arrives:
 * on a key space far larger than the CPU caches, each array a request touches is a cache miss.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { BasePolicy } from './base.ts';
import { NIL, PairedLists } from './paired-lists.ts';

export class Lru extends BasePolicy implements EvictionPolicy {
  private readonly lists: PairedLists;
  /**
   * Whether an object of a size other than 1 was ever admitted. Until then (every object-mode replay) each
   * cached object is 1 unit and sizeOf is neither read nor written.
   */
  private sized = false;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.lists = new PairedLists(1, ctx.keySpace);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    if (lists.has(key)) {
      lists.bumpToHead(0, key);
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evicted(lists.dropTail(0));
    lists.pushHead(0, key);
    this.charge(key, size);
    return false;
  }

  protected override charge(key: number, size: number): void {
    if (this.sized) {
      super.charge(key, size);
    } else if (size === 1) {
      this.used++;
      this.count++;
    } else {
      // The first object of another size: every key cached so far (`key` is linked already) is 1 unit.
      const lists = this.lists;
      for (let k = lists.head[0]; k !== NIL; k = lists.next(k)) this.sizeOf[k] = 1;
      this.sized = true;
      super.charge(key, size);
    }
  }

  protected override release(key: number): number {
    if (this.sized) return super.release(key);
    this.used--;
    this.count--;
    return 1;
  }

  contains(key: number): boolean {
    return this.lists.has(key);
  }

  remove(key: number): boolean {
    if (!this.lists.has(key)) return false;
    this.lists.unlink(0, key);
    this.release(key);
    return true;
  }

  verify(): void {
    const lists = this.lists;
    lists.verify(0);
    if (lists.length[0] !== this.count) throw new Error('LRU count disagrees with its list');
    let sum = 0;
    for (let k = lists.head[0]; k !== NIL; k = lists.next(k)) sum += this.sized ? this.sizeOf[k] : 1;
    if (sum !== this.used) throw new Error(`LRU used ${this.used}, sizes sum to ${sum}`);
    this.checkCapacity();
  }
}

export const lruPolicy: PolicyEntry = {
  name: 'lru',
  description: 'least recently used',
  defaults: {},
  create: (ctx) => new Lru(ctx),
};
