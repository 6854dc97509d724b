/**
 * Where gateways send a tier's keys while their health checks have some of its nodes marked down: the
 * tier's own sharding function over the nodes they still see (Tier.views). With ketama a down node's
 * points leave the ring, so its keys go to the next points and no other key moves (about 1/n of them);
 * with modulo the residues change and almost every key moves ((n − 1)/n); rendezvous and jump do what
 * their functions do with one node fewer. Redis Cluster is not rerouted: its clients follow the cluster's
 * slot map, not health checks, so a dead shard's slots wait for it (or for a replica's promotion). A
 * replicated tier's nodes are probed, but its keys are not rerouted: its failover is the replication's,
 * and a mark only steers the gateway's reads away from the copy (read-routing.ts). When every node of a
 * tier is marked down the gateway keeps the full routing (there is nowhere else to go).
 *
 * Each distinct set of down nodes is kept with the time it was first routed by, so the result can say
 * exactly which share of the keys each one moved (sharding/skew.ts movedFraction, over the keys seen).
 */
import type { CacheNode } from '../cache-node.ts';
import type { Sharder, ShardingSpec } from '../sharding/api.ts';
import { createSharder } from '../sharding/registry.ts';
import type { RouteView, Tier } from '../tier.ts';

/** A set of down nodes some gateway routed a tier by, and when that began. */
export interface RoutingChange {
  readonly t: number;
  readonly tier: Tier;
  readonly down: readonly string[];
  readonly sharder: Sharder;
}

export class Rerouting {
  /** Nodes of the rerouted tiers, in tier order: the ones the health checks probe. */
  readonly nodes: readonly CacheNode[];
  readonly changes: RoutingChange[] = [];
  private readonly tierOf: Int32Array;
  private readonly indexInTier: Int32Array;
  /** Per rerouted node and gateway: marked down (1) or not. */
  private readonly down: Uint8Array;
  private readonly views = new Map<string, RouteView>();

  constructor(
    private readonly tiers: readonly Tier[],
    private readonly gateways: number,
    /** vnodes of each tier's sharding, where the config gives them. */
    private readonly vnodes: (tier: Tier) => number | undefined,
  ) {
    const nodes: CacheNode[] = [];
    const tierOf: number[] = [];
    const index: number[] = [];
    tiers.forEach((t, ti) => {
      if (t.sharder === null || (t.sharder.scheme === 'redis-cluster' && t.replication === null)) return;
      t.nodes.forEach((n, i) => {
        nodes.push(n);
        tierOf.push(ti);
        index.push(i);
      });
    });
    this.nodes = nodes;
    this.tierOf = Int32Array.from(tierOf);
    this.indexInTier = Int32Array.from(index);
    this.down = new Uint8Array(nodes.length * gateways);
  }

  /** Gateway `u` marks rerouted node `j` down (or up) now. */
  mark(u: number, j: number, down: boolean, now: number): void {
    this.down[u * this.nodes.length + j] = down ? 1 : 0;
    const tier = this.tiers[this.tierOf[j]];
    if (tier.replication !== null) {
      tier.markCopy(u, this.nodes[j], down);
      return;
    }
    const names: string[] = [];
    const live: number[] = [];
    for (let k = 0; k < this.nodes.length; k++) {
      if (this.tierOf[k] !== this.tierOf[j]) continue;
      if (this.down[u * this.nodes.length + k]) names.push(this.nodes[k].name);
      else live.push(this.indexInTier[k]);
    }
    const view = names.length === 0 || live.length === 0 ? null : this.view(tier, names, live, now);
    if (tier.views === null) tier.views = new Array<RouteView | null>(this.gateways).fill(null);
    tier.views[u] = view;
    if (tier.views.every((v) => v === null)) tier.views = null;
  }

  private view(tier: Tier, down: string[], live: number[], now: number): RouteView {
    const id = `${tier.name}\n${down.join('\n')}`;
    const known = this.views.get(id);
    if (known !== undefined) return known;
    const full = tier.sharder as Sharder;
    const spec: ShardingSpec = { kind: full.scheme as ShardingSpec['kind'], vnodes: this.vnodes(tier) };
    const sharder = createSharder(
      spec,
      live.map((i) => tier.nodes[i].name),
    );
    const view = { sharder, index: Int32Array.from(live) };
    this.views.set(id, view);
    this.changes.push({ t: now, tier, down, sharder });
    return view;
  }
}
