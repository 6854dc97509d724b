/**
 * memcached 1.6's slab allocator (memcached 1.6.18 slabs.c, items.c; ../shared/notes/redis-memcached.md §2.2–2.3).
 *
 * Memory comes in pages (1 MiB). Each slab class cuts its pages into equal chunks; chunk sizes start at
 * sizeof(item) 48 + `chunkSize` (-n, 48), are rounded up to 8 and multiplied by `growthFactor` (-f, 1.25,
 * truncating) until they reach slabChunkMax / factor, and the last class is exactly `slabChunkMax` (512 KiB):
 * 39 classes by default, 96 … 524288. An item of ntotal bytes goes in the first class whose chunk holds it.
 * Items above slabChunkMax (up to itemSizeMax) are "chunked": a header item in a small class and data chunks
 * of at most slabChunkMax each (48-byte chunk header included), the last one in the class that fits it.
 *
 * A class whose chunks are all taken asks for a new page, which is refused only when the limit would be
 * passed AND the class already has a page (do_slabs_newslab; there is no global page pool without automove).
 * So pages go first come, first served, and every class gets its first page even past the limit: memory
 * can exceed the limit by one page per class in use. Pages never move between classes here (memcached's
 * slab automove is not modelled), which is what makes calcification visible.
 */
import { InputError } from '../errors.ts';

/** sizeof(item) on 64-bit. */
export const ITEM_HEADER = 48;
/** sizeof(item_chunk). */
export const CHUNK_HEADER = 48;
/** CAS value stored with each item (use_cas is on by default). */
const CAS_BYTES = 8;
const CHUNK_ALIGN = 8;
/** MAX_NUMBER_OF_SLAB_CLASSES − 1 usable classes (class 0 is the global pool). */
const MAX_CLASSES = 63;

export interface SlabGeometry {
  readonly chunkSize: number;
  readonly growthFactor: number;
  readonly pageBytes: number;
  readonly slabChunkMax: number;
  readonly itemSizeMax: number;
}

/** ntotal of an item: header, key + NUL, value + CRLF, CAS (item_make_header; client flags 0). */
export function itemTotal(keyBytes: number, valueBytes: number): number {
  return ITEM_HEADER + keyBytes + 1 + valueBytes + 2 + CAS_BYTES;
}

/** Chunk sizes of the slab classes, smallest first (slabs_init). */
export function slabClassSizes(g: SlabGeometry): number[] {
  if (!(g.growthFactor > 1))
    throw new InputError(`memcached: growthFactor: expected a number > 1, got ${g.growthFactor}`);
  if (!Number.isInteger(g.chunkSize) || g.chunkSize < 1) {
    throw new InputError(`memcached: chunkSize: expected a whole number ≥ 1, got ${g.chunkSize}`);
  }
  if (
    !Number.isInteger(g.slabChunkMax) ||
    g.slabChunkMax > g.pageBytes ||
    g.slabChunkMax < ITEM_HEADER + g.chunkSize
  ) {
    throw new InputError(
      `memcached: slabChunkMax: expected a whole number between ${ITEM_HEADER + g.chunkSize} and pageBytes (${g.pageBytes}), got ${g.slabChunkMax}`,
    );
  }
  if (!Number.isInteger(g.itemSizeMax) || g.itemSizeMax < g.slabChunkMax) {
    throw new InputError(
      `memcached: itemSizeMax: expected a whole number ≥ slabChunkMax (${g.slabChunkMax}), got ${g.itemSizeMax}`,
    );
  }
  const sizes: number[] = [];
  let size = ITEM_HEADER + g.chunkSize;
  while (sizes.length < MAX_CLASSES - 1 && size < g.slabChunkMax / g.growthFactor) {
    if (size % CHUNK_ALIGN) size += CHUNK_ALIGN - (size % CHUNK_ALIGN);
    sizes.push(size);
    size = Math.floor(size * g.growthFactor);
  }
  sizes.push(g.slabChunkMax);
  return sizes;
}

/** Chunks taken by one item: class indexes (0-based) with a count each. */
export interface ItemLayout {
  /** The class whose LRU holds the item (the largest class for chunked items). */
  lruClass: number;
  /** Parts to allocate, in order: [class, count] pairs in `parts[0..2*nParts)`. */
  readonly parts: Int32Array;
  nParts: number;
}

export class SlabAllocator {
  /** Chunk size per class (0-based; memcached numbers them from 1). */
  readonly chunkSizes: Int32Array;
  readonly perSlab: Int32Array;
  readonly pages: Int32Array;
  readonly usedChunks: Float64Array;
  /** Bytes of pages handed out (stats `total_malloced`). */
  malloced = 0;

  constructor(
    sizes: readonly number[],
    readonly pageBytes: number,
    /** -m in bytes; 0 means a single class whose one page is the whole cache (object mode). */
    readonly limit: number,
  ) {
    this.chunkSizes = Int32Array.from(sizes);
    this.perSlab = Int32Array.from(sizes, (s) => Math.floor(pageBytes / s));
    this.pages = new Int32Array(sizes.length);
    this.usedChunks = new Float64Array(sizes.length);
  }

  get classes(): number {
    return this.chunkSizes.length;
  }

  /** slabs_clsid: the first class whose chunk holds `bytes` (callers refuse items above itemSizeMax). */
  classFor(bytes: number): number {
    const n = this.chunkSizes.length;
    for (let c = 0; c < n; c++) if (bytes <= this.chunkSizes[c]) return c;
    return n - 1;
  }

  freeChunks(c: number): number {
    return this.pages[c] * this.perSlab[c] - this.usedChunks[c];
  }

  /** do_slabs_alloc: takes `n` chunks of class `c`, adding a page if the class is out of chunks and may. */
  alloc(c: number, n: number): boolean {
    if (this.freeChunks(c) < n && this.mayGrow(c)) {
      this.pages[c]++;
      this.malloced += this.pageBytes;
    }
    if (this.freeChunks(c) < n) return false;
    this.usedChunks[c] += n;
    return true;
  }

  free(c: number, n: number): void {
    this.usedChunks[c] -= n;
  }

  /** do_slabs_newslab's test: refused only past the limit for a class that already has a page. */
  private mayGrow(c: number): boolean {
    return !(this.malloced + this.pageBytes > this.limit && this.pages[c] > 0);
  }

  /** Classes holding at least one page. */
  classesInUse(): number {
    let n = 0;
    for (let c = 0; c < this.pages.length; c++) if (this.pages[c] > 0) n++;
    return n;
  }

  verify(): void {
    for (let c = 0; c < this.pages.length; c++) {
      if (this.usedChunks[c] < 0 || this.freeChunks(c) < 0)
        throw new Error(
          `slab class ${c + 1}: ${this.usedChunks[c]} chunks used of ${this.pages[c] * this.perSlab[c]}`,
        );
    }
    // Past the limit only first pages are granted: at most one page per class beyond it.
    if (this.malloced > Math.max(this.limit, 0) + this.classesInUse() * this.pageBytes) {
      throw new Error(`slabs: ${this.malloced} bytes of pages for a limit of ${this.limit}`);
    }
  }
}

/** Where a chunked item's header and data go (do_item_alloc, do_item_alloc_chunk). */
export function chunkedLayout(
  alloc: SlabAllocator,
  keyBytes: number,
  valueBytes: number,
  slabChunkMax: number,
  out: ItemLayout,
): void {
  const parts = out.parts;
  const largest = alloc.classes - 1;
  out.lruClass = largest;
  parts[0] = alloc.classFor(keyBytes + 1 + ITEM_HEADER + CHUNK_HEADER + CAS_BYTES);
  parts[1] = 1;
  let remain = valueBytes + 2;
  const full = Math.floor(remain / (slabChunkMax - CHUNK_HEADER));
  remain -= full * (slabChunkMax - CHUNK_HEADER);
  parts[2] = largest;
  parts[3] = full;
  out.nParts = 2;
  if (remain > 0) {
    parts[4] = alloc.classFor(remain + CHUNK_HEADER);
    parts[5] = 1;
    out.nParts = 3;
  }
}
