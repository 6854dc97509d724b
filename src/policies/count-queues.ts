/**
 * The LFU ordering of a set of keys in O(1) per operation (Shah, Mitra and Matani, "An O(1) algorithm for
 * implementing the LFU cache eviction scheme", 2010): each key has a count (1 when it joins, +1 per bump);
 * keys with equal counts wait in a FIFO queue, and the non-empty queues form a list in increasing count
 * order. The front of the lowest queue is the least frequently used key, ties going to the one that reached
 * its count first, which (since every request raises the count) is the least recently used among them —
 * libCacheSim's LFU order (its freq nodes). Used by the LFU policy and by LeCaR's LFU expert.
 * Queues come from a pool of typed-array slots (at most one per key plus one), so nothing is allocated
 * per operation. Per-key fields are separate arrays rather than one interleaved record: under skewed
 * popularity the hot keys' fields then pack densely into few cache lines (measured faster on Zipf traces).
 */
import { grown } from './arrays.ts';

const NIL = -1;

export class CountQueues {
  /** Per key: its queue (NIL when absent) and neighbours in it (toward front / toward back). */
  private queueOf: Int32Array;
  private prev: Int32Array;
  private next: Int32Array;
  /** Per queue slot: its count, front and back keys, and the neighbouring queues in count order. */
  private qCount: Float64Array;
  private qFront: Int32Array;
  private qBack: Int32Array;
  private qLower: Int32Array;
  private qHigher: Int32Array;
  /** Queue with the smallest count, and the first free slot (free slots chain through qHigher). */
  private lowest = NIL;
  private free = NIL;
  private slots = 0;
  /** Keys held. */
  size = 0;

  constructor(keySpace: number) {
    const n = Math.max(keySpace, 16);
    this.queueOf = new Int32Array(n).fill(NIL);
    this.prev = new Int32Array(n);
    this.next = new Int32Array(n);
    this.qCount = new Float64Array(16);
    this.qFront = new Int32Array(16);
    this.qBack = new Int32Array(16);
    this.qLower = new Int32Array(16);
    this.qHigher = new Int32Array(16);
  }

  reserve(n: number): void {
    this.queueOf = grown(this.queueOf, n, NIL);
    this.prev = grown(this.prev, n, 0);
    this.next = grown(this.next, n, 0);
  }

  has(key: number): boolean {
    return this.queueOf[key] !== NIL;
  }

  /** The count of a held key. */
  count(key: number): number {
    return this.qCount[this.queueOf[key]];
  }

  /** Adds `key` (not held) with count 1, behind the keys already at 1. */
  insert(key: number): void {
    let q = this.lowest;
    if (q === NIL || this.qCount[q] !== 1) q = this.newQueue(1, NIL, q);
    this.append(q, key);
    this.size++;
  }

  /** Raises a held key's count by one; it joins the back of the next count's queue. */
  bump(key: number): void {
    const q = this.queueOf[key];
    const c = this.qCount[q] + 1;
    let up = this.qHigher[q];
    if (up === NIL || this.qCount[up] !== c) {
      // Alone in its queue, and no queue for the next count yet: the queue itself counts up, in place. The
      // common case for popular keys, whose counts are unique.
      if (this.prev[key] === NIL && this.next[key] === NIL) {
        this.qCount[q] = c;
        return;
      }
      up = this.newQueue(c, q, up);
    }
    this.detach(q, key);
    this.append(up, key);
  }

  /** The least frequently used key (oldest among the lowest count), or NIL when empty. */
  front(): number {
    return this.lowest === NIL ? NIL : this.qFront[this.lowest];
  }

  /** Removes a held key. */
  remove(key: number): void {
    this.detach(this.queueOf[key], key);
    this.size--;
  }

  private append(q: number, key: number): void {
    const back = this.qBack[q];
    this.prev[key] = back;
    this.next[key] = NIL;
    if (back === NIL) this.qFront[q] = key;
    else this.next[back] = key;
    this.qBack[q] = key;
    this.queueOf[key] = q;
  }

  /** Unlinks `key` from queue `q`, dropping the queue when it empties. */
  private detach(q: number, key: number): void {
    const p = this.prev[key];
    const n = this.next[key];
    if (p === NIL) this.qFront[q] = n;
    else this.next[p] = n;
    if (n === NIL) this.qBack[q] = p;
    else this.prev[n] = p;
    this.queueOf[key] = NIL;
    if (this.qFront[q] === NIL) this.dropQueue(q);
  }

  /** A new empty queue for `count`, linked between queues `lower` and `higher` (either may be NIL). */
  private newQueue(count: number, lower: number, higher: number): number {
    let q = this.free;
    if (q !== NIL) this.free = this.qHigher[q];
    else {
      q = this.slots++;
      if (q === this.qCount.length) this.growQueues();
    }
    this.qCount[q] = count;
    this.qFront[q] = NIL;
    this.qBack[q] = NIL;
    this.qLower[q] = lower;
    this.qHigher[q] = higher;
    if (lower === NIL) this.lowest = q;
    else this.qHigher[lower] = q;
    if (higher !== NIL) this.qLower[higher] = q;
    return q;
  }

  private dropQueue(q: number): void {
    const lo = this.qLower[q];
    const hi = this.qHigher[q];
    if (lo === NIL) this.lowest = hi;
    else this.qHigher[lo] = hi;
    if (hi !== NIL) this.qLower[hi] = lo;
    this.qHigher[q] = this.free;
    this.free = q;
  }

  private growQueues(): void {
    const n = this.qCount.length * 2;
    this.qCount = grown(this.qCount, n, 0);
    this.qFront = grown(this.qFront, n, 0);
    this.qBack = grown(this.qBack, n, 0);
    this.qLower = grown(this.qLower, n, 0);
    this.qHigher = grown(this.qHigher, n, 0);
  }

  /** Throws if the queues are inconsistent or do not hold exactly `size` keys. */
  verify(): void {
    let keys = 0;
    let lastCount = 0;
    let lo = NIL;
    for (let q = this.lowest; q !== NIL; q = this.qHigher[q]) {
      if (this.qLower[q] !== lo)
        throw new Error(`count queue ${q}: lower link ${this.qLower[q]}, expected ${lo}`);
      if (this.qCount[q] <= lastCount) throw new Error(`count queues not increasing at ${q}`);
      if (this.qFront[q] === NIL) throw new Error(`count queue ${q} is empty but linked`);
      lastCount = this.qCount[q];
      let p = NIL;
      for (let k = this.qFront[q]; k !== NIL; k = this.next[k]) {
        if (this.prev[k] !== p) throw new Error(`count queue key ${k}: prev ${this.prev[k]}, expected ${p}`);
        if (this.queueOf[k] !== q)
          throw new Error(`count queue key ${k}: queue ${this.queueOf[k]}, not ${q}`);
        p = k;
        if (++keys > this.size) throw new Error('count queues hold more keys than their size (cycle?)');
      }
      if (this.qBack[q] !== p) throw new Error(`count queue ${q}: back ${this.qBack[q]}, expected ${p}`);
      lo = q;
    }
    if (keys !== this.size) throw new Error(`count queues: size ${this.size}, queues hold ${keys}`);
  }
}
