/**
 * The topology config: what `cachetopo run <config.json>` reads (through config/load.ts, which resolves
 * `extends` and drops `comment`/`$schema` annotations first). Objects are strict, so a misspelt key is an
 * error, not a silently ignored default. Durations come out in nanoseconds, sizes in bytes, rates per
 * second (config/fields.ts). Checks that need more than one field (a route naming an unknown tier, a
 * chain visiting a tier twice, a zone nobody declared) are build.ts's, so they can name the config path.
 *
 * The model, request by request: a client's request arrives at a load balancer instance (NGINX), which
 * picks a gateway instance (Kong); the gateway applies its rate limit, picks a route by the key, and
 * looks the key up along the route's chain of cache tiers (L1, then L2, …); a hit answers, a miss that
 * reaches the end of the chain reads the origin (PostgreSQL) and fills every tier that missed. Sets and
 * deletes go through the write policy (`writes`, write-policy.ts); the default writes the origin, then
 * deletes the key from the chain's tiers (cache-aside, delete on write).
 */
import { z } from 'zod';
import {
  distributionField,
  durationField,
  fractionField,
  positiveInt,
  rateField,
  sizeField,
} from '../config/fields.ts';
import { NS_PER_MS, NS_PER_SEC } from '../sim/time.ts';
import { faultSchema } from './faults.ts';
import { invalidationSchema } from './kafka/schema.ts';

const name = z.string().min(1);
const count = z.number().int().min(0);

/** Where the requests come from: a trace file, a generator spec (trace/generators) or a preset's name. */
const workload = z.union([
  z.strictObject({
    trace: name.meta({ description: 'trace file, relative to the config' }),
    format: name.optional().meta({ description: 'reader name when the file name does not tell' }),
  }),
  z.strictObject({
    preset: name.meta({ description: 'a built-in generator preset (trace/generators/presets.ts)' }),
  }),
  z
    .looseObject({ generator: name })
    .meta({ description: 'a generator spec, checked by the generator (see `cachetopo trace gen`)' }),
]);

/** When requests arrive. Open loop: at the trace's timestamps or Poisson at `rate`. Closed: N clients. */
const clients = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('open'),
    rate: rateField
      .optional()
      .meta({ description: 'Poisson arrivals at this rate; default: trace timestamps' }),
    timeScale: z
      .number()
      .gt(0)
      .default(1)
      .meta({ description: 'multiplies gaps between trace timestamps: 0.5 replays twice as fast' }),
    count: positiveInt.default(1000).meta({ description: 'distinct client ids (rate limits, ip_hash)' }),
  }),
  z.strictObject({
    mode: z.literal('closed'),
    clients: positiveInt,
    think: distributionField.meta({ description: 'between a response and the same client’s next request' }),
  }),
]);

/** One-way latency per link class, plus a transfer time for the bytes a message carries. */
const network = z.strictObject({
  sameHost: distributionField,
  sameZone: distributionField,
  crossZone: distributionField,
  bandwidthGbps: z.union([z.number().gt(0), z.literal('infinite')]),
});

const zones = z
  .array(name)
  .min(1)
  .optional()
  .meta({ description: 'zones its instances are spread over, in turn' });

const loadBalancer = z.strictObject({
  instances: positiveInt.default(1),
  zones,
  method: z.enum(['round_robin', 'least_conn', 'ip_hash', 'consistent_hash']).default('round_robin'),
  overhead: distributionField,
  maxConnsPerUpstream: positiveInt.optional().meta({ description: 'NGINX max_conns; default unlimited' }),
});

const route = z.strictObject({
  match: z
    .strictObject({
      share: fractionField
        .optional()
        .meta({ description: 'the next slice of the key-hash space, of this size' }),
      sizeAbove: count.optional(),
      sizeBelow: count.optional(),
    })
    .optional(),
  chain: z.array(name).min(1).meta({ description: 'tiers looked up in order: L1 first' }),
});

const gateway = z.strictObject({
  instances: positiveInt.default(1),
  zones,
  overhead: distributionField,
  rateLimit: z
    .strictObject({
      scope: z.enum(['global', 'client']),
      rate: rateField,
      burst: positiveInt,
    })
    .optional(),
  routes: z.array(route).min(1),
  upstreamTimeout: durationField
    .refine((v) => v > 0, 'expected a duration > 0')
    .default(50 * NS_PER_MS)
    .meta({
      description:
        'wait for a cache node or the origin that does not answer (down, or cut off) before a lookup counts as a miss or a query fails (our choice)',
    }),
  healthCheck: z
    .strictObject({
      interval: durationField.refine((v) => v > 0, 'expected a duration > 0'),
      failures: positiveInt.default(3),
    })
    .optional()
    .meta({
      description:
        'probe cache nodes every interval; mark one down after `failures` failed probes in a row and route its keys elsewhere (faults.ts); default: never',
    }),
});

/** Primary and replicas inside a tier's shards (replication.ts); absent or mode "none": one copy. */
const replication = z.strictObject({
  mode: z.enum(['none', 'async', 'sync', 'quorum', 'ideal']).default('none').meta({
    description: 'async: acked by the primary; sync: by every replica; quorum: by W of N; ideal: no lag',
  }),
  replicas: count.default(1).meta({ description: 'replicas per shard, besides its primary' }),
  lag: distributionField
    .optional()
    .meta({ description: 'from the primary applying a write to a replica applying it; not for ideal' }),
  readFrom: z.enum(['primary', 'any', 'nearest']).default('primary').meta({
    description: 'which copy serves a GET: the primary, a random copy, or the nearest to the gateway',
  }),
  quorum: z
    .strictObject({ w: positiveInt, r: positiveInt })
    .optional()
    .meta({ description: 'mode quorum: copies a write waits for (primary included) and a read asks' }),
  promotionDelay: durationField
    .default(16 * NS_PER_SEC)
    .meta({ description: 'from a copy crashing to it being marked down (and a replica promoted)' }),
  backlog: sizeField.optional().meta({
    description:
      'repl-backlog-size: held writes a replica cut off by a partition catches up on partially; beyond, a full resync; default 1MiB',
  }),
});

const tier = z.strictObject({
  server: z.enum(['redis', 'memcached', 'generic']),
  nodes: positiveInt,
  zones,
  placement: z
    .enum(['spread', 'gateway'])
    .default('spread')
    .meta({ description: '"gateway": one node on each gateway host, read only by it (a near cache)' }),
  policy: name.optional().meta({ description: 'eviction policy; default redis-lru, memcached or lru' }),
  capacity: z.union([z.literal('infinite'), sizeField]).meta({ description: 'bytes per node' }),
  sharding: z
    .strictObject({
      kind: z.enum(['modulo', 'ketama', 'redis-cluster', 'rendezvous', 'jump']),
      vnodes: positiveInt.optional(),
    })
    .optional()
    .meta({ description: 'default: redis-cluster for redis, ketama for memcached, modulo otherwise' }),
  service: distributionField.meta({ description: 'CPU time of one command' }),
  perByte: durationField.default(0).meta({ description: 'added per byte of value carried' }),
  threads: positiveInt
    .optional()
    .meta({ description: 'worker threads: 1 for redis, default 4 for memcached' }),
  maxConnections: positiveInt.optional().meta({
    description: 'commands in service or queued; default 10000 (redis maxclients), memcached 1024 (-c)',
  }),
  replication: replication.optional(),
});

const origin = z.strictObject({
  zone: name.optional(),
  read: distributionField,
  write: distributionField,
  pool: positiveInt.meta({ description: 'connections: queries served at once' }),
  queueLimit: count.optional().meta({ description: 'queries waiting for a connection; default unbounded' }),
  timeout: durationField.optional().meta({ description: 'longest wait for a connection before failing' }),
});

/** What a set or delete does to the origin and the caches (write-policy.ts, write-behind.ts). */
const writes = z.discriminatedUnion('policy', [
  z
    .strictObject({ policy: z.literal('invalidate') })
    .meta({ description: 'cache-aside: write the origin, then delete the key from the chain (default)' }),
  z
    .strictObject({ policy: z.literal('update') })
    .meta({ description: 'cache-aside: write the origin, then store the new value in the chain' }),
  z.strictObject({ policy: z.literal('write-through') }).meta({
    description: 'write the origin, then store the value in the chain in version order; answer after both',
  }),
  z
    .strictObject({
      policy: z.literal('write-behind'),
      flushInterval: durationField
        .refine((v) => v > 0, 'expected a duration > 0')
        .default(100 * NS_PER_MS)
        .meta({ description: 'the queue is flushed to the origin on this grid of simulated time' }),
      flushBatch: positiveInt
        .default(1_000_000)
        .meta({ description: 'most writes sent to the origin per flush' }),
      flushConcurrency: positiveInt.default(4).meta({
        description: 'most flushed writes at the origin at once: the writer connections (our choice)',
      }),
    })
    .meta({ description: 'store in the chain and answer; queue the write for the origin' }),
  z
    .strictObject({
      policy: z.literal('lease'),
      leaseTtl: durationField
        .refine((v) => v > 0, 'expected a duration > 0')
        .default(10 * NS_PER_SEC)
        .meta({ description: 'how long a lease blocks others on the key (memcache: 10 s)' }),
      leaseRetry: durationField
        .refine((v) => v > 0, 'expected a duration > 0')
        .default(10 * NS_PER_MS)
        .meta({ description: 'pause before a GET that found the lease taken asks again (our choice)' }),
    })
    .meta({ description: 'invalidate, with Memcache leases: a fill needs the lease its miss was granted' }),
]);

/** Time to live of cached copies and the mitigations of expiry storms (expiry.ts, refresh.ts). */
const ttl = z.strictObject({
  base: durationField
    .refine((v) => v > 0, 'expected a duration > 0')
    .meta({ description: 'time to live of a copy from when a node stores it' }),
  jitter: z
    .number()
    .min(0)
    .lt(1)
    .default(0)
    .meta({ description: 'each TTL is drawn uniformly within ±jitter of its base (0: synchronized)' }),
  mode: z.enum(['fixed', 'trace']).default('fixed').meta({
    description: '"trace": the TTL of the last set of the key in the workload where it has one, else base',
  }),
  staleWhileRevalidate: durationField.default(0).meta({
    description: 'after expiry, serve the old copy this long while one background read refreshes it',
  }),
  xfetch: z
    .strictObject({
      beta: z.number().gt(0).default(1),
      delta: durationField
        .refine((v) => v > 0, 'expected a duration > 0')
        .optional()
        .meta({ description: 'recompute time; default: measured per key at the origin' }),
    })
    .optional()
    .meta({ description: 'probabilistic early expiration (Vattani et al., VLDB 2015)' }),
});

export const topologySchema = z.strictObject({
  name,
  seed: z.number().int().default(1),
  workload,
  requests: positiveInt.optional().meta({ description: 'stop after this many requests' }),
  clients: clients.default({ mode: 'open', timeScale: 1, count: 1000 }),
  zones: z.array(name).min(1),
  network,
  loadBalancer,
  gateway,
  tiers: z.record(name, tier),
  origin,
  coalescing: z.boolean().default(false).meta({ description: 'single-flight per key on the miss path' }),
  writes: writes.default({ policy: 'invalidate' }),
  faults: z.array(faultSchema).default([]).meta({
    description:
      'the failure schedule: node crashes, tier restarts, partitions, latency spikes, origin slowdowns',
  }),
  invalidation: invalidationSchema.meta({
    description: 'how invalidations reach the caches: "direct" from the write path, or over Kafka',
  }),
  ttl: ttl.optional().meta({ description: 'expiry of cached copies; default: copies never expire' }),
  preload: z
    .strictObject({ requests: positiveInt })
    .optional()
    .meta({ description: "at t=0, store the keys of the workload's first requests in every tier" }),
  metrics: z.strictObject({ window: durationField.default(NS_PER_SEC) }).default({ window: NS_PER_SEC }),
  until: durationField.optional().meta({ description: 'stop at this simulated time' }),
  limits: z
    .strictObject({ maxInFlight: positiveInt.default(2_000_000) })
    .default({ maxInFlight: 2_000_000 })
    .meta({ description: 'requests in flight at which a run is declared out of control' }),
});

export type TopologyConfig = z.output<typeof topologySchema>;
export type TierConfig = z.output<typeof tier>;
export type ReplicationConfig = z.output<typeof replication>;
export type RouteConfig = z.output<typeof route>;
export type NetworkConfig = z.output<typeof network>;
export type LoadBalancerConfig = z.output<typeof loadBalancer>;
export type GatewayConfig = z.output<typeof gateway>;
export type OriginConfig = z.output<typeof origin>;
export type ClientsConfig = z.output<typeof clients>;
export type WorkloadConfig = z.output<typeof workload>;
export type WritesConfig = z.output<typeof writes>;
export type TtlConfig = z.output<typeof ttl>;
