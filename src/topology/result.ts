/**
 * The result document of a topology run: the interface contract that `cachetopo run --json`, scripts and
 * later issues (sweeps, reports, the regression gate) read. Plain JSON; latencies in milliseconds, rates
 * per second of simulated time, ratios from 0 to 1; null where there was nothing to measure.
 */

export interface LatencySummary {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  mean: number | null;
}

/** Staleness ages of stale reads (ms): how long the value returned had been out of date. */
export interface StaleAgeSummary {
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export interface TierResult {
  /** Hits over lookups in this tier. */
  hitRatio: number | null;
  /** Stale hits over hits in this tier: the share of the reads it answered that were out of date. */
  staleReadRatio: number | null;
  staleAgeMs: StaleAgeSummary;
  lookups: number;
  hits: number;
  fills: number;
  deletes: number;
  /** Lookups refused at the connection limit (treated as misses). */
  refused: number;
  nodes: number;
  /** Sharding scheme, or "local" for a near cache. */
  sharding: string;
}

export interface OriginResult {
  requests: number;
  reads: number;
  writes: number;
  /** Queries arriving per second in the busiest full window. */
  peakQps: number;
  meanQps: number | null;
  utilisation: number | null;
  meanQueueLength: number | null;
  /** Wait for a pool connection. */
  meanWaitMs: number | null;
  p99WaitMs: number | null;
  failedQueueFull: number;
  timedOut: number;
  /** Reads that waited for another read of the same key instead of querying. */
  coalesced: number;
}

export interface NodeResult {
  name: string;
  tier: string;
  zone: string;
  /** GETs, FILLs and DELETEs executed. */
  commands: number;
  gets: number;
  hits: number;
  hitRatio: number | null;
  fills: number;
  deletes: number;
  /** UPDATEs and write-through/write-behind SETs executed. */
  updates: number;
  refused: number;
  /** FILLs, DELETEs, UPDATEs and SETs refused at the connection limit. */
  dropped: number;
  /** FILLs and UPDATEs not stored: older than the copy held (ordered policies), or without the lease. */
  ignored: number;
  /** Hits on a copy older than the origin's version, when looked up. */
  staleHits: number;
  /** GETs that missed while another request held the key's lease, told to wait and retry. */
  leaseWaits: number;
  utilisation: number | null;
  meanQueueLength: number | null;
  peakQueueLength: number;
  meanWaitMs: number | null;
  usedBytes: number;
  objects: number;
}

export interface SkewResult {
  scheme: string;
  maxOverMean: number;
  cv: number;
  gini: number;
}

/** One entry per window; `t` is each window's start in seconds of simulated time. */
export interface SeriesResult {
  windowMs: number;
  t: number[];
  /** Requests that ended in the window, whatever their outcome. */
  requests: number[];
  hitRatio: (number | null)[];
  /** Stale reads over reads served (hits and misses) in the window. */
  staleReadRatio: (number | null)[];
  p99Ms: (number | null)[];
  rejected: number[];
  failed: number[];
  /** Null for a last window of no length. */
  originQps: (number | null)[];
  originWaitMs: (number | null)[];
  /** Queries waiting for a connection at the window's end. */
  originQueue: number[];
}

export interface ResultMetrics {
  /** Requests issued by the clients. */
  requests: number;
  outcomes: {
    hits: number;
    misses: number;
    writes: number;
    rejected: number;
    failed: number;
    inFlight: number;
  };
  /** Hits over reads that reached the caches. */
  hitRatio: number | null;
  /**
   * Stale reads over reads served (hits and misses): a stale read is a hit on a copy older than the
   * origin's version at the lookup (topology/versions.ts); origin reads are never stale.
   */
  staleReadRatio: number | null;
  staleAgeMs: StaleAgeSummary;
  /** Writes answered to clients that the origin had not applied when the run ended (write-behind). */
  lostWrites: number;
  writes: {
    policy: string;
    staleReads: number;
    /** Stale reads more versions behind than versions.ts keeps times for: their ages are lower bounds. */
    staleAgesBounded: number;
    /** Flushes applied, flushes the origin failed and queued again, writes queued or in flight at the end. */
    writeBehind: { flushed: number; retried: number; unflushed: number } | null;
  };
  /** Every served request: hits, misses and writes. */
  latencyMs: LatencySummary;
  paths: {
    hit: Record<string, LatencySummary>;
    miss: LatencySummary;
    write: LatencySummary;
    rejected: LatencySummary;
    failed: LatencySummary;
  };
  tiers: Record<string, TierResult>;
  origin: OriginResult;
  rejected: { rateLimit: number; noUpstream: number };
  loadBalancer: { method: string; perGateway: number[] };
  nodes: NodeResult[];
  shardSkew: Record<string, SkewResult>;
  series: SeriesResult;
  simulation: {
    simulatedSeconds: number;
    events: number;
    peakInFlight: number;
    /** Distinct keys the workload used. */
    keys: number;
  };
}

export interface ResultDocument {
  /** The config as run: `extends` resolved, annotations removed, command-line overrides applied. */
  config: unknown;
  seed: number;
  metrics: ResultMetrics;
}
