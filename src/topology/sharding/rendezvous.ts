/**
 * Rendezvous, or highest-random-weight, hashing (Thaler & Ravishankar, "Using Name-Based Mappings to
 * Increase Hit Rates", IEEE/ACM Transactions on Networking 6(1), 1998): every node scores every key with a
 * hash of (node, key), and the key goes to the node with the highest score. A node's scores do not depend
 * on the other nodes, so removing a node moves only its own keys (1/n of them) and adding one takes 1/(n+1)
 * from the others evenly, with no virtual nodes; the price is O(n) work per lookup.
 *
 * Score of node i for a key: hash64(keyHash(key), seed_i) (murmur3's finaliser over the key hash, salted by
 * the node), where seed_i is the first four bytes of MD5(name) (key-hash.ts): it depends on the node's name,
 * not its position, so reordering the node list changes nothing. Equal scores (probability about
 * n² / 2^33 per key) go to the node listed first.
 */
import { hash64 } from '../../trace/keymap.ts';
import type { SchemeEntry, Sharder } from './api.ts';
import { keyHash, nameSeed } from './key-hash.ts';

export class RendezvousSharder implements Sharder {
  readonly scheme = 'rendezvous';
  readonly nodes: readonly string[];
  private readonly seeds: Uint32Array;

  constructor(nodes: readonly string[]) {
    this.nodes = nodes;
    this.seeds = Uint32Array.from(nodes, nameSeed);
  }

  shardOf(key: number): number {
    const h = keyHash(key);
    const seeds = this.seeds;
    let best = 0;
    let bestScore = -1;
    for (let i = 0; i < seeds.length; i++) {
      const score = hash64(h, seeds[i]) >>> 0;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}

export const rendezvousScheme: SchemeEntry = {
  kind: 'rendezvous',
  description: 'highest random weight: the node with the largest hash(node, key); O(n) per lookup',
  create: (_spec, nodes) => new RendezvousSharder(nodes),
};
