/**
 * A ghost queue: a FIFO of the keys (not the data) of objects a policy evicted recently, each weighing the
 * size its object had, holding at most `capacity` units. Remembering a key drops the oldest ghosts until it
 * fits; a key larger than the whole queue is not remembered. A miss on a remembered key tells the policy
 * the object came back soon after leaving, which is how 2Q's Aout routes it past probation, as libCacheSim
 * builds it from an inner ghost FIFO cache. (S3-FIFO's and QD-LP's ghosts work the same way over a KeyRing,
 * small-ghost.ts.)
 *
 * The ghosts are one list of the policy's own KeyLists, beside its lists of cached objects, so a single
 * owner[] read tells the policy whether a key is cached, a ghost or unknown.
 */
import { grown } from './arrays.ts';
import { type KeyLists, NIL } from './list.ts';

export class GhostQueue {
  readonly capacity: number;
  /** Units the ghosts stand for. */
  used = 0;
  private readonly lists: KeyLists;
  private readonly list: number;
  /** Size a ghost's object had. */
  private sizes: Uint32Array;

  constructor(lists: KeyLists, list: number, capacity: number, keySpace: number) {
    this.lists = lists;
    this.list = list;
    this.capacity = capacity;
    this.sizes = new Uint32Array(Math.max(keySpace, 16));
  }

  reserve(n: number): void {
    this.sizes = grown(this.sizes, n, 0);
  }

  /** Drops the ghost of `key`, which must be in this queue (a ghost hit, or a delete). */
  forget(key: number): void {
    this.lists.unlink(key);
    this.used -= this.sizes[key];
  }

  /** Remembers an evicted key that is in no list, dropping the oldest ghosts to make room. */
  remember(key: number, size: number): void {
    if (size > this.capacity) return;
    const lists = this.lists;
    while (this.used + size > this.capacity) this.used -= this.sizes[lists.popTail(this.list)];
    lists.pushHead(this.list, key);
    this.sizes[key] = size;
    this.used += size;
  }

  /** Throws if the list's links, the units or the bound disagree; `label` names the policy. */
  verify(label: string): void {
    const lists = this.lists;
    lists.verify(this.list);
    let sum = 0;
    for (let k = lists.head[this.list]; k !== NIL; k = lists.next[k]) sum += this.sizes[k];
    if (sum !== this.used) throw new Error(`${label} ghosts hold ${this.used}, their sizes sum to ${sum}`);
    if (this.used > this.capacity) throw new Error(`${label} ghosts hold ${this.used} > ${this.capacity}`);
  }
}
