/**
 * memcached 1.6 eviction (memcached 1.6.18 items.c, slabs.c; ../shared/notes/redis-memcached.md §2): slab
 * classes (memcached-slabs.ts) and, per class, the segmented LRU of HOT, WARM and COLD lists.
 *
 * - A new item goes to the head of its class's HOT list. A hit sets FETCHED the first time and ACTIVE the
 *   second (refreshing the item's time in HOT/WARM; in COLD the asynchronous bump moves it to the head of
 *   WARM and clears ACTIVE — done at once here); later hits change nothing.
 * - The LRU maintainer's juggle (lru_maintainer_juggle/lru_pull_tail): up to 500 passes over the class's
 *   tails, each moving at most a few items. A HOT tail that is ACTIVE goes to WARM; otherwise it goes to
 *   COLD when HOT holds more than `hotPct` (20 %) of the class's item bytes or is older than `hotMaxFactor`
 *   (0.2) × the age of COLD's tail. WARM's tail is re-linked at its head if ACTIVE, or goes to COLD when WARM
 *   holds more than `warmPct` (40 %) or is older than `warmMaxFactor` (2.0) × that age. An ACTIVE COLD tail
 *   goes to WARM. memcached runs this in a background thread every 1 ms–1 s per class; here it runs inline
 *   for the class of each accessed item after the access (idle classes catch up when next touched).
 * - Storing an item (do_item_alloc_pull) takes a free chunk of its class or a new page; failing that, it
 *   evicts COLD's tail of THAT class (even if ACTIVE), or if COLD is empty pushes HOT's tail to COLD, up to
 *   10 attempts, after which the store fails (SERVER_ERROR out of memory; counted as outOfMemory). Items
 *   whose ntotal (48 + key + 1 + value + 2 + 8) exceeds `itemSizeMax` are refused. Expired items found at a
 *   tail are reclaimed, not evicted (the driver's setExpiry gives the expiry times).
 *
 * Units: in byte mode (ctx.byteMode) the capacity is -m and `used` is total_malloced, the bytes of pages
 * handed out. It can exceed the capacity by up to one page per slab class in use, because memcached gives
 * every class its first page regardless of the limit (slabStats() shows the pages per class). In object mode
 * there is one class whose single page holds `capacity` chunks and each item takes the units the driver
 * passes (1): a plain segmented LRU with no slab effects, where running out of COLD and HOT may also push
 * WARM's tail to COLD (an item there may need several evictions, which a fixed chunk never does).
 *
 * Not modelled: slab automove and the page mover (memcached's default slab_automove=1 reassigns pages at
 * most once a second; without it the page distribution calcifies as shown by slabStats), the LRU crawler,
 * TEMP_LRU (off by default), client flags (taken as 0), and flushes.
 */
import { InputError } from '../errors.ts';
import type { EvictionPolicy, Params, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { KeyLists, NIL } from './list.ts';
import {
  chunkedLayout,
  type ItemLayout,
  itemTotal,
  SlabAllocator,
  slabClassSizes,
} from './memcached-slabs.ts';
import { integerParam, numberParam } from './param-checks.ts';

const HOT = 0;
const WARM = 1;
const COLD = 2;
const FETCHED = 1;
const ACTIVE = 2;
/** The last data chunk of a chunked item fell back to the largest class (do_item_alloc_chunk). */
const TAIL_IN_LARGEST = 4;
/** do_item_alloc_pull's attempts. */
const ALLOC_TRIES = 10;
/** lru_pull_tail looks at this many tail items. */
const PULL_TRIES = 5;
const JUGGLE_PASSES = 500;
/** KeyLists keeps a key's list in an Int8Array: three lists per class. */
const MAX_CLASSES = 42;
const GiB = 2 ** 30;

export interface SlabClassStats {
  /** memcached's class number (from 1). */
  readonly id: number;
  readonly chunkSize: number;
  readonly perSlab: number;
  readonly pages: number;
  readonly usedChunks: number;
  readonly freeChunks: number;
  /** Items linked in the class's LRU (chunked items count in the largest class). */
  readonly items: number;
  /** Sum of the items' ntotal (stats `bytes`), not of chunk sizes. */
  readonly bytes: number;
  readonly evictions: number;
  /** Expired items freed at a tail. */
  readonly reclaimed: number;
  /** Stores that failed for want of memory in this class. */
  readonly outOfMemory: number;
}

export class Memcached implements EvictionPolicy {
  readonly capacity: number;
  count = 0;
  onEvict: ((key: number, size: number) => void) | null = null;
  private readonly byteMode: boolean;
  private readonly keyBytes: number;
  private readonly slabChunkMax: number;
  private readonly itemSizeMax: number;
  private readonly hotPct: number;
  private readonly warmPct: number;
  private readonly hotMaxFactor: number;
  private readonly warmMaxFactor: number;
  readonly slabs: SlabAllocator;
  private readonly lists: KeyLists;
  /** Sum of ntotal per list (sizes_bytes). */
  private readonly listBytes: Float64Array;
  private flags: Uint8Array;
  /** Last access time per item, seconds (it->time). */
  private time: Uint32Array;
  /** Size the driver passed when the item was stored (0 when not cached). */
  private size: Uint32Array;
  /** Expiry per item, seconds (0 = never). */
  private expiry: Float64Array;
  private readonly evictions: Float64Array;
  private readonly reclaimed: Float64Array;
  private readonly outOfMemory: Float64Array;
  /** Chunks of the item being stored. */
  private readonly layout: ItemLayout = { lruClass: 0, parts: new Int32Array(6), nParts: 0 };
  /** Chunks of an item being freed or checked (evictions happen while `layout` is in use). */
  private readonly scratch: ItemLayout = { lruClass: 0, parts: new Int32Array(6), nParts: 0 };

  constructor(ctx: PolicyContext) {
    const p = ctx.params;
    this.capacity = ctx.capacity;
    this.byteMode = ctx.byteMode === true;
    const num = (name: string, min: number, max: number) => numberParam('memcached', p, name, min, max);
    const int = (name: string, min: number, max: number) => integerParam('memcached', p, name, min, max);
    this.keyBytes = int('keyBytes', 1, 250);
    this.hotPct = num('hotPct', 0, 100);
    this.warmPct = num('warmPct', 0, 100);
    this.hotMaxFactor = num('hotMaxFactor', 0, 1e9);
    this.warmMaxFactor = num('warmMaxFactor', 0, 1e9);
    if (this.byteMode) {
      // memcached caps item and page sizes at 1 GB (-I); slabClassSizes checks how they relate.
      const geometry = {
        chunkSize: int('chunkSize', 1, GiB),
        growthFactor: num('growthFactor', 1, 1e6),
        pageBytes: int('pageBytes', 1, GiB),
        slabChunkMax: int('slabChunkMax', 1, GiB),
        itemSizeMax: int('itemSizeMax', 1, GiB),
      };
      const sizes = slabClassSizes(geometry);
      if (sizes.length > MAX_CLASSES) {
        throw new InputError(
          `memcached: growthFactor ${geometry.growthFactor} gives ${sizes.length} slab classes; at most ${MAX_CLASSES} are supported`,
        );
      }
      this.slabChunkMax = geometry.slabChunkMax;
      this.itemSizeMax = geometry.itemSizeMax;
      this.slabs = new SlabAllocator(sizes, geometry.pageBytes, ctx.capacity);
    } else {
      this.slabChunkMax = Number.POSITIVE_INFINITY;
      this.itemSizeMax = ctx.capacity;
      this.slabs = new SlabAllocator([1], ctx.capacity, 0);
    }
    const classes = this.slabs.classes;
    this.lists = new KeyLists(3 * classes, ctx.keySpace);
    this.listBytes = new Float64Array(3 * classes);
    const n = Math.max(ctx.keySpace, 16);
    this.flags = new Uint8Array(n);
    this.time = new Uint32Array(n);
    this.size = new Uint32Array(n);
    this.expiry = new Float64Array(n);
    this.evictions = new Float64Array(classes);
    this.reclaimed = new Float64Array(classes);
    this.outOfMemory = new Float64Array(classes);
  }

  /** Byte mode: total_malloced. Object mode: units held by items. */
  get used(): number {
    return this.byteMode ? this.slabs.malloced : this.slabs.usedChunks[0];
  }

  reserve(n: number): void {
    this.lists.reserve(n);
    this.flags = grown(this.flags, n, 0);
    this.time = grown(this.time, n, 0);
    this.size = grown(this.size, n, 0);
    this.expiry = grown(this.expiry, n, 0);
  }

  access(key: number, size: number, now: number): boolean {
    const sec = Math.floor(now / 1e6);
    const l = this.lists.owner[key];
    if (l >= 0) {
      this.bump(key, l, sec);
      this.juggle((l / 3) | 0, sec);
      return true;
    }
    if (this.ntotal(size) > this.itemSizeMax) return false;
    this.layoutOf(size, 0, this.layout);
    const c = this.layout.lruClass;
    const fallback = this.allocate(sec);
    if (fallback < 0) {
      this.outOfMemory[c]++;
      return false;
    }
    this.size[key] = size;
    this.flags[key] = fallback;
    this.time[key] = sec;
    this.expiry[key] = 0;
    this.lists.pushHead(3 * c + HOT, key);
    this.listBytes[3 * c + HOT] += this.ntotal(size);
    this.count++;
    this.juggle(c, sec);
    return false;
  }

  setExpiry(key: number, at: number): void {
    if (this.lists.owner[key] >= 0) this.expiry[key] = at === 0 ? 0 : Math.floor(at / 1e6);
  }

  contains(key: number): boolean {
    return this.lists.owner[key] >= 0;
  }

  remove(key: number): boolean {
    if (this.lists.owner[key] < 0) return false;
    this.unlink(key);
    return true;
  }

  /** Per-class slab statistics (`stats slabs` / `stats items`), memcached's class numbers from 1. */
  slabStats(): SlabClassStats[] {
    const s = this.slabs;
    const out: SlabClassStats[] = [];
    for (let c = 0; c < s.classes; c++) {
      const b = 3 * c;
      out.push({
        id: c + 1,
        chunkSize: s.chunkSizes[c],
        perSlab: s.perSlab[c],
        pages: s.pages[c],
        usedChunks: s.usedChunks[c],
        freeChunks: s.freeChunks(c),
        items: this.lists.length[b + HOT] + this.lists.length[b + WARM] + this.lists.length[b + COLD],
        bytes: this.listBytes[b + HOT] + this.listBytes[b + WARM] + this.listBytes[b + COLD],
        evictions: this.evictions[c],
        reclaimed: this.reclaimed[c],
        outOfMemory: this.outOfMemory[c],
      });
    }
    return out;
  }

  /** ITEM_ntotal in byte mode; the units passed otherwise. */
  private ntotal(size: number): number {
    return this.byteMode ? itemTotal(this.keyBytes, size) : size;
  }

  /** Fills `out` with the chunks an item of `size` with item `flags` takes. */
  private layoutOf(size: number, flags: number, out: ItemLayout): void {
    const total = this.ntotal(size);
    if (total > this.slabChunkMax) {
      chunkedLayout(this.slabs, this.keyBytes, size, this.slabChunkMax, out);
      if (flags & TAIL_IN_LARGEST && out.nParts === 3) out.parts[4] = this.slabs.classes - 1;
      return;
    }
    out.lruClass = this.byteMode ? this.slabs.classFor(total) : 0;
    out.parts[0] = out.lruClass;
    out.parts[1] = this.byteMode ? 1 : size;
    out.nParts = 1;
  }

  /**
   * Allocates the chunks in `this.layout`, evicting as memcached would. Returns the item flags to keep
   * (TAIL_IN_LARGEST or 0), or -1 after freeing what was taken when some part cannot be had.
   */
  private allocate(sec: number): number {
    const { parts, nParts } = this.layout;
    const largest = this.slabs.classes - 1;
    let flags = 0;
    for (let i = 0; i < nParts; i++) {
      const c = parts[2 * i];
      const n = parts[2 * i + 1];
      // Chunks of a byte-mode item are allocated one by one; an object-mode item takes its units at once.
      const step = this.byteMode ? 1 : n;
      for (let got = 0; got < n; got += step) {
        if (this.allocPull(c, step, sec)) continue;
        if (i === 2 && c !== largest && this.allocPull(largest, 1, sec)) {
          parts[4] = largest;
          flags = TAIL_IN_LARGEST;
          continue;
        }
        // Give back what this item already took.
        for (let j = 0; j < i; j++) this.slabs.free(parts[2 * j], parts[2 * j + 1]);
        if (got > 0) this.slabs.free(c, got);
        return -1;
      }
    }
    return flags;
  }

  /** do_item_alloc_pull for `n` chunks of class `c`. */
  private allocPull(c: number, n: number, sec: number): boolean {
    const tries = this.byteMode ? ALLOC_TRIES : Number.POSITIVE_INFINITY;
    for (let i = 0; i < tries; i++) {
      if (this.slabs.alloc(c, n)) return true;
      if (this.pullTail(c, COLD, 0, true, 0, sec) > 0) continue;
      if (this.pullTail(c, HOT, 0, false, 0, sec) > 0) continue;
      // Object mode only (see the header): WARM must also be able to drain.
      if (this.byteMode || this.pullTail(c, WARM, 0, false, 0, sec) === 0) return false;
    }
    return false;
  }

  /** do_item_bump, with the asynchronous COLD → WARM bump (do_item_update) applied at once. */
  private bump(key: number, l: number, sec: number): void {
    const f = this.flags[key];
    if (f & ACTIVE) return;
    if (!(f & FETCHED)) {
      this.flags[key] = f | FETCHED;
      return;
    }
    if (l % 3 !== COLD) {
      this.flags[key] = f | ACTIVE;
      this.time[key] = sec;
      return;
    }
    this.time[key] = sec;
    this.move(key, l, l - COLD + WARM);
  }

  /** lru_maintainer_juggle for class `c`. */
  private juggle(c: number, sec: number): void {
    const b = 3 * c;
    const coldTail = this.lists.tail[b + COLD];
    const coldAge = coldTail === NIL ? 0 : sec - this.time[coldTail];
    const total = this.listBytes[b + HOT] + this.listBytes[b + WARM] + this.listBytes[b + COLD];
    const hotAge = Math.floor(coldAge * this.hotMaxFactor);
    const warmAge = Math.floor(coldAge * this.warmMaxFactor);
    for (let i = 0; i < JUGGLE_PASSES; i++) {
      let more = 0;
      if (
        this.pullTail(c, HOT, total, false, hotAge, sec) > 0 ||
        this.pullTail(c, WARM, total, false, warmAge, sec) > 0
      ) {
        more++;
      }
      more += this.pullTail(c, COLD, total, false, 0, sec);
      if (more === 0) break;
    }
  }

  /** lru_pull_tail: looks at up to 5 tail items of one list; returns how many it moved or freed. */
  private pullTail(
    c: number,
    lru: number,
    total: number,
    evict: boolean,
    maxAge: number,
    sec: number,
  ): number {
    const id = 3 * c + lru;
    const lists = this.lists;
    let removed = 0;
    let limit = 0;
    let search = lists.tail[id];
    for (let tries = PULL_TRIES; tries > 0 && search !== NIL; tries--) {
      const prev = lists.prev[search];
      const exp = this.expiry[search];
      if (exp !== 0 && exp < sec) {
        this.reclaimed[c]++;
        this.unlink(search);
        removed++;
        search = prev;
        continue;
      }
      const f = this.flags[search];
      if (lru === COLD) {
        if (evict) {
          this.evictions[c]++;
          const s = this.size[search];
          this.unlink(search);
          if (this.onEvict !== null) this.onEvict(search, s);
          removed++;
        } else if (f & ACTIVE) {
          this.flags[search] = f & ~ACTIVE;
          this.move(search, id, 3 * c + WARM);
          removed++;
        }
        return removed;
      }
      // memcached computes HOT's limit and falls through to WARM's when it comes out 0.
      if (lru === HOT) limit = Math.floor((total * this.hotPct) / 100);
      if (limit === 0) limit = Math.floor((total * this.warmPct) / 100);
      if (f & ACTIVE) {
        this.flags[search] = f & ~ACTIVE;
        removed++;
        this.move(search, id, 3 * c + WARM);
        if (lru === HOT) return removed;
        search = prev;
        continue;
      }
      if (this.listBytes[id] > limit || sec - this.time[search] > maxAge) {
        this.move(search, id, 3 * c + COLD);
        removed++;
      }
      return removed;
    }
    return removed;
  }

  /** Moves `key` from list `from` to the head of list `to`, carrying its bytes. */
  private move(key: number, from: number, to: number): void {
    const b = this.ntotal(this.size[key]);
    this.listBytes[from] -= b;
    this.listBytes[to] += b;
    this.lists.moveToHead(to, key);
  }

  /** Unlinks an item and frees its chunks (eviction, reclaim or delete alike). */
  private unlink(key: number): void {
    const l = this.lists.owner[key];
    const size = this.size[key];
    this.listBytes[l] -= this.ntotal(size);
    this.lists.unlink(key);
    this.layoutOf(size, this.flags[key], this.scratch);
    const { parts, nParts } = this.scratch;
    for (let i = 0; i < nParts; i++) this.slabs.free(parts[2 * i], parts[2 * i + 1]);
    this.size[key] = 0;
    this.flags[key] = 0;
    this.expiry[key] = 0;
    this.count--;
  }

  verify(): void {
    const s = this.slabs;
    const chunks = new Float64Array(s.classes);
    let items = 0;
    for (let id = 0; id < 3 * s.classes; id++) {
      this.lists.verify(id);
      let bytes = 0;
      for (let k = this.lists.head[id]; k !== NIL; k = this.lists.next[k]) {
        bytes += this.ntotal(this.size[k]);
        const lay = this.scratch;
        this.layoutOf(this.size[k], this.flags[k], lay);
        if (lay.lruClass !== ((id / 3) | 0))
          throw new Error(`memcached: key ${k} is in the LRU of the wrong class`);
        for (let i = 0; i < lay.nParts; i++) chunks[lay.parts[2 * i]] += lay.parts[2 * i + 1];
        items++;
      }
      if (bytes !== this.listBytes[id])
        throw new Error(`memcached: list ${id} holds ${bytes} bytes, sizes_bytes says ${this.listBytes[id]}`);
    }
    if (items !== this.count) throw new Error(`memcached: ${items} items linked, count says ${this.count}`);
    for (let c = 0; c < s.classes; c++) {
      if (chunks[c] !== s.usedChunks[c])
        throw new Error(`slab class ${c + 1}: items take ${chunks[c]} chunks, ${s.usedChunks[c]} in use`);
    }
    s.verify();
    if (!this.byteMode && this.used > this.capacity)
      throw new Error(`memcached: used ${this.used} exceeds capacity ${this.capacity}`);
  }
}

/**
 * The smallest -m memcached 1.6 starts with: twice the item size limit -I (memcached.c exits with "Cannot
 * set item size limit higher than 1/2 of memory max" when item_size_max > maxbytes / 2), 2 MiB by default.
 * The model itself accepts any capacity (replays sweep small ones); callers standing for a server refuse.
 */
export function memcachedMinimumMemory(params: Params): number {
  return 2 * integerParam('memcached', params, 'itemSizeMax', 1, GiB);
}

export const memcachedPolicy: PolicyEntry = {
  name: 'memcached',
  description: 'memcached 1.6: slab classes, per-class HOT/WARM/COLD segmented LRU, no slab automove',
  defaults: {
    keyBytes: 16,
    chunkSize: 48,
    growthFactor: 1.25,
    pageBytes: 1 << 20,
    itemSizeMax: 1 << 20,
    slabChunkMax: 1 << 19,
    hotPct: 20,
    warmPct: 40,
    hotMaxFactor: 0.2,
    warmMaxFactor: 2,
  },
  mayRefuse: true,
  create: (ctx) => new Memcached(ctx),
};
