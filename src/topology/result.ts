/**
 * The result document of a topology run: the interface contract that `cachetopo run --json`, scripts and
 * later issues (sweeps, reports, the regression gate) read. Plain JSON; latencies in milliseconds, rates
 * per second of simulated time, ratios from 0 to 1; null where there was nothing to measure.
 */
import type { FaultMarker } from '../experiment/contract.ts';

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
  /** Invalidation bus on: readable records the cache consumers had not processed, the window's peak. */
  consumerLag?: number[];
  /** Elasticsearch sink on: writes published and not yet indexed, the window's peak. */
  indexingBacklog?: number[];
  /** A failure schedule on: its faults and the health checks' marks, for charts (faults.ts). */
  faults?: FaultMarker[];
}

/** One fault of the failure schedule (topology/faults.ts). */
export interface FaultResult {
  kind: string;
  label: string;
  /** Start and end (s); until null: to the end of the run. */
  at: number;
  until: number | null;
  /** What it hit, by name: nodes, a tier, zones, a link class, "origin". */
  hit: string[];
  /**
   * Requests that met it while it lasted: GETs and SETs a dead or cut-off node left to the gateway's
   * timeout, origin queries lost across a partition or slowed by a slowdown; for a latency spike, the
   * messages it delayed.
   */
  affected: number;
}

/** Gateways marking a node down or up at one instant. */
export interface HealthCheckResult {
  t: number;
  node: string;
  down: boolean;
  gateways: number;
}

/** How a tier's keys moved while gateways had nodes of it marked down (faults/rerouting.ts). */
export interface ReroutingResult {
  /** Each set of nodes marked down: when first routed around (s), and the share of the keys it moved. */
  changes: { t: number; down: string[]; movedKeyShare: number }[];
  /** Lookups and commands sent to another node than the key's own because that one was marked down. */
  rerouted: number;
}

export interface FaultsResult {
  schedule: FaultResult[];
  /** GETs and SETs that waited for the gateway's timeout: their node was down or cut off. */
  cacheTimeouts: number;
  /** Fills, deletes and updates lost on a dead node or across a partition. */
  lostCommands: number;
  /** Origin queries lost across a partition (their requests failed). */
  originUnreachable: number;
  healthChecks: HealthCheckResult[];
  /** Per tier that gateways reroute around marked-down nodes (not Redis Cluster, not replicated tiers). */
  rerouting: Record<string, ReroutingResult>;
  /** Keys the moved shares are counted over: every key the run used. */
  keys: number;
}

/** The Kafka invalidation bus (topology/kafka/); present only with invalidation "via": "kafka". */
/**
 * How writes' invalidations reached the caches. With `via` "kafka", over the bus (kafka/summary.ts); with
 * "direct" or "ideal", the write path's own DELETEs and UPDATEs (invalidation-summary.ts), where the
 * Kafka-only figures (partitions, batches, duplicates, pending, peakLag, stops) are 0.
 */
export interface InvalidationsResult {
  via: 'direct' | 'kafka' | 'ideal';
  /** What the caches do with an invalidation: "delete" or "update". */
  apply: string;
  partitions: number;
  /** Records published (one per write that reaches the caches) and producer batches sent. */
  published: number;
  batches: number;
  /** Records applied to the caches (each once), applied again after a restart, and skipped by retention. */
  applied: number;
  duplicates: number;
  lost: number;
  /** Not yet applied when the run ended: published = applied + lost + pending. */
  pending: number;
  /** Publication → processed by its consumer, of each applied record. */
  lagMs: StaleAgeSummary;
  /** Peak of readable records not yet processed, over the group and per partition. */
  peakLag: number;
  peakLagByPartition: number[];
  /** Consumer stalls and restarts. */
  stops: number;
}

/** The Elasticsearch sink of the invalidation bus; present only when it is configured. */
export interface AnalyticsResult {
  /** Write documents indexed (each once), and indexed again from replayed records. */
  indexed: number;
  reindexed: number;
  bulks: number;
  /** Publication of a write → its document searchable (after the next refresh). */
  freshnessMs: StaleAgeSummary;
  /** Peak of writes published and not yet indexed. */
  backlogMax: number;
}

/** TTLs and expiry storms (topology/expiry.ts); absent from a run without TTLs. */
export interface ExpiryResult {
  /** Copies found expired by a read (each once), over every node. */
  expirations: number;
  /** Reads that refreshed a live copy early (XFetch), each a miss at its node. */
  earlyRefreshes: number;
  /** Reads served an expired copy within the stale-while-revalidate window. */
  swrServed: number;
  /** Background origin reads that stale-while-revalidate sent, and those the origin failed. */
  backgroundRefreshes: number;
  failedRefreshes: number;
  /** Keys stored in the tiers before the first request (`preload`). */
  preloaded: number;
  /** origin.peakQps over origin.meanQps: how much the busiest window stands above the average. */
  originPeakOverMean: number | null;
}

/** A replicated tier (topology/replication.ts). */
export interface ReplicationResult {
  mode: string;
  /** Replicas per shard, and which copy serves a GET. */
  replicas: number;
  readFrom: string;
  /** Writes (FILLs included) the primaries put on their replication streams. */
  replicated: number;
  /** Primary applying a write → a replica applying it, per replica, as scheduled. */
  lagMs: StaleAgeSummary;
  /** Replicas promoted after their primary was marked down. */
  promotions: number;
  /** DELETEs, UPDATEs and SETs acknowledged by a primary that crashed, missing on the replica promoted. */
  lostWrites: number;
  /** FILLs lost the same way (a later miss, not a lost write). */
  lostFills: number;
  /** Hits on a copy that had not applied the key's last acknowledged write. */
  staleReads: number;
  /** Writes (FILLs included) sent to a shard while its primary was down, before a promotion: lost. */
  writesToDownPrimary: number;
  /**
   * SETs a gateway failed at once, and FILLs, DELETEs and UPDATEs it did not send, because its health
   * checks had the shard's primary marked down. Present once a gateway has marked a copy of the tier down.
   */
  writesRejected?: number;
  writesWithheld?: number;
  /** What partitions did to the replication streams; present once a partition has been in force. */
  partition?: {
    /** Writes held for a replica cut off from its primary, one per write and replica. */
    heldWrites: number;
    /** SETs whose acknowledgement needed a held replica, and those of them whose client timed out. */
    writesBlocked: number;
    writesTimedOut: number;
    /** Replicas caught up from the primary's backlog at the heal, and those that took a full copy. */
    partialResyncs: number;
    fullResyncs: number;
  };
}

/** One figure per link class of the network (schema.ts `network`). */
export interface PerLinkClass {
  sameHost: number;
  sameZone: number;
  crossZone: number;
}

/**
 * Traffic between placed instances (network.ts says what is left out): messages sent, and the value bytes
 * they carried — headers and keys not counted.
 */
export interface NetworkResult {
  messages: PerLinkClass;
  bytes: PerLinkClass;
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
  /**
   * Writes answered to clients that the origin had not applied when the run ended (write-behind), plus
   * writes acknowledged by a crashed primary that its promoted replica lacked (replication).
   */
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
  network: NetworkResult;
  /** Per replicated tier; present only when a tier replicates. */
  replication?: Record<string, ReplicationResult>;
  invalidations?: InvalidationsResult;
  analytics?: AnalyticsResult;
  expiry?: ExpiryResult;
  /** A failure schedule on: what each fault hit, health checks, rerouting (topology/faults.ts). */
  faults?: FaultsResult;
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
  /** Capacities the servers did not honour (tier-policy.ts capacityWarnings); absent when there are none. */
  warnings?: string[];
}
