/**
 * A cache tier: the nodes of one cache service and the rule that picks the node for a key. With the
 * default placement ("spread") the nodes are shards and the tier's sharding scheme (sharding/) maps each
 * key to one of them — what a memcached client's ketama ring or a Redis Cluster's hash slots do. With
 * placement "gateway" there is one node on each gateway host, read only by that gateway instance: a near
 * cache, where a key may live in every node at once.
 *
 * A replicated tier (replication.ts) lists each shard's first primary, then the replicas; writes go to a
 * shard's primary of the moment, and reads to the copy its read routing picks (read-routing.ts), or under
 * quorum to the R copies it picks (quorum-reads.ts). Its nodes' health-check marks steer reads, and stop
 * a gateway's writes to a primary it has marked down (writeNode).
 *
 * A gateway whose health checks have marked nodes of the tier down routes by a view of its own instead
 * (faults/rerouting.ts): the tier's sharding over the nodes it still sees, so their keys go elsewhere.
 */
import type { CacheNode } from './cache-node.ts';
import type { QuorumReads } from './quorum-reads.ts';
import type { ReadRouting } from './read-routing.ts';
import type { Replication } from './replication.ts';
import type { Sharder } from './sharding/api.ts';

/** A gateway's routing while it has nodes of the tier marked down: a sharder over the rest. */
export interface RouteView {
  readonly sharder: Sharder;
  /** The tier's shard index of each of the view's shards. */
  readonly index: Int32Array;
}

export class Tier {
  /** Per gateway instance, its view while it has nodes marked down (null: none); null: no gateway has. */
  views: (RouteView | null)[] | null = null;
  /** Lookups and commands sent to another shard than the key's own because it was marked down. */
  rerouted = 0;

  constructor(
    readonly name: string,
    readonly nodes: readonly CacheNode[],
    /** null for placement "gateway". */
    readonly sharder: Sharder | null,
    /** Both null unless the tier replicates its shards. */
    readonly replication: Replication | null = null,
    private readonly routing: ReadRouting | null = null,
  ) {}

  /** The node that takes writes of `key` for a request passing through gateway instance `upstream`. */
  nodeFor(key: number, upstream: number): CacheNode {
    if (this.sharder === null) return this.nodes[upstream];
    const s = this.shard(this.sharder, key, upstream);
    return this.replication === null ? this.nodes[s] : this.replication.writeTarget(s);
  }

  /**
   * The node that takes a write (`set`: a client's SET; else a FILL, DELETE or UPDATE) of `key` from
   * gateway `upstream`; null, counted, when that gateway's health checks have the shard's primary marked
   * down: it sends the primary nothing (replication.ts).
   */
  writeNode(key: number, upstream: number, set: boolean): CacheNode | null {
    const rep = this.replication;
    if (rep === null || this.routing === null) return this.nodeFor(key, upstream);
    const s = this.shard(this.sharder as Sharder, key, upstream);
    if (!this.routing.markedDown(upstream, rep.primary[s])) return rep.writeTarget(s);
    if (set) rep.writesRejected++;
    else rep.writesWithheld++;
    return null;
  }

  /** Set when a GET asks several copies of its shard: it sends them and takes the answers. */
  get quorum(): QuorumReads | null {
    return this.replication === null ? null : this.replication.quorum;
  }

  /** Sends request `slot`'s GET of `key` through the quorum (non-null), `delay` ns from now + the legs. */
  askQuorum(slot: number, key: number, upstream: number, delay: number): void {
    (this.quorum as QuorumReads).ask(slot, this.shard(this.sharder as Sharder, key, upstream), delay);
  }

  /** Gateway `upstream`'s health checks mark copy `node` of this replicated tier down, or up again. */
  markCopy(upstream: number, node: CacheNode, down: boolean): void {
    this.routing?.mark(upstream, node, down);
    if (down && this.replication !== null) this.replication.gatewayMarks = true;
  }

  /** The node that answers a GET of `key` for a request passing through gateway instance `upstream`. */
  readNode(key: number, upstream: number): CacheNode {
    if (this.sharder === null || this.routing === null) return this.nodeFor(key, upstream);
    return this.routing.reader(this.shard(this.sharder, key, upstream), upstream);
  }

  /** The shard of `key` for gateway `upstream`: the sharder's, or its view's while it has one. */
  private shard(sharder: Sharder, key: number, upstream: number): number {
    const s = sharder.shardOf(key);
    const v = this.views === null ? null : this.views[upstream];
    if (v === null) return s;
    const r = v.index[v.sharder.shardOf(key)];
    if (r !== s) this.rerouted++;
    return r;
  }
}
