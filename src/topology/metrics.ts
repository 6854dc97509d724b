/**
 * What the run loop records about requests as they end: counters by outcome and reason, latency
 * histograms per path (a hit in each tier, a miss, a write, a rejection, a failure) and over every served
 * request, the origin's waits, stale reads (per tier, with their staleness ages), and the windowed time
 * series (series.ts). Plain fields and reused
 * histograms, no allocation per request; turning them into figures is summarize.ts's job, after the run.
 */
import { Histogram } from '../metrics/histogram.ts';
import {
  OUT_FAILED,
  OUT_HIT,
  OUT_MISS,
  OUT_REJECTED,
  type Outcome,
  type Reason,
  WHY_NO_UPSTREAM,
  WHY_ORIGIN_FULL,
  WHY_PRIMARY_DOWN,
  WHY_RATE_LIMIT,
  WHY_UNREACHABLE,
} from './api.ts';
import type { OriginObserver } from './origin.ts';
import { Series } from './series.ts';

export class Metrics implements OriginObserver {
  hits = 0;
  misses = 0;
  writes = 0;
  rejectedRateLimit = 0;
  rejectedNoUpstream = 0;
  failedOriginFull = 0;
  failedOriginTimeout = 0;
  /** Requests whose origin query a partition lost (faults/partition.ts). */
  failedUnreachable = 0;
  /** SETs failed at once: the gateway had the cache primary marked down (replication.ts). */
  failedPrimaryDown = 0;
  /** Reads among the failures (they missed every tier first). */
  failedReads = 0;
  readonly hitsByTier: Float64Array;
  /** Every served request: hits, misses and writes. */
  readonly latency = new Histogram();
  readonly hitLatency: Histogram[];
  readonly missLatency = new Histogram();
  readonly writeLatency = new Histogram();
  readonly rejectedLatency = new Histogram();
  readonly failedLatency = new Histogram();
  readonly originWait = new Histogram();
  /** Hits that returned an older version than the origin's, overall and per tier, and their ages (ns). */
  staleReads = 0;
  readonly staleByTier: Float64Array;
  readonly staleAge = new Histogram();
  readonly staleAgeByTier: Histogram[];
  readonly series: Series;

  constructor(tiers: number, windowNs: number, originQueue: () => number) {
    this.hitsByTier = new Float64Array(tiers);
    this.staleByTier = new Float64Array(tiers);
    this.hitLatency = Array.from({ length: tiers }, () => new Histogram());
    this.staleAgeByTier = Array.from({ length: tiers }, () => new Histogram());
    this.series = new Series(windowNs, originQueue);
  }

  /** A request ended now after `latency` ns; `tier` is the tier that hit (for OUT_HIT). */
  record(outcome: Outcome, why: Reason, tier: number, read: boolean, latency: number, now: number): void {
    switch (outcome) {
      case OUT_HIT:
        this.hits++;
        this.hitsByTier[tier]++;
        this.hitLatency[tier].record(latency);
        this.latency.record(latency);
        this.series.served1(now, latency, true, true);
        return;
      case OUT_MISS:
        this.misses++;
        this.missLatency.record(latency);
        this.latency.record(latency);
        this.series.served1(now, latency, true, false);
        return;
      case OUT_REJECTED:
        if (why === WHY_RATE_LIMIT) this.rejectedRateLimit++;
        else if (why === WHY_NO_UPSTREAM) this.rejectedNoUpstream++;
        this.rejectedLatency.record(latency);
        this.series.rejected1(now);
        return;
      case OUT_FAILED:
        if (why === WHY_ORIGIN_FULL) this.failedOriginFull++;
        else if (why === WHY_UNREACHABLE) this.failedUnreachable++;
        else if (why === WHY_PRIMARY_DOWN) this.failedPrimaryDown++;
        else this.failedOriginTimeout++;
        if (read) this.failedReads++;
        this.failedLatency.record(latency);
        this.series.failed1(now, read);
        return;
      default:
        this.writes++;
        this.writeLatency.record(latency);
        this.latency.record(latency);
        this.series.served1(now, latency, false, false);
    }
  }

  /** The hit in `tier` that just ended (recorded) returned a value out of date by `age` ns. */
  staleRead(tier: number, age: number, now: number): void {
    this.staleReads++;
    this.staleByTier[tier]++;
    this.staleAge.record(age);
    this.staleAgeByTier[tier].record(age);
    this.series.stale1(now);
  }

  originArrived(now: number): void {
    this.series.originArrived(now);
  }

  originStarted(now: number, wait: number): void {
    this.originWait.record(wait);
    this.series.originStarted(now, wait);
  }
}
