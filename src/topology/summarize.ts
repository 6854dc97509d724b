/**
 * The result document of a run, made by pure functions from what the loop collected (a RunSnapshot):
 * counts by outcome, hit ratios (overall and per tier), latency percentiles in milliseconds overall and
 * per path, the origin's load (queries, peak and mean QPS, waits for a connection), per-node utilisation
 * and queueing, per-tier shard skew, and the windowed time series. Key order is fixed by construction and
 * nothing depends on wall time, so the same config and seed give byte-identical JSON.
 *
 * Definitions: a read "reaches the caches" unless it was rejected first; the overall hit ratio is hits
 * over reads that reached the caches (a read that missed and then failed at the origin is a miss). A
 * tier's hit ratio is its hits over its lookups. Latency percentiles cover served requests (hits, misses,
 * writes); rejected and failed requests have their own. A non-finite figure (nothing to measure) is null.
 * A stale read is a hit on an out-of-date copy (versions.ts): overall, stale reads over reads served
 * (hits and misses); per tier, over that tier's hits.
 */
import type { Histogram } from '../metrics/histogram.ts';
import type { QueueStats } from '../sim/queue-server.ts';
import { NS_PER_MS, NS_PER_SEC } from '../sim/time.ts';
import type { Metrics } from './metrics.ts';
import { CROSS_ZONE, SAME_HOST, SAME_ZONE } from './network.ts';
import type {
  LatencySummary,
  NodeResult,
  PerLinkClass,
  ResultMetrics,
  SeriesResult,
  SkewResult,
  StaleAgeSummary,
  TierResult,
} from './result.ts';
import type { SeriesData } from './series.ts';
import { skew } from './sharding/skew.ts';
import type { WriteStats } from './write-policy.ts';

export interface NodeSnapshot {
  readonly name: string;
  readonly tier: string;
  readonly zone: string;
  readonly gets: number;
  readonly hits: number;
  readonly fills: number;
  readonly deletes: number;
  readonly updates: number;
  readonly refused: number;
  readonly dropped: number;
  readonly ignored: number;
  readonly staleHits: number;
  readonly leaseWaits: number;
  readonly peakQueue: number;
  readonly queue: QueueStats;
  readonly usedBytes: number;
  readonly objects: number;
}

/** Everything a run leaves behind for the summary. */
export interface RunSnapshot {
  readonly tiers: readonly { readonly name: string; readonly sharding: string }[];
  readonly requests: number;
  readonly inFlight: number;
  readonly metrics: Metrics;
  readonly nodes: readonly NodeSnapshot[];
  readonly origin: {
    readonly reads: number;
    readonly writes: number;
    readonly full: number;
    readonly timedOut: number;
    readonly queue: QueueStats;
  };
  readonly coalesced: number;
  readonly writes: WriteStats;
  /** Stale reads whose age is a lower bound (versions.ts). */
  readonly staleAgesBounded: number;
  readonly loadBalancer: { readonly method: string; readonly perGateway: ArrayLike<number> };
  readonly simulatedNs: number;
  readonly events: number;
  readonly peakInFlight: number;
  readonly keys: number;
  /** Messages and value bytes per link class (network.ts), indexed SAME_HOST, SAME_ZONE, CROSS_ZONE. */
  readonly network: { readonly messages: ArrayLike<number>; readonly bytes: ArrayLike<number> };
  /** Expiry counters summed over the nodes; null without TTLs. */
  readonly expiry: {
    readonly expirations: number;
    readonly earlyRefreshes: number;
    readonly swrServed: number;
    readonly backgroundRefreshes: number;
    readonly failedRefreshes: number;
    readonly preloaded: number;
  } | null;
}

/** A finite number, or null. */
function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Nanoseconds as milliseconds, to the nanosecond. */
function ms(ns: number): number | null {
  return Number.isFinite(ns) ? Math.round(ns) / NS_PER_MS : null;
}

function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

export function latencySummary(h: Histogram): LatencySummary {
  const q = (p: number) => (h.count === 0 ? null : ms(h.quantile(p)));
  return {
    count: h.count,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    p999: q(0.999),
    max: h.count === 0 ? null : ms(h.max),
    mean: h.count === 0 ? null : ms(h.mean),
  };
}

export function staleAgeSummary(h: Histogram): StaleAgeSummary {
  if (h.count === 0) return { p50: null, p99: null, max: null };
  return { p50: ms(h.quantile(0.5)), p99: ms(h.quantile(0.99)), max: ms(h.max) };
}

/** Per-window figures; the last window may be shorter than the others. */
export function seriesSummary(d: SeriesData): SeriesResult {
  const n = d.served.length;
  const secs = (i: number) => (i === n - 1 ? d.lastWindowNs : d.windowNs) / NS_PER_SEC;
  return {
    windowMs: d.windowNs / NS_PER_MS,
    t: Array.from({ length: n }, (_, i) => (i * d.windowNs) / NS_PER_SEC),
    requests: d.served.map((s, i) => s + d.rejected[i] + d.failed[i]),
    hitRatio: d.hits.map((h, i) => ratio(h, h + d.misses[i])),
    staleReadRatio: d.stale.map((x, i) => ratio(x, d.hits[i] + d.misses[i])),
    p99Ms: d.p99.map(ms),
    rejected: [...d.rejected],
    failed: [...d.failed],
    originQps: d.originQueries.map((q, i) => (secs(i) > 0 ? q / secs(i) : null)),
    originWaitMs: d.originWaitSum.map((s, i) =>
      d.originWaitCount[i] > 0 ? ms(s / d.originWaitCount[i]) : null,
    ),
    originQueue: [...d.originQueue],
  };
}

/** The busiest full window's origin QPS (a short last window counts only when it is the only one). */
function peakQps(d: SeriesData): number {
  const n = d.served.length;
  const full = n > 1 && d.lastWindowNs < d.windowNs ? n - 1 : n;
  let peak = 0;
  for (let i = 0; i < full; i++) {
    const secs = (i === n - 1 ? d.lastWindowNs : d.windowNs) / NS_PER_SEC;
    if (secs > 0) peak = Math.max(peak, d.originQueries[i] / secs);
  }
  return peak;
}

function perLinkClass(x: ArrayLike<number>): PerLinkClass {
  return { sameHost: x[SAME_HOST], sameZone: x[SAME_ZONE], crossZone: x[CROSS_ZONE] };
}

function nodeSummary(n: NodeSnapshot): NodeResult {
  return {
    name: n.name,
    tier: n.tier,
    zone: n.zone,
    commands: n.gets + n.fills + n.deletes + n.updates,
    gets: n.gets,
    hits: n.hits,
    hitRatio: ratio(n.hits, n.gets),
    fills: n.fills,
    deletes: n.deletes,
    updates: n.updates,
    refused: n.refused,
    dropped: n.dropped,
    ignored: n.ignored,
    staleHits: n.staleHits,
    leaseWaits: n.leaseWaits,
    utilisation: num(n.queue.utilisation),
    meanQueueLength: num(n.queue.meanQueueLength),
    peakQueueLength: n.peakQueue,
    meanWaitMs: ms(n.queue.meanWait),
    usedBytes: n.usedBytes,
    objects: n.objects,
  };
}

export function summarize(s: RunSnapshot): ResultMetrics {
  const m = s.metrics;
  const reads = m.hits + m.misses + m.failedReads;
  const rejected = m.rejectedRateLimit + m.rejectedNoUpstream;
  const failed = m.failedOriginFull + m.failedOriginTimeout + m.failedUnreachable + m.failedPrimaryDown;
  const tiers: Record<string, TierResult> = Object.fromEntries(
    s.tiers.map((t, i) => {
      const nodes = s.nodes.filter((n) => n.tier === t.name);
      const lookups = nodes.reduce((a, n) => a + n.gets, 0);
      const hits = nodes.reduce((a, n) => a + n.hits, 0);
      return [
        t.name,
        {
          hitRatio: ratio(hits, lookups),
          staleReadRatio: ratio(m.staleByTier[i], m.hitsByTier[i]),
          staleAgeMs: staleAgeSummary(m.staleAgeByTier[i]),
          lookups,
          hits,
          fills: nodes.reduce((a, n) => a + n.fills, 0),
          deletes: nodes.reduce((a, n) => a + n.deletes, 0),
          refused: nodes.reduce((a, n) => a + n.refused, 0),
          nodes: nodes.length,
          sharding: t.sharding,
        },
      ];
    }),
  );
  const shardSkew: Record<string, SkewResult> = Object.fromEntries(
    s.tiers.map((t) => {
      const load = s.nodes
        .filter((n) => n.tier === t.name)
        .map((n) => n.gets + n.fills + n.deletes + n.updates);
      return [t.name, { scheme: t.sharding, ...skew(load) }];
    }),
  );
  const o = s.origin;
  const series = m.series.data;
  const peak = peakQps(series);
  const meanQps = s.simulatedNs > 0 ? ((o.reads + o.writes) * NS_PER_SEC) / s.simulatedNs : null;
  return {
    requests: s.requests,
    outcomes: { hits: m.hits, misses: m.misses, writes: m.writes, rejected, failed, inFlight: s.inFlight },
    hitRatio: ratio(m.hits, reads),
    staleReadRatio: ratio(m.staleReads, m.hits + m.misses),
    staleAgeMs: staleAgeSummary(m.staleAge),
    lostWrites: s.writes.lostWrites,
    writes: {
      policy: s.writes.policy,
      staleReads: m.staleReads,
      staleAgesBounded: s.staleAgesBounded,
      writeBehind: s.writes.writeBehind,
    },
    latencyMs: latencySummary(m.latency),
    paths: {
      hit: Object.fromEntries(s.tiers.map((t, i) => [t.name, latencySummary(m.hitLatency[i])])),
      miss: latencySummary(m.missLatency),
      write: latencySummary(m.writeLatency),
      rejected: latencySummary(m.rejectedLatency),
      failed: latencySummary(m.failedLatency),
    },
    tiers,
    origin: {
      requests: o.reads + o.writes,
      reads: o.reads,
      writes: o.writes,
      peakQps: peak,
      meanQps,
      utilisation: num(o.queue.utilisation),
      meanQueueLength: num(o.queue.meanQueueLength),
      meanWaitMs: ms(m.originWait.mean),
      p99WaitMs: m.originWait.count === 0 ? null : ms(m.originWait.quantile(0.99)),
      failedQueueFull: o.full,
      timedOut: o.timedOut,
      coalesced: s.coalesced,
    },
    rejected: { rateLimit: m.rejectedRateLimit, noUpstream: m.rejectedNoUpstream },
    loadBalancer: { method: s.loadBalancer.method, perGateway: Array.from(s.loadBalancer.perGateway) },
    nodes: s.nodes.map(nodeSummary),
    shardSkew,
    series: seriesSummary(series),
    network: { messages: perLinkClass(s.network.messages), bytes: perLinkClass(s.network.bytes) },
    // Only with TTLs, so a run without them gives the document it gave before TTLs existed.
    ...(s.expiry === null
      ? {}
      : {
          expiry: {
            ...s.expiry,
            originPeakOverMean: meanQps === null || meanQps === 0 ? null : peak / meanQps,
          },
        }),
    simulation: {
      simulatedSeconds: s.simulatedNs / NS_PER_SEC,
      events: s.events,
      peakInFlight: s.peakInFlight,
      keys: s.keys,
    },
  };
}
