/**
 * Time series in fixed windows of simulated time (`metrics.window`, default 1 s): per window, the
 * requests that ended in it (by outcome, and the stale reads among its hits), the origin's arrivals and
 * its mean wait for a connection, the origin queue length at the window's end, and the 99th percentile
 * latency of the window's served requests. Events are recorded at the engine's current time, which never decreases, so only the open
 * window has counters; a window is closed (its figures appended) when the first event of a later window
 * is recorded, and by finish() at the end of the run. One latency histogram is reused for every window.
 *
 * A request counts in the window in which the component that ends it acts (the cache node that hit, the
 * origin, the gateway that refused it); the network legs back to the load balancer are in its latency,
 * not in its window.
 */
import { InputError } from '../errors.ts';
import { Histogram } from '../metrics/histogram.ts';
import { formatDuration } from '../sim/time.ts';

/** Most windows a run may have: 10^6 windows of figures take ~100 MB. */
export const MAX_WINDOWS = 1_000_000;

/** The closed windows' figures, one entry per window. */
export interface SeriesData {
  readonly windowNs: number;
  readonly served: number[];
  readonly hits: number[];
  readonly misses: number[];
  readonly stale: number[];
  readonly rejected: number[];
  readonly failed: number[];
  readonly originQueries: number[];
  readonly originWaitSum: number[];
  readonly originWaitCount: number[];
  readonly originQueue: number[];
  readonly p99: number[];
  /** Length of the last window (ns), which may be cut short by the end of the run. */
  lastWindowNs: number;
}

export class Series {
  readonly data: SeriesData;
  private end: number;
  private served = 0;
  private hits = 0;
  private misses = 0;
  private stale = 0;
  private rejected = 0;
  private failed = 0;
  private originQueries = 0;
  private originWaitSum = 0;
  private originWaitCount = 0;
  private readonly latency = new Histogram();
  /** Something was recorded in the open window. */
  private touched = false;

  constructor(
    windowNs: number,
    private readonly originQueue: () => number,
  ) {
    this.end = windowNs;
    this.data = {
      windowNs,
      served: [],
      hits: [],
      misses: [],
      stale: [],
      rejected: [],
      failed: [],
      originQueries: [],
      originWaitSum: [],
      originWaitCount: [],
      originQueue: [],
      p99: [],
      lastWindowNs: windowNs,
    };
  }

  /** Closes every window that ended at or before `now`. */
  private advance(now: number): void {
    while (now >= this.end) this.close();
    this.touched = true;
  }

  private close(): void {
    const d = this.data;
    if (d.served.length >= MAX_WINDOWS) {
      throw new InputError(
        `metrics.window: ${formatDuration(d.windowNs)} windows would be more than ${MAX_WINDOWS} over this run; choose a longer window`,
      );
    }
    d.served.push(this.served);
    d.hits.push(this.hits);
    d.misses.push(this.misses);
    d.stale.push(this.stale);
    d.rejected.push(this.rejected);
    d.failed.push(this.failed);
    d.originQueries.push(this.originQueries);
    d.originWaitSum.push(this.originWaitSum);
    d.originWaitCount.push(this.originWaitCount);
    d.originQueue.push(this.originQueue());
    d.p99.push(this.latency.count === 0 ? Number.NaN : this.latency.quantile(0.99));
    this.served = this.hits = this.misses = this.stale = this.rejected = this.failed = 0;
    this.originQueries = this.originWaitSum = this.originWaitCount = 0;
    if (this.latency.count > 0) this.latency.reset();
    this.touched = false;
    this.end += d.windowNs;
  }

  /** A served request (hit, miss or write) ended now with `latency` ns; `read` and `hit` say which. */
  served1(now: number, latency: number, read: boolean, hit: boolean): void {
    this.advance(now);
    this.served++;
    if (read) {
      if (hit) this.hits++;
      else this.misses++;
    }
    this.latency.record(latency);
  }

  /** A read that missed and then failed still counts as a miss for the window's hit ratio. */
  failed1(now: number, read: boolean): void {
    this.advance(now);
    this.failed++;
    if (read) this.misses++;
  }

  /** The hit just recorded (served1, at the same `now`) was stale. */
  stale1(now: number): void {
    this.advance(now);
    this.stale++;
  }

  rejected1(now: number): void {
    this.advance(now);
    this.rejected++;
  }

  originArrived(now: number): void {
    this.advance(now);
    this.originQueries++;
  }

  originStarted(now: number, wait: number): void {
    this.advance(now);
    this.originWaitSum += wait;
    this.originWaitCount++;
  }

  /**
   * Closes the window holding `now`, cut short there (the run ended), unless it is empty and has no
   * length. A window of no length (events at the very instant it began) has no rates.
   */
  finish(now: number): void {
    this.advance(now);
    const start = this.end - this.data.windowNs;
    if (now > start || this.touched) {
      this.data.lastWindowNs = now - start;
      this.close();
    }
  }
}
