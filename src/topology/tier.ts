/**
 * A cache tier: the nodes of one cache service and the rule that picks the node for a key. With the
 * default placement ("spread") the nodes are shards and the tier's sharding scheme (sharding/) maps each
 * key to one of them — what a memcached client's ketama ring or a Redis Cluster's hash slots do. With
 * placement "gateway" there is one node on each gateway host, read only by that gateway instance: a near
 * cache, where a key may live in every node at once.
 */
import type { CacheNode } from './cache-node.ts';
import type { Sharder } from './sharding/api.ts';

export class Tier {
  constructor(
    readonly name: string,
    readonly nodes: readonly CacheNode[],
    /** null for placement "gateway". */
    readonly sharder: Sharder | null,
  ) {}

  /** The node that serves `key` for a request passing through gateway instance `upstream`. */
  nodeFor(key: number, upstream: number): CacheNode {
    return this.sharder === null ? this.nodes[upstream] : this.nodes[this.sharder.shardOf(key)];
  }
}
