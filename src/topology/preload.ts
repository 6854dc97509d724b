/**
 * A warm start: before the first request, every tier holds what serving the workload's first `requests`
 * requests would have left in it, all stored at t=0 — what a warm-up script or a restore from a snapshot
 * does before a deployment takes traffic. Every copy then carries version 0 (current at t=0) and, with
 * TTLs, expires one TTL after t=0: together, unless jittered. That is the synchronized expiry whose
 * thundering herd expiry.ts's mitigations exist for.
 *
 * The requests are read from a second copy of the workload source, opened the same way, so its key ids
 * are the run's (ids are handed out in order of first appearance). Each request stores its key, with its
 * size, in the node of every tier of its route that would serve it (each gateway's node, for a near
 * cache), in trace order, so eviction policies see those keys in the order the workload uses them.
 */
import type { RequestSource } from '../trace/api.ts';
import type { Routes } from './routes.ts';
import type { Tier } from './tier.ts';

/**
 * Stores the keys of `source`'s first `requests` requests at t=0; `reserve` makes room for new key ids
 * first. Returns the number of distinct keys stored. Closes `source`.
 */
export function preload(
  source: RequestSource,
  requests: number,
  tiers: readonly Tier[],
  routes: Routes,
  reserve: (keys: number) => void,
): number {
  let left = requests;
  // Ids are handed out in order of first appearance: the keys stored are ids 0..top.
  let top = -1;
  try {
    for (let b = source.next(); b !== null && left > 0; b = source.next()) {
      reserve(source.keys.size);
      const n = Math.min(b.length, left);
      for (let i = 0; i < n; i++) {
        const key = b.key[i];
        const size = b.size[i];
        if (key > top) top = key;
        for (const t of routes.chains[routes.routeOf(key, size)]) {
          const tier = tiers[t];
          if (tier.sharder === null) for (const node of tier.nodes) node.preload(key, size);
          else tier.nodeFor(key, 0).preload(key, size);
        }
      }
      left -= n;
    }
    return top + 1;
  } finally {
    source.close();
  }
}
