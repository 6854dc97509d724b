/**
 * A map from non-negative 32-bit integers to 32-bit integers with deletion, in typed arrays: open
 * addressing with linear probing (load ≤ 1/2) and backward-shift deletion (Knuth, TAOCP vol. 3, §6.4,
 * Algorithm R), which leaves no tombstones, so a table whose keys come and go keeps short probes forever.
 *
 * Fixed-size SHARDS (shards-fixed.ts) maps the full trace's key ids to its sample's slots with it: a
 * per-id array would grow with every distinct key of the trace, this table only with the sample.
 */
import { fmix32 } from '../trace/keymap.ts';

const EMPTY = -1;

export class IntMap {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private n = 0;

  /** Sized for `expected` entries without rehashing. */
  constructor(expected = 8) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Int32Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.n;
  }

  /** Bytes held by the arrays. */
  get arrayBytes(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }

  /** The value of `key`, or -1 when absent. */
  get(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = fmix32(key) & mask; ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) return this.vals[i];
      if (k === EMPTY) return -1;
    }
  }

  /** Sets `key` (absent: the caller has just missed it with `get`) to `value`. */
  insert(key: number, value: number): void {
    if ((this.n + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const keys = this.keys;
    const mask = this.mask;
    let i = fmix32(key) & mask;
    while (keys[i] !== EMPTY) i = (i + 1) & mask;
    keys[i] = key;
    this.vals[i] = value;
    this.n++;
  }

  /** Removes `key` if present. */
  delete(key: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = fmix32(key) & mask;
    for (;;) {
      const k = keys[i];
      if (k === EMPTY) return;
      if (k === key) break;
      i = (i + 1) & mask;
    }
    // Shift back every later entry of the run whose home slot does not lie cyclically in (i, j].
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j];
      if (k === EMPTY) break;
      const home = fmix32(k) & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      keys[i] = k;
      vals[i] = vals[j];
      i = j;
    }
    keys[i] = EMPTY;
    this.n--;
  }

  private rehash(cap: number): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.keys = new Int32Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.n = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.insert(oldKeys[i], oldVals[i]);
  }
}
