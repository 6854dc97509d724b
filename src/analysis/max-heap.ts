/**
 * A binary max-heap of (priority, id) pairs of 32-bit integers over typed arrays, for fixed-size SHARDS
 * (shards-fixed.ts): the sampled keys by hash, so the key with the largest hash leaves the sample first.
 * Only push, peek and pop: a sampled key stays until it is the largest, so nothing is re-keyed or removed
 * from the middle and no position index is needed. The arrays double when full; nothing is allocated per
 * operation. Equal priorities pop in no particular order.
 */
import { grown } from '../policies/arrays.ts';

export class MaxHeap {
  private prio: Int32Array;
  private ids: Int32Array;
  private n = 0;

  constructor(initialCapacity = 16) {
    this.prio = new Int32Array(Math.max(1, initialCapacity));
    this.ids = new Int32Array(this.prio.length);
  }

  get size(): number {
    return this.n;
  }

  /** Largest priority (call only when not empty). */
  get topPriority(): number {
    return this.prio[0];
  }

  /** Id with the largest priority (call only when not empty). */
  get topId(): number {
    return this.ids[0];
  }

  /** Bytes held by the arrays. */
  get arrayBytes(): number {
    return this.prio.byteLength + this.ids.byteLength;
  }

  push(priority: number, id: number): void {
    if (this.n === this.prio.length) {
      this.prio = grown(this.prio, this.n + 1, 0);
      this.ids = grown(this.ids, this.n + 1, 0);
    }
    const prio = this.prio;
    const ids = this.ids;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (prio[parent] >= priority) break;
      prio[i] = prio[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    prio[i] = priority;
    ids[i] = id;
  }

  /** Removes the top pair and returns its id (call only when not empty). */
  pop(): number {
    const prio = this.prio;
    const ids = this.ids;
    const top = ids[0];
    const n = --this.n;
    if (n === 0) return top;
    const p = prio[n];
    const id = ids[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && prio[c + 1] > prio[c]) c++;
      if (prio[c] <= p) break;
      prio[i] = prio[c];
      ids[i] = ids[c];
      i = c;
    }
    prio[i] = p;
    ids[i] = id;
    return top;
  }
}
