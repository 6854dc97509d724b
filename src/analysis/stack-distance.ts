/**
 * Exact LRU stack (reuse) distances in one pass, and the LRU miss-ratio curve they give.
 *
 * The stack distance of an access is the number of DISTINCT other keys accessed since the previous access
 * to the same key (first accesses have none: "infinite", returned as -1). An LRU cache of c objects hits
 * exactly the accesses whose distance is < c, for every c at once, because LRU is a stack algorithm
 * (Mattson, Gecsei, Slutz & Traiger, "Evaluation techniques for storage hierarchies", IBM Systems Journal
 * 9(2), 1970). So a histogram of distances is the whole LRU miss-ratio curve: miss(c) = P(distance ≥ c).
 *
 * Counting distinct keys between two accesses (Bennett & Kruskal 1975; Almási, Caşcaval & Padua 2002):
 * every key keeps a mark at the position (logical time) of its most recent access, and a Fenwick (binary
 * indexed) tree sums the marks. When key k is accessed again, the marks after its previous position are
 * exactly the distinct keys accessed since, one mark each; then k's mark moves to the current position.
 * Each access is one prefix sum and two point updates: O(log M) for M distinct keys.
 *
 * Bounded memory: positions would grow with the trace (O(N)), but at most M of them hold a mark. The tree
 * covers a window of `capacity` positions; when the window is full, the live marks are renumbered 0…M-1 in
 * their order (which preserves every future distance) and the tree is rebuilt in linear time. The window
 * is kept at least twice the live marks, so a compaction follows ≥ capacity/2 accesses and costs O(1)
 * amortised per access, and memory stays O(M). A removed key (`remove`) loses its mark like a moved one.
 *
 * Byte-weighted variant (optional, a second tree): the byte distance is the sum of the current sizes of
 * those distinct keys. When every key keeps one size and no object is larger than the cache, a byte-capacity
 * LRU that evicts from the tail until the new object fits always holds the longest prefix of the recency
 * stack that fits, so it hits exactly when byteDistance + size ≤ capacity.
 */
import { grown } from '../policies/arrays.ts';

const MIN_CAPACITY = 2;

export interface StackDistanceOptions {
  /** Also compute byte distances (a second tree; costs about twice the time). */
  bytes?: boolean;
  /** Starting window of positions (grows as needed; small values force compactions, for tests). */
  initialCapacity?: number;
}

export class StackDistance {
  /**
   * After each `access`, the byte distance of that access (-1 for a first access). Only maintained when
   * constructed with `bytes: true`; otherwise always -1.
   */
  byteDistance = -1;
  private readonly withBytes: boolean;
  /** Window position of each key's last access, -1 if never seen. */
  private lastPos: Int32Array;
  /** Size of each key at its last access (byte variant only). */
  private lastSize: Float64Array;
  /**
   * Key whose live mark is at each position below `now`, -1 where the mark has moved on. Positions at or
   * above `now` are written before they are read, so compaction leaves them as they are.
   */
  private keyAt: Int32Array;
  /** Fenwick trees (1-based) over positions: marks, and sizes of the marked keys. */
  private tree: Int32Array;
  private byteTree: Float64Array;
  private cap: number;
  /** Next free position. */
  private now = 0;
  /** Live marks = distinct keys seen. */
  private live = 0;
  /** Sum of the current sizes of all keys seen (byte variant). */
  private liveBytes = 0;

  constructor(opts: StackDistanceOptions = {}) {
    this.withBytes = opts.bytes === true;
    this.cap = Math.max(MIN_CAPACITY, opts.initialCapacity ?? 1 << 16);
    this.lastPos = new Int32Array(16).fill(-1);
    this.lastSize = new Float64Array(this.withBytes ? 16 : 0);
    this.keyAt = new Int32Array(this.cap);
    this.tree = new Int32Array(this.cap + 1);
    this.byteTree = new Float64Array(this.withBytes ? this.cap + 1 : 0);
  }

  /** Distinct keys seen so far. */
  get distinctKeys(): number {
    return this.live;
  }

  /** Positions the window currently spans (memory is about 8–16 bytes per position). */
  get capacity(): number {
    return this.cap;
  }

  /** Bytes held by the typed arrays. */
  get arrayBytes(): number {
    return (
      this.lastPos.byteLength +
      this.lastSize.byteLength +
      this.keyAt.byteLength +
      this.tree.byteLength +
      this.byteTree.byteLength
    );
  }

  /** Makes room for key ids below `n` up front (optional: `access` grows on demand). */
  reserve(n: number): void {
    this.lastPos = grown(this.lastPos, n, -1);
    if (this.withBytes) this.lastSize = grown(this.lastSize, n, 0);
  }

  /**
   * Records an access to `key` (a dense id) of `size` bytes and returns its stack distance: the number of
   * distinct other keys accessed since its previous access, or -1 for the first access.
   */
  access(key: number, size: number): number {
    if (key >= this.lastPos.length) this.reserve(key + 1);
    if (this.now === this.cap) this.compact();
    const prev = this.lastPos[key];
    const now = this.now;
    const cap = this.cap;
    const tree = this.tree;
    let dist = -1;
    if (this.withBytes) {
      const byteTree = this.byteTree;
      this.byteDistance = -1;
      if (prev >= 0) {
        const old = this.lastSize[key];
        let c = 0;
        let b = 0;
        for (let i = prev + 1; i > 0; i -= i & -i) {
          c += tree[i];
          b += byteTree[i];
        }
        // The prefix up to prev includes this key's own mark, so what is left is strictly after it.
        dist = this.live - c;
        this.byteDistance = this.liveBytes - b;
        for (let i = prev + 1; i <= cap; i += i & -i) {
          tree[i]--;
          byteTree[i] -= old;
        }
        this.keyAt[prev] = -1;
        this.liveBytes -= old;
      } else {
        this.live++;
      }
      for (let i = now + 1; i <= cap; i += i & -i) {
        tree[i]++;
        byteTree[i] += size;
      }
      this.lastSize[key] = size;
      this.liveBytes += size;
    } else {
      if (prev >= 0) {
        let c = 0;
        for (let i = prev + 1; i > 0; i -= i & -i) c += tree[i];
        dist = this.live - c;
        for (let i = prev + 1; i <= cap; i += i & -i) tree[i]--;
        this.keyAt[prev] = -1;
      } else {
        this.live++;
      }
      for (let i = now + 1; i <= cap; i += i & -i) tree[i]++;
    }
    this.keyAt[now] = key;
    this.lastPos[key] = now;
    this.now = now + 1;
    return dist;
  }

  /**
   * Forgets `key`: its mark leaves the tree, so later distances no longer count it, and its next access is
   * a first access. Fixed-size SHARDS (shards-fixed.ts) drops keys from its sample this way and then reuses
   * their ids for new keys, which keeps the engine's arrays sized to the sample.
   */
  remove(key: number): void {
    const prev = key < this.lastPos.length ? this.lastPos[key] : -1;
    if (prev < 0) return;
    const cap = this.cap;
    const tree = this.tree;
    for (let i = prev + 1; i <= cap; i += i & -i) tree[i]--;
    if (this.withBytes) {
      const old = this.lastSize[key];
      const byteTree = this.byteTree;
      for (let i = prev + 1; i <= cap; i += i & -i) byteTree[i] -= old;
      this.liveBytes -= old;
    }
    this.keyAt[prev] = -1;
    this.lastPos[key] = -1;
    this.live--;
  }

  /** Renumbers the live marks 0…live-1 in order, widens the window if it is over half full, rebuilds. */
  private compact(): void {
    let keyAt = this.keyAt;
    const lastPos = this.lastPos;
    let j = 0;
    for (let p = 0; p < this.now; p++) {
      const k = keyAt[p];
      if (k >= 0) {
        keyAt[j] = k;
        lastPos[k] = j;
        j++;
      }
    }
    let cap = this.cap;
    while (j * 2 > cap) cap *= 2;
    if (cap !== this.cap) {
      keyAt = new Int32Array(cap);
      keyAt.set(this.keyAt.subarray(0, j));
      this.keyAt = keyAt;
      this.tree = new Int32Array(cap + 1);
      if (this.withBytes) this.byteTree = new Float64Array(cap + 1);
      this.cap = cap;
    }
    const tree = this.tree;
    tree.fill(0);
    tree.fill(1, 1, j + 1);
    buildFenwick(tree, cap);
    if (this.withBytes) {
      const byteTree = this.byteTree;
      byteTree.fill(0);
      for (let p = 0; p < j; p++) byteTree[p + 1] = this.lastSize[keyAt[p]];
      buildFenwick(byteTree, cap);
    }
    this.now = j;
  }
}

/** Turns point values at 1…n into a Fenwick tree in place, in O(n). */
function buildFenwick(t: Int32Array | Float64Array, n: number): void {
  for (let i = 1; i <= n; i++) {
    const parent = i + (i & -i);
    if (parent <= n) t[parent] += t[i];
  }
}

/**
 * Counts of stack distances: distance d ≥ 0 at index d, first accesses apart. Memory is O(largest distance),
 * which is below the number of distinct keys.
 */
export class DistanceHistogram {
  /** Accesses with no previous access (distance -1). */
  infinite = 0;
  /** Accesses with a finite distance. */
  finite = 0;
  private counts = new Float64Array(16);
  private max = -1;

  add(distance: number): void {
    if (distance < 0) {
      this.infinite++;
      return;
    }
    if (distance >= this.counts.length) this.counts = grown(this.counts, distance + 1, 0);
    this.counts[distance]++;
    this.finite++;
    if (distance > this.max) this.max = distance;
  }

  get total(): number {
    return this.infinite + this.finite;
  }

  /** Largest finite distance seen, or -1. */
  get maxDistance(): number {
    return this.max;
  }

  /** Accesses at distance exactly d. */
  count(d: number): number {
    return d >= 0 && d <= this.max ? this.counts[d] : 0;
  }

  /**
   * LRU hits at each cache size (in objects): the accesses with distance < size. Sizes may come in any
   * order; a fractional size holds floor(size) objects.
   */
  hitCurve(sizes: readonly number[]): number[] {
    const cum = new Float64Array(this.max + 2);
    for (let d = 0; d <= this.max; d++) cum[d + 1] = cum[d] + this.counts[d];
    return sizes.map((s) => cum[Math.min(Math.max(Math.floor(s), 0), this.max + 1)]);
  }

  /** LRU miss ratio at each cache size (in objects): P(distance ≥ size), first accesses always missing. */
  missRatioCurve(sizes: readonly number[]): number[] {
    const total = this.total;
    return this.hitCurve(sizes).map((h) => (total === 0 ? 0 : (total - h) / total));
  }

  /**
   * Exact percentile (0 < p ≤ 100) of the finite distances by the nearest-rank method: the smallest d with
   * at least ceil(p/100 · finite) distances ≤ d. Null when there are no finite distances.
   */
  percentile(p: number): number | null {
    if (this.finite === 0) return null;
    // p·finite first: an integer for integer p, so the division rounds at most once and ceil stays exact.
    const rank = Math.max(1, Math.ceil((p * this.finite) / 100));
    let seen = 0;
    for (let d = 0; d <= this.max; d++) {
      seen += this.counts[d];
      if (seen >= rank) return d;
    }
    return this.max;
  }
}
