/**
 * Config → model: checks the topology (validate.ts), opens the workload, places every instance in a zone
 * and on a host, and builds and wires the components. Nothing runs here; run.ts drives the engine.
 *
 * Placement: the instances of a component are spread over its zones in turn (instance i in zone
 * i mod |zones|; zones default to all of the config's), each on a host of its own, except the nodes of a
 * near-cache tier (placement "gateway"), which share their gateway instance's host. The origin sits in
 * `origin.zone` (default: the first zone).
 *
 * Every component draws from its own named random stream (sim/rng.ts), named after the component, so
 * adding a tier does not change the draws of the network, the gateway or another tier.
 */

import { InputError } from '../errors.ts';
import { Histogram } from '../metrics/histogram.ts';
import { makeSampler } from '../sim/distributions.ts';
import { Engine } from '../sim/engine.ts';
import { type RandomStreams, streams } from '../sim/rng.ts';
import type { RequestSource } from '../trace/api.ts';
import type { Clients } from './api.ts';
import { CacheNode, type GatewayPlaces, type NodeShared } from './cache-node.ts';
import { ClosedLoopClients, OpenLoopClients } from './clients.ts';
import { SingleFlight } from './coalescing.ts';
import { Commands } from './commands.ts';
import { ExpiryShared, NodeExpiry } from './expiry.ts';
import type { FaultSchedule } from './faults/schedule.ts';
import { installFaults } from './faults.ts';
import { Gateway } from './gateway.ts';
import { installIdealInvalidation } from './ideal-invalidation.ts';
import { createBus, type InvalidationBus } from './kafka/bus.ts';
import { PublishingContext } from './kafka/publishing-context.ts';
import { LoadBalancer } from './load-balancer.ts';
import { Metrics } from './metrics.ts';
import { Network } from './network.ts';
import { Origin } from './origin.ts';
import { preload } from './preload.ts';
import { Refresher } from './refresh.ts';
import { copyName, placeCopies, replicasOf, replicatedTier } from './replicated-tier.ts';
import { RequestPath } from './request-path.ts';
import { RequestPool } from './request-pool.ts';
import { Routes } from './routes.ts';
import { saturationError } from './saturation.ts';
import type { TierConfig, TopologyConfig } from './schema.ts';
import { createSharder } from './sharding/registry.ts';
import { Tier } from './tier.ts';
import { checkCapacity, createNodePolicy } from './tier-policy.ts';
import { checkTopology } from './validate.ts';
import { Versions } from './versions.ts';
import { WorkloadCursor } from './workload-cursor.ts';
import { type ConfigOrigin, openWorkloadSource } from './workload-source.ts';
import { createWritePolicy, storeRules, type WritePolicy } from './write-policy.ts';

export type { ConfigOrigin } from './workload-source.ts';

export interface Model {
  readonly config: TopologyConfig;
  readonly engine: Engine;
  readonly pool: RequestPool;
  readonly source: RequestSource;
  readonly clients: Clients;
  readonly loadBalancer: LoadBalancer;
  readonly tiers: readonly Tier[];
  readonly origin: Origin;
  readonly metrics: Metrics;
  readonly singleFlight: SingleFlight | null;
  readonly versions: Versions;
  readonly writes: WritePolicy;
  readonly zones: readonly string[];
  /** Every message between placed instances; its traffic counts per link class. */
  readonly network: Network;
  /** The failure schedule (faults.ts); null without faults. */
  readonly faults: FaultSchedule | null;
  /** TTLs and stale-while-revalidate refreshes; null when copies never expire. */
  readonly expiry: ExpiryShared | null;
  readonly refresher: Refresher | null;
  /** Keys stored before the first request (preload.ts); 0 without `preload`. */
  readonly preloaded: number;
  /** The Kafka invalidation bus (kafka/bus.ts); null when invalidation is direct. */
  readonly bus: InvalidationBus | null;
  /** Where every request ends (and where an event exporter listens). */
  readonly path: RequestPath;
  /** What the cache nodes share: versions, store rules, the direct invalidations' counts. */
  readonly shared: NodeShared;
}

const DEFAULT_THREADS = { redis: 1, memcached: 4, generic: 1 } as const;
const DEFAULT_SHARDING = { redis: 'redis-cluster', memcached: 'ketama', generic: 'modulo' } as const;
/** Redis' maxclients and memcached's -c defaults. */
const DEFAULT_MAX_CONNECTIONS = { redis: 10_000, memcached: 1024, generic: 10_000 } as const;
/** Key ids the per-key arrays start with; they grow as the workload shows more keys. */
const INITIAL_KEYS = 1 << 16;

/** Hands out host numbers: every instance has a host of its own unless it shares one on purpose. */
class Hosts {
  private next = 0;
  take(): number {
    return this.next++;
  }
  /** Zone and host of each of `count` instances spread over `names` (default: all zones) in turn. */
  spread(all: readonly string[], names: readonly string[] | undefined, count: number): GatewayPlaces {
    const list = (names ?? all).map((z) => all.indexOf(z));
    const zone = Int32Array.from({ length: count }, (_, i) => list[i % list.length]);
    return { zone, host: Int32Array.from(zone, () => this.take()) };
  }
}

interface TierParts {
  readonly engine: Engine;
  readonly pool: RequestPool;
  readonly network: Network;
  readonly gateways: GatewayPlaces;
  readonly hosts: Hosts;
  readonly zones: readonly string[];
  readonly rng: RandomStreams;
  readonly shared: NodeShared;
  readonly expiry: ExpiryShared | null;
  readonly refresher: Refresher | null;
}

function buildTier(name: string, t: TierConfig, p: TierParts): Tier {
  const near = t.placement === 'gateway';
  const replicas = near ? 0 : replicasOf(t);
  const shards = near ? p.gateways : p.hosts.spread(p.zones, t.zones, t.nodes);
  const zoneList = (t.zones ?? p.zones).map((z) => p.zones.indexOf(z));
  const spread = replicas === 0 ? shards : placeCopies(shards, replicas, zoneList, () => p.hosts.take());
  const nodes = Array.from({ length: t.nodes * (1 + replicas) }, (_, i) => {
    const nodeName = copyName(name, i, t.nodes, replicas);
    const policy = createNodePolicy(t, p.rng.get(`tier/${nodeName}/policy`), INITIAL_KEYS);
    // Each life after a crash (faults/) starts with a policy, and a random stream, of its own.
    let life = 0;
    const opts = {
      name: nodeName,
      zone: spread.zone[i],
      host: spread.host[i],
      threads: t.threads ?? DEFAULT_THREADS[t.server],
      maxConnections: t.maxConnections ?? DEFAULT_MAX_CONNECTIONS[t.server],
      service: makeSampler(t.service, p.rng.get(`tier/${nodeName}/service`)),
      perByte: t.perByte,
      newPolicy: () => createNodePolicy(t, p.rng.get(`tier/${nodeName}/policy/life-${++life}`), INITIAL_KEYS),
    };
    const node = new CacheNode(p.engine, p.pool, p.network, p.gateways, policy, p.shared, opts, INITIAL_KEYS);
    if (p.expiry !== null) {
      const ttl = p.rng.get(`tier/${nodeName}/ttl`);
      const xfetch = p.rng.get(`tier/${nodeName}/xfetch`);
      node.expiry = new NodeExpiry(p.expiry, ttl, xfetch, INITIAL_KEYS);
      node.refresher = p.refresher;
    }
    return node;
  });
  const sharding = { kind: t.sharding?.kind ?? DEFAULT_SHARDING[t.server], vnodes: t.sharding?.vnodes };
  const sharder = near
    ? null
    : createSharder(
        sharding,
        nodes.slice(0, t.nodes).map((n) => n.name),
      );
  if (replicas === 0 || sharder === null) return new Tier(name, nodes, sharder);
  const { engine, gateways, rng } = p;
  return replicatedTier(name, t, nodes, sharder, {
    engine,
    commands: p.shared.commands,
    pool: p.pool,
    network: p.network,
    gateways,
    rng,
    keys: INITIAL_KEYS,
  });
}

export function buildModel(c: TopologyConfig, origin: ConfigOrigin, seed: number): Model {
  checkTopology(c, origin.where);
  const source = openWorkloadSource(c.workload, origin, seed);
  try {
    return wire(c, origin, seed, source);
  } catch (e) {
    source.close();
    throw e;
  }
}

function wire(c: TopologyConfig, origin: ConfigOrigin, seed: number, source: RequestSource): Model {
  const clientsSpec = c.clients;
  if (clientsSpec.mode === 'open' && clientsSpec.rate === undefined && !source.info.hasTime) {
    throw new InputError(
      `${origin.where}: /clients/rate: the workload has no timestamps; give a Poisson rate or use mode "closed"`,
    );
  }
  const rng = streams(seed);
  const zones = c.zones;
  const limit = c.limits.maxInFlight;
  // Events pending are at most a few per request in flight (its next step, fills, deletes, a timer).
  const engine = new Engine({ maxPending: 4 * limit });
  const hosts = new Hosts();
  const balancers = hosts.spread(zones, c.loadBalancer.zones, c.loadBalancer.instances);
  const gateways = hosts.spread(zones, c.gateway.zones, c.gateway.instances);
  const network = new Network(c.network, rng, zones.length);
  const tierNames = Object.keys(c.tiers);
  const routes = new Routes(c.gateway.routes, (t) => tierNames.indexOf(t));

  // The pool's limit handler names a saturated station; the stations need the pool, so it looks late.
  let diagnose: (n: number) => Error = (n) => new Error(`${n} requests in flight before the model was built`);
  const pool = new RequestPool(limit, (n) => diagnose(n));
  const versions = new Versions(INITIAL_KEYS);
  const commands = new Commands();
  const rules = storeRules(c.writes, c.invalidation.via === 'ideal');
  const shared: NodeShared = {
    commands,
    versions,
    rules,
    lastToken: 0,
    clientTimeout: c.gateway.upstreamTimeout,
    invalidationsApplied: 0,
    invalidationLag: new Histogram(),
  };
  const expiry = c.ttl === undefined ? null : new ExpiryShared(c.ttl, INITIAL_KEYS);
  const refresher = expiry === null ? null : new Refresher();
  const parts: TierParts = { engine, pool, network, gateways, hosts, zones, rng, shared, expiry, refresher };
  const tiers = tierNames.map((name) => buildTier(name, c.tiers[name], parts));
  if (c.invalidation.via === 'ideal') installIdealInvalidation(versions, tiers);
  const nodes = tiers.flatMap((t) => t.nodes);
  const originPlace = {
    zone: c.origin.zone === undefined ? 0 : zones.indexOf(c.origin.zone),
    host: hosts.take(),
  };
  const originComp = new Origin(engine, pool, network, gateways, c.origin, originPlace, rng, versions);
  diagnose = (n) => saturationError(engine, nodes, originComp, limit, n);
  const metrics = new Metrics(tiers.length, c.metrics.window, () => originComp.server.queueLength);
  originComp.observer = metrics;
  const singleFlight = c.coalescing ? new SingleFlight(pool, INITIAL_KEYS) : null;

  const loadBalancer = new LoadBalancer(
    pool,
    network,
    {
      zone: balancers.zone,
      host: balancers.host,
      upstreamZone: gateways.zone,
      upstreamHost: gateways.host,
      upstreamNames: Array.from({ length: c.gateway.instances }, (_, i) => `gateway-${i}`),
    },
    c.loadBalancer,
    rng,
  );
  const path = new RequestPath({
    engine,
    pool,
    network,
    tiers,
    routes,
    origin: originComp,
    gateways,
    balancers,
    loadBalancer,
    metrics,
    singleFlight,
    commands,
    leaseRetry: rules.leaseRetry,
    expiry,
    refresher,
  });
  if (refresher !== null) refresher.ctx = path;
  const clientIds = clientsSpec.mode === 'open' ? clientsSpec.count : clientsSpec.clients;
  loadBalancer.forward = new Gateway(engine, pool, routes, path, c.gateway, clientIds, rng);
  loadBalancer.finisher = path;
  for (const n of nodes) n.replies = path;
  originComp.replies = path;
  originComp.clientTimeout = c.gateway.upstreamTimeout;
  const bus = createBus(c.invalidation, c.writes, {
    engine,
    pool,
    tiers,
    chains: routes.chains,
    commands,
    network,
    rng,
    gateways: c.gateway.instances,
    consumers: hosts.spread(zones, undefined, c.invalidation.kafka.partitions),
    window: c.metrics.window,
  });
  const writeCtx = bus === null ? path : new PublishingContext(path, bus);
  const faults =
    c.faults.length === 0
      ? null
      : installFaults(
          c.faults,
          {
            engine,
            tiers,
            network,
            origin: originComp,
            zones,
            bus,
            gatewayZones: gateways.zone,
            healthCheck: c.gateway.healthCheck,
            vnodes: (t) => c.tiers[t.name].sharding?.vnodes,
          },
          origin.where,
        );
  const writes = createWritePolicy(c.writes, rules, writeCtx, { engine, pool, versions });
  path.writes = writes;

  let reserved = INITIAL_KEYS;
  const onKeys = (n: number): void => {
    if (n <= reserved) return;
    reserved = Math.max(n, 2 * reserved);
    for (const node of nodes) node.reserve(reserved);
    for (const t of tiers) t.replication?.reserve(reserved);
    singleFlight?.reserve(reserved);
    versions.reserve(reserved);
    expiry?.reserve(reserved);
  };
  const cursor = new WorkloadCursor(
    source,
    c.requests ?? Number.POSITIVE_INFINITY,
    onKeys,
    expiry?.fromTrace ? expiry : null,
  );
  const smallest = cursor.smallestAhead();
  if (smallest > 0) for (const name of tierNames) checkCapacity(name, c.tiers[name], smallest, origin.where);
  const clients =
    clientsSpec.mode === 'open'
      ? new OpenLoopClients(engine, cursor, pool, loadBalancer, clientsSpec, rng)
      : new ClosedLoopClients(engine, cursor, pool, loadBalancer, clientsSpec, rng);
  path.clients = clients;
  const preloaded =
    c.preload === undefined
      ? 0
      : preload(openWorkloadSource(c.workload, origin, seed), c.preload.requests, tiers, routes, onKeys);
  // The run is over when the workload is exhausted and the last request has ended (timers may remain).
  pool.onIdle = () => {
    if (!cursor.ready()) engine.stop();
  };
  return {
    config: c,
    engine,
    pool,
    source,
    clients,
    loadBalancer,
    tiers,
    origin: originComp,
    metrics,
    singleFlight,
    versions,
    writes,
    zones,
    network,
    expiry,
    refresher,
    preloaded,
    bus,
    faults,
    path,
    shared,
  };
}
