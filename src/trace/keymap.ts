/**
 * Maps original keys to dense ids 0, 1, 2, … in order of first appearance.
 *
 * 64-bit numeric keys arrive as two unsigned 32-bit halves and never pass through a double, so ids above
 * 2^53 keep their identity. They live in an open-addressing table (linear probing) whose slots hold the
 * key's halves beside its id, so a lookup touches one cache line even when the table is far larger than the
 * CPU caches (a table of ids alone costs two more misses per lookup, into the key arrays). The table fills
 * up to 7/8 before it doubles: with ~1M keys lookups are memory-bound, and a table half the size made the
 * oracleGeneral reader 1.25–1.37× faster at 0.76M–0.91M keys despite the longer probes (12-byte slots, a
 * fingerprint table beside the keys, a cheaper hash and hashing a batch ahead measured no faster). The
 * halves are also kept by id for writers and keyOf: about 26–53 bytes per key in all.
 * String keys use a Map: they come from text formats, whose parsing costs more than the lookup.
 * A map holds one kind of key; asking for the other kind is a programming error.
 */
import type { KeyKind } from './api.ts';

const INITIAL_CAPACITY = 1 << 16;

/** murmur3's 32-bit finaliser: a bijection of 32-bit integers with full avalanche; signed (`>>> 0` for unsigned). */
export function fmix32(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Hash of a 64-bit key: murmur3's finaliser over the low half, then over that mixed with the high half.
 * Mixing the halves only after the first finaliser leaves no simple relation between colliding keys.
 */
export function hash64(lo: number, hi: number): number {
  return fmix32(fmix32(lo) ^ hi);
}

export class KeyMap {
  readonly kind: KeyKind;
  /** Slot i is words 4i…4i+3: lo, hi, id + 1 (0 = empty), unused (keeps slots aligned). */
  private table: Uint32Array;
  private mask: number;
  private lo: Uint32Array;
  private hi: Uint32Array;
  private strings: string[] = [];
  private byString = new Map<string, number>();
  private count = 0;
  /** The table lags behind the key arrays (after appendU64) and must be rebuilt before a lookup. */
  private stale = false;

  /** `expectedKeys` pre-sizes the arrays of 64-bit keys when the count is known (e.g. from a file's trailer). */
  constructor(kind: KeyKind = 'u64', expectedKeys = 0) {
    this.kind = kind;
    const cap = kind === 'u64' ? INITIAL_CAPACITY : 0;
    this.table = new Uint32Array(cap * 2 * 4);
    this.mask = cap * 2 - 1;
    this.lo = new Uint32Array(kind === 'u64' ? Math.max(cap, expectedKeys) : 0);
    this.hi = new Uint32Array(this.lo.length);
  }

  /** Number of distinct keys seen. */
  get size(): number {
    return this.count;
  }

  /** Dense id of the 64-bit key hi·2^32 + lo, assigning the next id on first sight. */
  idOfU64(lo: number, hi: number): number {
    if (this.stale) this.rehash(this.mask + 1);
    const table = this.table;
    const mask = this.mask;
    const l = lo >>> 0;
    const h = hi >>> 0;
    let w = (hash64(l, h) & mask) << 2;
    for (;;) {
      const e = table[w + 2];
      if (e === 0) break;
      if (table[w] === l && table[w + 1] === h) return e - 1;
      w = (w + 4) & ((mask << 2) | 3);
    }
    const id = this.count++;
    if (id === this.lo.length) this.growKeys();
    this.lo[id] = l;
    this.hi[id] = h;
    table[w] = l;
    table[w + 1] = h;
    table[w + 2] = id + 1;
    if (this.count * 8 > mask * 7) this.rehash((mask + 1) * 2);
    return id;
  }

  /**
   * Appends `count` 64-bit keys known to be new and distinct, as ids size, size + 1, … in order, without
   * hashing them: for readers of files that store the key map itself (the native format), where hashing
   * every key would cost more than reading the file. The table is rebuilt only if idOfU64 is called later.
   */
  appendU64(lo: Uint32Array, hi: Uint32Array, count: number): void {
    const size = this.count + count;
    if (size > this.lo.length) this.growKeys(size);
    this.lo.set(lo.subarray(0, count), this.count);
    this.hi.set(hi.subarray(0, count), this.count);
    this.count = size;
    this.stale = true;
  }

  /** Dense id of a key given as a non-negative integer below 2^53. */
  idOfNumber(n: number): number {
    return this.idOfU64(n % 4294967296, Math.floor(n / 4294967296));
  }

  /** Dense id of a string key. */
  idOfString(s: string): number {
    let id = this.byString.get(s);
    if (id === undefined) {
      id = this.count++;
      this.byString.set(s, id);
      this.strings.push(s);
    }
    return id;
  }

  /** The original key of a dense id, as text (decimal for numeric keys). */
  keyOf(id: number): string {
    if (this.kind === 'string') return this.strings[id];
    return ((BigInt(this.hi[id]) << 32n) | BigInt(this.lo[id])).toString();
  }

  /** Low and high 32-bit halves of a numeric key, for writers that store keys in binary. */
  halves(id: number): [number, number] {
    return [this.lo[id], this.hi[id]];
  }

  /** Bytes held by the map's arrays (strings are counted at 2 bytes a character plus 40 overhead). */
  memoryBytes(): number {
    if (this.kind === 'u64') return this.table.byteLength + this.lo.byteLength + this.hi.byteLength;
    let n = 0;
    for (const s of this.strings) n += 2 * s.length + 40;
    return n;
  }

  private growKeys(min: number = this.lo.length + 1): void {
    const lo = new Uint32Array(Math.max(min, this.lo.length * 2));
    lo.set(this.lo);
    this.lo = lo;
    const hi = new Uint32Array(lo.length);
    hi.set(this.hi);
    this.hi = hi;
  }

  /** Rebuilds the table with at least `minSlots` slots, and enough to stay at most 7/8 full. */
  private rehash(minSlots: number): void {
    let slots = Math.max(minSlots, 2);
    while (this.count * 8 > (slots - 1) * 7) slots *= 2;
    const table = new Uint32Array(slots * 4);
    const mask = slots - 1;
    const wrap = (mask << 2) | 3;
    for (let id = 0; id < this.count; id++) {
      const lo = this.lo[id];
      const hi = this.hi[id];
      let w = (hash64(lo, hi) & mask) << 2;
      while (table[w + 2] !== 0) w = (w + 4) & wrap;
      table[w] = lo;
      table[w + 1] = hi;
      table[w + 2] = id + 1;
    }
    this.table = table;
    this.mask = mask;
    this.stale = false;
  }
}
