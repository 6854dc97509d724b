/**
 * One simulation run: build the model from a validated config, run the engine until the workload is
 * exhausted and every request has ended (or until `until` of simulated time), then summarise. A pure
 * function of (config, seed) — no wall-clock time in the result — so sweeps can call it from workers.
 */
import type { FaultMarker } from '../experiment/contract.ts';
import type { Engine } from '../sim/engine.ts';
import { NS_PER_SEC } from '../sim/time.ts';
import { buildModel, type ConfigOrigin, type Model } from './build.ts';
import type { SimEvents } from './events.ts';
import type { NodeExpiry } from './expiry.ts';
import { addDirectInvalidations } from './invalidation-summary.ts';
import { addBusMetrics } from './kafka/summary.ts';
import { addReplicationMetrics } from './replication-summary.ts';
import type { ResultDocument } from './result.ts';
import type { TopologyConfig } from './schema.ts';
import { type NodeSnapshot, type RunSnapshot, summarize } from './summarize.ts';
import { capacityWarnings } from './tier-policy.ts';

export interface RunTopologyOptions {
  /** Where the config came from (messages, relative trace paths); default: the working directory. */
  readonly origin?: ConfigOrigin;
  /** The config as written (resolved, annotations removed), for the result; default: `config`. */
  readonly raw?: unknown;
  /** Simulated stop time (ns), overriding the config's `until`. */
  readonly until?: number;
  /**
   * Requests issued so far, the total expected (0 when unknown) and the events handled so far, now and
   * then during the run.
   */
  readonly onProgress?: (done: number, total: number, events: number) => void;
  /** Told every request's end, invalidation and fault (an event exporter); draws no randomness. */
  readonly events?: SimEvents;
}

function snapshot(model: Model, engine: Engine): RunSnapshot {
  const nodes: NodeSnapshot[] = [];
  for (const tier of model.tiers) {
    for (const n of tier.nodes) {
      nodes.push({
        name: n.name,
        tier: tier.name,
        zone: model.zones[n.zone],
        gets: n.gets,
        hits: n.hits,
        fills: n.fills,
        deletes: n.deletes,
        updates: n.updates,
        refused: n.refused,
        dropped: n.dropped,
        ignored: n.ignored,
        staleHits: n.staleHits,
        leaseWaits: n.leaseWaits,
        peakQueue: n.peakQueue,
        queue: n.stats(),
        usedBytes: n.policy.used,
        objects: n.policy.count,
      });
    }
  }
  const o = model.origin;
  return {
    tiers: model.tiers.map((t) => ({
      name: t.name,
      sharding: t.sharder === null ? 'local' : t.sharder.scheme,
    })),
    requests: model.clients.issued,
    // Write-behind flushes and stale-while-revalidate refreshes hold slots too, but are not clients' requests.
    inFlight: model.pool.inFlight - model.writes.internalInFlight - (model.refresher?.inFlight ?? 0),
    metrics: model.metrics,
    nodes,
    origin: { reads: o.reads, writes: o.writes, full: o.full, timedOut: o.timedOut, queue: o.server.stats() },
    coalesced: model.singleFlight?.coalesced ?? 0,
    writes: model.writes.stats(),
    staleAgesBounded: model.versions.boundedAges,
    loadBalancer: {
      method: model.config.loadBalancer.method,
      perGateway: Array.from(model.loadBalancer.sent),
    },
    simulatedNs: engine.now,
    events: engine.eventsHandled,
    peakInFlight: model.pool.peakInFlight,
    keys: model.source.keys.size,
    network: { messages: model.network.messages, bytes: model.network.bytes },
    expiry: expirySnapshot(model),
  };
}

function expirySnapshot(model: Model): RunSnapshot['expiry'] {
  if (model.refresher === null) return null;
  let expirations = 0;
  let earlyRefreshes = 0;
  let swrServed = 0;
  for (const tier of model.tiers) {
    for (const n of tier.nodes) {
      const e = n.expiry as NodeExpiry;
      expirations += e.expirations;
      earlyRefreshes += e.earlyRefreshes;
      swrServed += e.swrServed;
    }
  }
  return {
    expirations,
    earlyRefreshes,
    swrServed,
    backgroundRefreshes: model.refresher.started,
    failedRefreshes: model.refresher.failed,
    preloaded: model.preloaded,
  };
}

/** A fault marker (seconds) as its start and, when it has one, end events (ns). */
function exportFault(events: SimEvents, f: FaultMarker): void {
  events.fault(f.t * NS_PER_SEC, f.kind, f.label, 'start');
  if (f.until !== undefined) events.fault(f.until * NS_PER_SEC, f.kind, f.label, 'end');
}

export function runTopology(
  config: TopologyConfig,
  seed: number,
  opts: RunTopologyOptions = {},
): ResultDocument {
  const origin = opts.origin ?? { where: 'config', baseDir: process.cwd() };
  const model = buildModel(config, origin, seed);
  const { engine, clients } = model;
  const report = opts.onProgress;
  if (opts.events !== undefined) {
    model.path.events = opts.events;
    if (model.bus !== null) model.bus.invalidator.events = opts.events;
  }
  try {
    clients.start();
    engine.run({
      until: opts.until ?? config.until,
      onProgress:
        report === undefined
          ? undefined
          : () => report(clients.issued, clients.expected ?? 0, engine.eventsHandled),
      progressEvery: 1 << 18,
    });
  } finally {
    model.source.close();
  }
  model.metrics.series.finish(engine.now);
  const metrics = summarize(snapshot(model, engine));
  const via = model.config.invalidation.via;
  if (model.bus !== null) addBusMetrics(metrics, model.bus);
  else if (via !== 'kafka')
    addDirectInvalidations(metrics, via, model.config.writes, model.path, model.shared);
  addReplicationMetrics(metrics, model.tiers);
  model.faults?.addTo(metrics, model.source.keys.size);
  if (opts.events !== undefined) for (const f of metrics.series.faults ?? []) exportFault(opts.events, f);
  const warnings = capacityWarnings(model.tiers, config.tiers, origin.where);
  return { config: opts.raw ?? config, seed, metrics, ...(warnings.length > 0 ? { warnings } : {}) };
}
