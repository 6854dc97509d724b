/**
 * Maps original keys to dense ids 0, 1, 2, … in order of first appearance.
 *
 * 64-bit numeric keys arrive as two unsigned 32-bit halves and never pass through a double, so ids above
 * 2^53 keep their identity. They live in an open-addressing table (linear probing, load ≤ 1/2) that stores
 * only dense ids; the halves are kept once, indexed by id, so a key costs 16 bytes plus the table.
 * String keys use a Map: they come from text formats, whose parsing costs more than the lookup.
 * A map holds one kind of key; asking for the other kind is a programming error.
 */
import type { KeyKind } from './api.ts';

const INITIAL_CAPACITY = 1 << 16;

/** A murmur3-style finaliser over both halves: cheap, and spreads sequential ids (LBNs) well. */
export function hash64(lo: number, hi: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class KeyMap {
  readonly kind: KeyKind;
  private table: Int32Array; // id + 1, 0 = empty
  private mask: number;
  private lo: Uint32Array;
  private hi: Uint32Array;
  private strings: string[] = [];
  private byString = new Map<string, number>();
  private count = 0;

  constructor(kind: KeyKind = 'u64') {
    this.kind = kind;
    const cap = kind === 'u64' ? INITIAL_CAPACITY : 0;
    this.table = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    this.lo = new Uint32Array(cap);
    this.hi = new Uint32Array(cap);
  }

  /** Number of distinct keys seen. */
  get size(): number {
    return this.count;
  }

  /** Dense id of the 64-bit key hi·2^32 + lo, assigning the next id on first sight. */
  idOfU64(lo: number, hi: number): number {
    const table = this.table;
    const mask = this.mask;
    let slot = hash64(lo, hi) & mask;
    for (;;) {
      const e = table[slot];
      if (e === 0) break;
      const id = e - 1;
      if (this.lo[id] === lo >>> 0 && this.hi[id] === hi >>> 0) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    if (id === this.lo.length) this.growKeys();
    this.lo[id] = lo;
    this.hi[id] = hi;
    table[slot] = id + 1;
    if (this.count * 2 > mask) this.rehash();
    return id;
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

  private growKeys(): void {
    const lo = new Uint32Array(this.lo.length * 2);
    lo.set(this.lo);
    this.lo = lo;
    const hi = new Uint32Array(this.hi.length * 2);
    hi.set(this.hi);
    this.hi = hi;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.count; id++) {
      const lo = this.lo[id];
      const hi = this.hi[id];
      let slot = hash64(lo, hi) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
