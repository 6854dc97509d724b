/**
 * Intrusive doubly linked lists over typed arrays, indexed by dense key id. Several lists share one pair of
 * link arrays (a key is in at most one list at a time), which is what segmented policies (SLRU, 2Q, LIRS,
 * W-TinyLFU) need. Head = most recently inserted; tail = next victim. O(1), no allocation. The hottest
 * policies use leaner structures: LRU and ARC PairedLists (paired-lists.ts), S3-FIFO and QD-LP KeyRings.
 */
import { grown } from './arrays.ts';

export const NIL = -1;

export class KeyLists {
  prev: Int32Array;
  next: Int32Array;
  /** List a key is in, or -1. */
  owner: Int8Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  /** Keys per list. */
  readonly length: Int32Array;

  constructor(lists: number, keySpace: number) {
    this.prev = new Int32Array(Math.max(keySpace, 16)).fill(NIL);
    this.next = new Int32Array(Math.max(keySpace, 16)).fill(NIL);
    this.owner = new Int8Array(Math.max(keySpace, 16)).fill(-1);
    this.head = new Int32Array(lists).fill(NIL);
    this.tail = new Int32Array(lists).fill(NIL);
    this.length = new Int32Array(lists);
  }

  reserve(n: number): void {
    if (n <= this.owner.length) return;
    this.prev = grown(this.prev, n, NIL);
    this.next = grown(this.next, n, NIL);
    this.owner = grown(this.owner, n, -1);
  }

  /** Inserts `k` (not in any list) at the head of list `l`. */
  pushHead(l: number, k: number): void {
    const h = this.head[l];
    this.prev[k] = NIL;
    this.next[k] = h;
    if (h !== NIL) this.prev[h] = k;
    else this.tail[l] = k;
    this.head[l] = k;
    this.owner[k] = l;
    this.length[l]++;
  }

  /** Inserts `k` (not in any list) at the tail of list `l`. */
  pushTail(l: number, k: number): void {
    const t = this.tail[l];
    this.next[k] = NIL;
    this.prev[k] = t;
    if (t !== NIL) this.next[t] = k;
    else this.head[l] = k;
    this.tail[l] = k;
    this.owner[k] = l;
    this.length[l]++;
  }

  /** Unlinks `k` from whatever list holds it (it must be in one). */
  unlink(k: number): void {
    const l = this.owner[k];
    const p = this.prev[k];
    const n = this.next[k];
    if (p !== NIL) this.next[p] = n;
    else this.head[l] = n;
    if (n !== NIL) this.prev[n] = p;
    else this.tail[l] = p;
    this.prev[k] = NIL;
    this.next[k] = NIL;
    this.owner[k] = -1;
    this.length[l]--;
  }

  /** Moves `k` to the head of list `l` (from any list). */
  moveToHead(l: number, k: number): void {
    if (this.owner[k] === l && this.head[l] === k) return;
    this.unlink(k);
    this.pushHead(l, k);
  }

  /** Removes and returns the tail of list `l`, or NIL if empty. */
  popTail(l: number): number {
    const k = this.tail[l];
    if (k !== NIL) this.unlink(k);
    return k;
  }

  /** Throws if the links of list `l` are inconsistent. */
  verify(l: number): void {
    let n = 0;
    let p = NIL;
    for (let k = this.head[l]; k !== NIL; k = this.next[k]) {
      if (this.prev[k] !== p) throw new Error(`list ${l}: prev[${k}] = ${this.prev[k]}, expected ${p}`);
      if (this.owner[k] !== l) throw new Error(`list ${l}: owner[${k}] = ${this.owner[k]}`);
      p = k;
      if (++n > this.length[l])
        throw new Error(`list ${l}: longer than its length ${this.length[l]} (cycle?)`);
    }
    if (this.tail[l] !== p) throw new Error(`list ${l}: tail ${this.tail[l]}, expected ${p}`);
    if (n !== this.length[l]) throw new Error(`list ${l}: ${n} linked, length says ${this.length[l]}`);
  }
}
