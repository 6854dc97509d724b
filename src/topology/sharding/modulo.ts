/**
 * Modulo sharding: shard = keyHash(key) mod n, the scheme of naive clients (e.g. libmemcached's default
 * MEMCACHED_DISTRIBUTION_MODULA). Perfectly balanced and the fastest lookup, but a change of n remaps
 * about (n − 1)/n of all keys (a key stays only if its hash has the same residue mod n and mod n ± 1),
 * which is what consistent hashing exists to avoid.
 */
import type { SchemeEntry, Sharder } from './api.ts';
import { keyHash } from './key-hash.ts';

export class ModuloSharder implements Sharder {
  readonly scheme = 'modulo';
  readonly nodes: readonly string[];
  private readonly n: number;

  constructor(nodes: readonly string[]) {
    this.nodes = nodes;
    this.n = nodes.length;
  }

  shardOf(key: number): number {
    return keyHash(key) % this.n;
  }
}

export const moduloScheme: SchemeEntry = {
  kind: 'modulo',
  description: 'hash(key) mod n: even, but changing n moves about (n-1)/n of the keys',
  create: (_spec, nodes) => new ModuloSharder(nodes),
};
