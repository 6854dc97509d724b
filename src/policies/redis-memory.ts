/**
 * Redis 7.0 memory accounting for string keys, in the units `maxmemory` is compared with (`used_memory`,
 * i.e. zmalloc's count of allocator usable sizes). Sources: redis 7.0.15 object.c, sds.c, dict.c, server.c,
 * summarised in ../shared/notes/redis-memcached.md §1.7–1.8.
 *
 * A key with a string value costs a dictEntry (24 B raw), the key's sds copy (header + length + NUL), and
 * the value: one "embstr" allocation (robj 16 + sdshdr8 3 + length + NUL) up to 44 bytes, otherwise a robj
 * plus a separate sds. Every allocation is rounded up to a jemalloc size class: four classes per doubling,
 * with a 16-byte quantum below 128 B for Debian's system jemalloc (no 24/40/56 classes, so a dictEntry costs
 * 32 B) or an 8-byte one for the jemalloc bundled with Redis. A key with a TTL adds a dictEntry in the
 * `expires` dict.
 *
 * Each dict also has a bucket array of 8-byte pointers whose size is a power of two. It doubles when an add
 * finds keys ≥ slots, unless the new array would push memory over maxmemory while the load factor is still
 * ≤ 1.618 (server.c dictExpandAllowed). It shrinks to the next power of two ≥ keys (at least 4) once fewer
 * than 10 % of the slots are used (htNeedsResize).
 *
 * Not modelled: both bucket arrays exist while Redis rehashes incrementally after a growth (we free the old
 * one at once); the shrink runs in serverCron every 100 ms (we shrink as soon as a removal allows it); an
 * empty dict keeps a 4-slot (32 B) array (we free it); integer-encodable values (16 B or shared) and values
 * of 32 KiB or more that arrive as the query buffer itself (two bytes longer) — trace values have no content.
 */
import { InputError } from '../errors.ts';

/** Usable size jemalloc gives for a request of `n` bytes, with the given quantum (8 or 16) below 64 B. */
export function jemallocSize(n: number, quantum: number): number {
  if (n <= 8) return 8;
  if (n <= 64) return Math.ceil(n / quantum) * quantum;
  // Above 64 B: four classes per doubling, i.e. a spacing of a quarter of the lower power of two.
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** Header bytes of an sds string of length `len` (sds.c sdsReqType: sdshdr5/8/16/32). */
export function sdsHeader(len: number): number {
  if (len < 32) return 1;
  if (len < 256) return 3;
  if (len < 65536) return 5;
  return 9;
}

/** Values up to this length are stored in one allocation with their robj (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_LIMIT = 44;
const ROBJ_BYTES = 16;
const DICT_ENTRY_BYTES = 24;
const POINTER_BYTES = 8;
/** DICT_HT_INITIAL_SIZE. */
const MIN_SLOTS = 4;
/** HASHTABLE_MAX_LOAD_FACTOR: above it the bucket array grows even past maxmemory. */
const MAX_LOAD_FACTOR = 1.618;
/** HASHTABLE_MIN_FILL (percent). */
const MIN_FILL_PERCENT = 10;

/** Per-key byte costs for a given key length and allocator. */
export class RedisObjectCost {
  /** One dictEntry, as allocated (main dict or expires dict). */
  readonly entryBytes: number;
  /** The key's sds copy. */
  readonly keyBytes: number;

  constructor(
    keyLength: number,
    private readonly quantum: number,
  ) {
    if (quantum !== 8 && quantum !== 16) {
      throw new InputError(
        `redis: allocator: expected 16 (Debian's jemalloc) or 8 (bundled jemalloc), got ${quantum}`,
      );
    }
    this.entryBytes = jemallocSize(DICT_ENTRY_BYTES, quantum);
    this.keyBytes = jemallocSize(sdsHeader(keyLength) + keyLength + 1, quantum);
  }

  /** Bytes of the value object for a string value of `len` bytes. */
  valueBytes(len: number): number {
    if (len <= EMBSTR_LIMIT) return jemallocSize(ROBJ_BYTES + 3 + len + 1, this.quantum);
    return jemallocSize(ROBJ_BYTES, this.quantum) + jemallocSize(sdsHeader(len) + len + 1, this.quantum);
  }

  /** Bytes a key with a value of `len` bytes costs in the main dict, bucket share excluded. */
  keyCost(len: number): number {
    return this.entryBytes + this.keyBytes + this.valueBytes(len);
  }
}

/** Smallest power of two ≥ n, at least MIN_SLOTS (dict.c _dictNextExp). */
function nextSlots(n: number): number {
  let s = MIN_SLOTS;
  while (s < n) s *= 2;
  return s;
}

/** The bucket array of one dict: its slot count follows the dict's key count. */
export class DictTable {
  /** Slots allocated; 0 while the dict is empty. */
  slots = 0;

  get bytes(): number {
    return this.slots * POINTER_BYTES;
  }

  /**
   * Bytes the array grows by when a key is added to a dict of `keys` keys, given the memory `used` at that
   * point and the `budget` it must stay within. Applies the growth.
   */
  grow(keys: number, used: number, budget: number): number {
    const next = this.growthFor(keys, used, budget);
    const delta = (next - this.slots) * POINTER_BYTES;
    this.slots = next;
    return delta;
  }

  /** Slot count after adding a key to a dict of `keys` keys (without applying it). */
  growthFor(keys: number, used: number, budget: number): number {
    if (this.slots === 0) return MIN_SLOTS;
    if (keys < this.slots) return this.slots;
    const next = nextSlots(keys + 1);
    // dictExpandAllowed: the check counts the whole new array, as Redis allocates it before freeing the old.
    if (keys / this.slots <= MAX_LOAD_FACTOR && used + next * POINTER_BYTES > budget) return this.slots;
    return next;
  }

  /** Bytes freed after the dict went down to `keys` keys (an empty dict frees its array). */
  shrink(keys: number): number {
    let next = this.slots;
    if (keys === 0) next = 0;
    else if (this.slots > MIN_SLOTS && (keys * 100) / this.slots < MIN_FILL_PERCENT) next = nextSlots(keys);
    const freed = (this.slots - next) * POINTER_BYTES;
    this.slots = next;
    return freed;
  }
}
