/**
 * The frame of the policies that keep every cached object in ONE list (FIFO, CLOCK, SIEVE; LRU, whose hits
 * relink, has its own in lru.ts): a key is
 * cached exactly when it is in the list, so membership, removal and the invariant check are the same for
 * all of them. A subclass keeps only what makes the policy itself: what a hit does and which object an
 * eviction picks. The list is list 0 of a KeyLists; head = newest, tail = oldest.
 */
import type { PolicyContext } from './api.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';

export abstract class SingleListPolicy extends BasePolicy {
  protected readonly lists: KeyLists;
  /** The policy's name in invariant messages. */
  private readonly label: string;

  constructor(ctx: PolicyContext, label: string) {
    super(ctx);
    this.label = label;
    this.lists = new KeyLists(1, ctx.keySpace);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
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
    const lists = this.lists;
    lists.verify(0);
    if (lists.length[0] !== this.count) throw new Error(`${this.label} count disagrees with its list`);
    let sum = 0;
    for (let k = lists.head[0]; k !== NIL; k = lists.next[k]) sum += this.sizeOf[k];
    if (sum !== this.used) throw new Error(`${this.label} used ${this.used}, sizes sum to ${sum}`);
    this.checkCapacity();
  }
}
