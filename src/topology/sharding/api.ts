/**
 * The interface every sharding scheme implements: a pure map from a dense key id to the index of the node
 * that owns it. A sharder is immutable; when a tier's node set changes, a new one is built from the new
 * list (see registry.ts), which is what makes "how many keys move" measurable (skew.ts).
 */

/** Maps dense key ids to shard indexes 0..n-1 for a list of nodes; rebuilt when the node set changes. */
export interface Sharder {
  readonly scheme: string;
  /** Node names in order; shard i is names[i]. */
  readonly nodes: readonly string[];
  shardOf(key: number): number;
}
export interface ShardingSpec {
  kind: 'modulo' | 'ketama' | 'redis-cluster' | 'rendezvous' | 'jump';
  vnodes?: number;
}
export interface SchemeEntry {
  readonly kind: ShardingSpec['kind'];
  readonly description: string;
  create(spec: ShardingSpec, nodes: readonly string[]): Sharder;
}
