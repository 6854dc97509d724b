/**
 * The eviction policy of a tier's nodes: which one (the config's, or the server's own model by default),
 * how it is created for a node (byte capacity, a random stream of its own), and the check that a node can
 * hold at least one object of the workload — asked of the policy itself, since server models charge their
 * own overheads (Redis' base memory, memcached's slab pages and item headers).
 */
import { InputError } from '../errors.ts';
import type { EvictionPolicy, Random } from '../policies/api.ts';
import { resolvePolicy } from '../policies/registry.ts';
import type { TierConfig } from './schema.ts';

/** Bytes standing for an "infinite" capacity: beyond any footprint, exact in a double. */
const INFINITE = Number.MAX_SAFE_INTEGER;

export function defaultPolicy(t: TierConfig): string {
  return t.policy ?? (t.server === 'redis' ? 'redis-lru' : t.server === 'memcached' ? 'memcached' : 'lru');
}

export function nodeCapacity(t: TierConfig): number {
  return t.capacity === 'infinite' ? INFINITE : t.capacity;
}

export function createNodePolicy(t: TierConfig, random: Random, keys: number): EvictionPolicy {
  const spec = resolvePolicy(defaultPolicy(t));
  return spec.entry.create({
    capacity: nodeCapacity(t),
    keySpace: keys,
    random,
    params: spec.params,
    byteMode: true,
  });
}

/** Refuses tier `name` when its nodes cannot hold an object of `smallest` bytes; `where` names the config. */
export function checkCapacity(name: string, t: TierConfig, smallest: number, where: string): void {
  const spec = resolvePolicy(defaultPolicy(t));
  const capacity = nodeCapacity(t);
  let fits = capacity >= smallest;
  // A policy that may refuse an object that fits (admission filters) cannot be asked.
  if (fits && spec.entry.mayRefuse !== true) {
    const probe = spec.entry.create({
      capacity,
      keySpace: 16,
      random: () => 0.5,
      params: spec.params,
      byteMode: true,
    });
    probe.access(0, smallest, 0, -1);
    fits = probe.contains(0);
  }
  if (!fits) {
    throw new InputError(
      `${where}: /tiers/${name}/capacity: ${capacity} bytes per node cannot hold a single object with ` +
        `${spec.label} (the smallest object in the workload's first requests is ${smallest} bytes)`,
    );
  }
}
