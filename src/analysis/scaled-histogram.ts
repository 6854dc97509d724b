/**
 * A weighted histogram of scaled (real-valued) reuse distances in a fixed number of equal-width buckets, for
 * fixed-size SHARDS (shards-fixed.ts), where a sampled distance d measured at rate R estimates d / R on the
 * full trace and each access counts 1 / R.
 *
 * Fixed number of buckets, so memory is O(buckets) however far the distances reach: the width starts at 1
 * and doubles (neighbouring buckets merge) whenever a distance falls past the last bucket. At width 1 and
 * integer distances every bucket holds one distance and the curve is exact; wider buckets are read with
 * linear interpolation inside the bucket a size falls in. With at least twice as many buckets as sampled
 * keys, the width stays below the sample's own resolution: distances below s_max at rate R reach s_max / R,
 * so the width stays under 1 / (2R), while the sample cannot tell sizes apart closer than 1 / R.
 *
 * Each bucket also sums the weighted bytes of its accesses, for the byte miss ratio of an object-count curve.
 */
export class ScaledHistogram {
  /** Weight and weighted bytes of first accesses (infinite distance). */
  infinite = 0;
  infiniteBytes = 0;
  /** Weight and weighted bytes of all accesses. */
  total = 0;
  totalBytes = 0;
  private readonly counts: Float64Array;
  private readonly bytes: Float64Array;
  private w = 1;
  private top = -1;

  constructor(buckets: number) {
    this.counts = new Float64Array(Math.max(2, buckets));
    this.bytes = new Float64Array(this.counts.length);
  }

  /** Current bucket width (a power of two). */
  get width(): number {
    return this.w;
  }

  /** Bytes held by the arrays. */
  get arrayBytes(): number {
    return this.counts.byteLength + this.bytes.byteLength;
  }

  /** An access at scaled distance `x` ≥ 0 of weight `weight` and `size` bytes. */
  add(x: number, weight: number, size: number): void {
    let b = Math.floor(x / this.w);
    while (b >= this.counts.length) {
      this.widen();
      b = Math.floor(x / this.w);
    }
    this.counts[b] += weight;
    this.bytes[b] += weight * size;
    if (b > this.top) this.top = b;
    this.total += weight;
    this.totalBytes += weight * size;
  }

  /** A first access (infinite distance). */
  addInfinite(weight: number, size: number): void {
    this.infinite += weight;
    this.infiniteBytes += weight * size;
    this.total += weight;
    this.totalBytes += weight * size;
  }

  /**
   * Weighted LRU hits (and their weighted bytes) at each cache size: the accesses at scaled distance below
   * the size, interpolated inside the bucket the size falls in.
   */
  hitCurve(sizes: readonly number[]): { hits: Float64Array; byteHits: Float64Array } {
    const top = this.top;
    const cum = new Float64Array(top + 2);
    const cumBytes = new Float64Array(top + 2);
    for (let b = 0; b <= top; b++) {
      cum[b + 1] = cum[b] + this.counts[b];
      cumBytes[b + 1] = cumBytes[b] + this.bytes[b];
    }
    const hits = new Float64Array(sizes.length);
    const byteHits = new Float64Array(sizes.length);
    sizes.forEach((c, i) => {
      const q = Math.max(0, c) / this.w;
      const b = Math.floor(q);
      if (b > top) {
        hits[i] = cum[top + 1];
        byteHits[i] = cumBytes[top + 1];
      } else {
        // Zero past the bucket's start when the size is a multiple of the width (always at width 1).
        const f = q - b;
        hits[i] = cum[b] + (f > 0 ? this.counts[b] * f : 0);
        byteHits[i] = cumBytes[b] + (f > 0 ? this.bytes[b] * f : 0);
      }
    });
    return { hits, byteHits };
  }

  /** Doubles the width: bucket b takes buckets 2b and 2b + 1. */
  private widen(): void {
    const counts = this.counts;
    const bytes = this.bytes;
    const half = (this.top >> 1) + 1;
    for (let b = 0; b < half; b++) {
      counts[b] = counts[2 * b] + (2 * b + 1 < counts.length ? counts[2 * b + 1] : 0);
      bytes[b] = bytes[2 * b] + (2 * b + 1 < bytes.length ? bytes[2 * b + 1] : 0);
    }
    counts.fill(0, half);
    bytes.fill(0, half);
    this.top = this.top >> 1;
    this.w *= 2;
  }
}
