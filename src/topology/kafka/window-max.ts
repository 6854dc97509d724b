/**
 * A level that changes at events (records behind in a consumer group, documents waiting to be indexed),
 * summarised per window of simulated time as its highest value in the window — the peak that a
 * per-window sample at the window's end would miss. Windows are the metrics windows (series.ts), so the
 * column lines up with the run's other series; a window without events holds the level carried into it.
 */

export class WindowMax {
  private readonly closed: number[] = [];
  private end: number;
  private max = 0;
  private level = 0;
  /** Highest level ever. */
  peak = 0;

  constructor(private readonly windowNs: number) {
    this.end = windowNs;
  }

  /** The level is `value` from `now` on. */
  set(now: number, value: number): void {
    if (now >= this.end) {
      while (now >= this.end) this.close();
      // A change at the very start of a window replaces the level carried into it.
      if (now === this.end - this.windowNs) this.max = value;
    }
    this.level = value;
    if (value > this.max) this.max = value;
    if (value > this.peak) this.peak = value;
  }

  private close(): void {
    this.closed.push(this.max);
    this.max = this.level;
    this.end += this.windowNs;
  }

  /** The first `windows` windows' peaks (windows after the last event hold the last level). */
  column(windows: number): number[] {
    const out = this.closed.slice(0, windows);
    if (out.length < windows) out.push(this.max);
    while (out.length < windows) out.push(this.level);
    return out;
  }
}
