/**
 * A FIFO queue of (key, size) entries in a growable ring buffer, for policies whose queues only ever take
 * in at the head and give out at the tail (S3-FIFO's and QD-LP's small, main and ghost queues; the main
 * queue's reinsertion of a tail with hits, CLOCK-like, is a shift then a push). Entries sit in push order in two flat arrays, so the
 * hot steps of a miss — evict the tail, reinsert it, remember a ghost — read and write memory in sequence
 * instead of following and relinking the prev/next links of scattered keys as a linked list does.
 *
 * Taking an entry out of the middle (a ghost hit, a delete) leaves a tombstone in its slot, which `shift`
 * skips. To find the slot, the owner keeps the sequence number `push` returned: sequence numbers count
 * pushes (wrapping at 2^32), and an entry lives at slot seq & mask however often the ring has doubled, so
 * they stay valid across growth. The ring doubles when live entries and tombstones fill it.
 */

/** A key slot that was taken out. */
const DEAD = -1;

export class KeyRing {
  keys: Int32Array;
  sizes: Uint32Array;
  mask: number;
  /** Sequence number of the oldest slot (live or dead). */
  tail = 0;
  /** Sequence number the next push takes. */
  head = 0;
  /** Size of the entry the last `shift` returned. */
  shiftedSize = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.keys = new Int32Array(cap);
    this.sizes = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  /** Appends at the head; returns the entry's sequence number. */
  push(key: number, size: number): number {
    const seq = this.head;
    if (((seq - this.tail) | 0) > this.mask) this.grow();
    const slot = seq & this.mask;
    this.keys[slot] = key;
    this.sizes[slot] = size;
    this.head = (seq + 1) | 0;
    return seq;
  }

  /** Takes out the oldest live entry: returns its key (its size in `shiftedSize`), or -1 if none is left. */
  shift(): number {
    const keys = this.keys;
    const mask = this.mask;
    const head = this.head;
    let t = this.tail;
    while (t !== head) {
      const slot = t & mask;
      const k = keys[slot];
      t = (t + 1) | 0;
      if (k !== DEAD) {
        this.tail = t;
        this.shiftedSize = this.sizes[slot];
        return k;
      }
    }
    this.tail = t;
    return DEAD;
  }

  /** Takes out the live entry pushed as `seq`, leaving a tombstone; returns its size. */
  kill(seq: number): number {
    const slot = seq & this.mask;
    this.keys[slot] = DEAD;
    return this.sizes[slot];
  }

  /** Calls `f` for each live entry, oldest first, with its sequence number. */
  forEach(f: (key: number, size: number, seq: number) => void): void {
    for (let t = this.tail; t !== this.head; t = (t + 1) | 0) {
      const slot = t & this.mask;
      if (this.keys[slot] !== DEAD) f(this.keys[slot], this.sizes[slot], t);
    }
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const keys = new Int32Array(cap);
    const sizes = new Uint32Array(cap);
    const mask = cap - 1;
    for (let t = this.tail; t !== this.head; t = (t + 1) | 0) {
      keys[t & mask] = this.keys[t & this.mask];
      sizes[t & mask] = this.sizes[t & this.mask];
    }
    this.keys = keys;
    this.sizes = sizes;
    this.mask = mask;
  }
}
