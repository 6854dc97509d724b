/**
 * Config → replicas for a tier with `replication` (replication.ts): how many copies each shard has, where
 * they run, what they are called, the checks the schema cannot make alone, and the wiring of a replicated
 * tier's replication and read routing. With no `replication` block, or mode "none", a tier is built as
 * before: same nodes, same names, same random streams.
 *
 * Placement: shard s's primary runs where the tier's shards always did (zone s mod |zones|); its replica j
 * (1, 2, …) runs in zone (s + j) mod |zones| of the tier's zones, so copies of a shard share a zone only
 * when there are more copies than zones. Each copy has a host of its own.
 */
import { makeSampler } from '../sim/distributions.ts';
import type { Engine } from '../sim/engine.ts';
import type { RandomStreams } from '../sim/rng.ts';
import type { CacheNode, GatewayPlaces } from './cache-node.ts';
import type { Commands } from './commands.ts';
import type { Network } from './network.ts';
import { QuorumReads } from './quorum-reads.ts';
import { ReadRouting } from './read-routing.ts';
import { Replication } from './replication.ts';
import type { RequestPool } from './request-pool.ts';
import type { ReplicationConfig, TierConfig, TopologyConfig } from './schema.ts';
import type { Sharder } from './sharding/api.ts';
import { Tier } from './tier.ts';

/** Redis' repl-backlog-size default: 1 MiB. */
const DEFAULT_BACKLOG = 1 << 20;

/** Replicas per shard: 0 without replication. */
export function replicasOf(t: TierConfig): number {
  const r = t.replication;
  return r === undefined || r.mode === 'none' ? 0 : r.replicas;
}

/** Zone and host of every copy: the shards' places first, then each shard's replicas in turn. */
export function placeCopies(
  shards: GatewayPlaces,
  replicas: number,
  zones: readonly number[],
  takeHost: () => number,
): GatewayPlaces {
  const n = shards.zone.length;
  const zone = new Int32Array(n * (1 + replicas));
  const host = new Int32Array(n * (1 + replicas));
  zone.set(shards.zone);
  host.set(shards.host);
  for (let s = 0; s < n; s++) {
    for (let j = 1; j <= replicas; j++) {
      const i = n + s * replicas + j - 1;
      zone[i] = zones[(s + j) % zones.length];
      host[i] = takeHost();
    }
  }
  return { zone, host };
}

/** Name of node `i` of a tier of `shards` shards: `redis-1` for a shard, `redis-1-r2` for its 2nd replica. */
export function copyName(tier: string, i: number, shards: number, replicas: number): string {
  if (i < shards) return `${tier}-${i}`;
  const k = i - shards;
  return `${tier}-${Math.floor(k / replicas)}-r${(k % replicas) + 1}`;
}

export interface ReplicatedTierParts {
  readonly engine: Engine;
  readonly commands: Commands;
  readonly pool: RequestPool;
  readonly network: Network;
  readonly gateways: GatewayPlaces;
  readonly rng: RandomStreams;
  readonly keys: number;
}

/** A tier whose `nodes` are its shards' first primaries followed by their replicas (placeCopies' order). */
export function replicatedTier(
  name: string,
  t: TierConfig,
  nodes: readonly CacheNode[],
  sharder: Sharder,
  p: ReplicatedTierParts,
): Tier {
  const spec = t.replication as ReplicationConfig;
  const replicas = spec.replicas;
  const perShard = replicas + 1;
  const copies: CacheNode[] = [];
  for (let s = 0; s < t.nodes; s++) {
    copies.push(nodes[s]);
    for (let j = 0; j < replicas; j++) copies.push(nodes[t.nodes + s * replicas + j]);
  }
  const mode = spec.mode === 'none' ? 'async' : spec.mode;
  const ideal = mode === 'ideal';
  const w = mode === 'sync' ? perShard : mode === 'quorum' ? (spec.quorum?.w ?? 1) : 1;
  const replication = new Replication(
    {
      engine: p.engine,
      commands: p.commands,
      pool: p.pool,
      tier: name,
      mode,
      copies,
      perShard,
      w,
      lag:
        ideal || spec.lag === undefined
          ? null
          : makeSampler(spec.lag, p.rng.get(`tier/${name}/replication/lag`)),
      promotionDelay: ideal ? 0 : spec.promotionDelay,
      readFrom: spec.readFrom,
      network: p.network,
      backlog: spec.backlog ?? DEFAULT_BACKLOG,
    },
    p.keys,
  );
  const r = mode === 'quorum' ? (spec.quorum?.r ?? 1) : 1;
  const routing = new ReadRouting(
    replication,
    spec.readFrom,
    r,
    p.gateways,
    p.rng.get(`tier/${name}/replication/route`),
  );
  if (routing.fansOut) {
    const { engine, pool, network, gateways } = p;
    replication.quorum = new QuorumReads({ engine, pool, network, gateways, replication, routing });
  }
  return new Tier(name, nodes, sharder, replication, routing);
}

/** The cross-field problems of every tier's `replication`, as JSON pointers and messages. */
export function replicationProblems(c: TopologyConfig): { at: string; message: string }[] {
  const out: { at: string; message: string }[] = [];
  for (const [name, t] of Object.entries(c.tiers)) {
    const r = t.replication;
    if (r === undefined || r.mode === 'none') continue;
    const at = `/tiers/${name}/replication`;
    if (t.placement === 'gateway')
      out.push({ at, message: 'a near cache (placement "gateway") has no shards to replicate' });
    if (r.replicas < 1)
      out.push({ at: `${at}/replicas`, message: `expected at least 1 with mode "${r.mode}"` });
    if (r.mode !== 'ideal' && r.lag === undefined)
      out.push({ at: `${at}/lag`, message: `expected a lag distribution with mode "${r.mode}"` });
    if (r.mode === 'quorum') {
      const n = r.replicas + 1;
      if (r.quorum === undefined)
        out.push({ at: `${at}/quorum`, message: 'expected {"w": W, "r": R} with mode "quorum"' });
      else {
        if (r.quorum.w > n) out.push({ at: `${at}/quorum/w`, message: `expected at most ${n} (the copies)` });
        if (r.quorum.r > n) out.push({ at: `${at}/quorum/r`, message: `expected at most ${n} (the copies)` });
      }
    } else if (r.quorum !== undefined)
      out.push({ at: `${at}/quorum`, message: 'only mode "quorum" reads a quorum' });
    if (r.readFrom !== 'primary' && c.writes.policy === 'lease')
      out.push({
        at: `${at}/readFrom`,
        message: 'leases live on the primary: with writes.policy "lease", read from the primary',
      });
  }
  return out;
}
