/**
 * Request counts over time in equal windows, in one pass and fixed memory, when the time span is not
 * known in advance (traces stream, and their last timestamp is only seen at the end).
 *
 * Timestamps are counted in at most FINE_SLOTS fine windows of width w µs, where w is a power of ten. The
 * windows sit on a grid aligned to multiples of w (window index = floor(t / w)). When a timestamp falls
 * outside the span the slots can hold, w grows tenfold and ten neighbouring windows merge into one; since
 * floor(floor(t / w) / 10) = floor(t / 10w), every count stays exact. At the end, neighbouring fine windows
 * are grouped by the smallest factor of a 1-2-5 ladder that leaves at most MAX_WINDOWS windows, so the
 * reported width is 1, 2 or 5 times a power of ten µs (0.5 s, 20 s, 200 s, …) and every count is exact.
 * The first and last windows are aligned to the grid, so they may be only partly covered by the trace.
 */

const FINE_SLOTS = 1000;
/** At most this many windows are reported. With FINE_SLOTS = 1000, a group of 100 leaves ≤ 11. */
export const MAX_WINDOWS = 50;
const GROUPS = [1, 2, 5, 10, 20, 50, 100];

export interface TimeWindowCounts {
  /** Start of the first window, µs (a multiple of the width). */
  startUs: number;
  widthUs: number;
  /** Requests in each window, in time order. */
  counts: number[];
}

/** floor(t / w) computed without rounding the quotient: t % w is exact for doubles. */
function floorDiv(t: number, w: number): number {
  const r = t % w;
  const q = (t - r) / w;
  return r < 0 ? q - 1 : q;
}

export class TimeWindows {
  private slots = new Float64Array(FINE_SLOTS);
  private width = 1;
  /** Fine index (floor(t / width)) held by slot 0. */
  private origin = 0;
  /** Smallest and largest fine index seen. */
  private lo = 0;
  private hi = 0;
  private n = 0;

  /** Counts one request at time t (µs). */
  add(t: number): void {
    let idx = floorDiv(t, this.width);
    if (this.n === 0) {
      this.origin = idx;
      this.lo = idx;
      this.hi = idx;
    } else if (idx < this.origin || idx >= this.origin + FINE_SLOTS) {
      this.makeRoom(idx);
      idx = floorDiv(t, this.width);
    }
    this.slots[idx - this.origin]++;
    if (idx < this.lo) this.lo = idx;
    if (idx > this.hi) this.hi = idx;
    this.n++;
  }

  /** Widens the windows (×10 until the span fits) and re-bases the slots so fine index `idx` fits. */
  private makeRoom(idx: number): void {
    let lo = Math.min(this.lo, idx);
    let hi = Math.max(this.hi, idx);
    let factor = 1;
    while (hi - lo + 1 > FINE_SLOTS) {
      factor *= 10;
      lo = floorDiv(lo, 10);
      hi = floorDiv(hi, 10);
    }
    const old = this.slots;
    const slots = new Float64Array(FINE_SLOTS);
    for (let i = 0; i < FINE_SLOTS; i++) {
      if (old[i] !== 0) slots[floorDiv(this.origin + i, factor) - lo] += old[i];
    }
    this.slots = slots;
    this.width *= factor;
    this.origin = lo;
    this.lo = floorDiv(this.lo, factor);
    this.hi = floorDiv(this.hi, factor);
  }

  /** The counts in at most MAX_WINDOWS equal windows covering every timestamp seen; none if none. */
  result(): TimeWindowCounts {
    if (this.n === 0) return { startUs: 0, widthUs: this.width, counts: [] };
    let g = GROUPS[GROUPS.length - 1];
    for (const c of GROUPS) {
      if (floorDiv(this.hi, c) - floorDiv(this.lo, c) + 1 <= MAX_WINDOWS) {
        g = c;
        break;
      }
    }
    const first = floorDiv(this.lo, g);
    const counts = new Array<number>(floorDiv(this.hi, g) - first + 1).fill(0);
    for (let j = this.lo; j <= this.hi; j++) counts[floorDiv(j, g) - first] += this.slots[j - this.origin];
    return { startUs: first * g * this.width, widthUs: g * this.width, counts };
  }
}
