/**
 * The eviction policy of a tier's nodes: which one (the config's, or the server's own model by default),
 * how it is created for a node (byte capacity, a random stream of its own), and the check that a node can
 * hold at least one object of the workload — asked of the policy itself, since server models charge their
 * own overheads (Redis' base memory, memcached's slab pages and item headers).
 *
 * A capacity the server would not honour is refused or reported, as the server would: memcached refuses to
 * start with -m below twice its item size limit (2 MiB), and above that it still gives every slab class in
 * use its first 1 MiB page past -m (memcached-slabs.ts; measured on memcached 1.6.18: -m 2 and values over
 * 23 classes malloc 23 MiB), so a limit below one page per class in use does not bind. That second case
 * depends on the workload's sizes, so it is found after the run (capacityWarnings) rather than refused.
 */
import { InputError } from '../errors.ts';
import type { EvictionPolicy, Random } from '../policies/api.ts';
import { Memcached, memcachedMinimumMemory, memcachedPolicy } from '../policies/memcached.ts';
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
  // The model's defaults object identifies memcached, behind admission filters too.
  if (spec.entry.defaults === memcachedPolicy.defaults) {
    const minimum = memcachedMinimumMemory(spec.params);
    if (capacity < minimum) {
      throw new InputError(
        `${where}: /tiers/${name}/capacity: ${capacity} bytes per node is below memcached's minimum -m of ` +
          `${minimum} bytes (twice the item size limit -I, ${minimum / 2}; memcached 1.6 refuses to start)`,
      );
    }
  }
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

/** The nodes of a tier, as far as capacityWarnings looks at them. */
interface TierNodes {
  readonly name: string;
  readonly nodes: readonly { readonly policy: EvictionPolicy }[];
}

/**
 * One line per memcached tier whose capacity is below the first slab pages of the classes a node ended the
 * run with (see the header), naming `where` and the JSON path; none when every capacity could bind.
 */
export function capacityWarnings(
  tiers: readonly TierNodes[],
  configs: Readonly<Record<string, TierConfig>>,
  where: string,
): string[] {
  const out: string[] = [];
  for (const tier of tiers) {
    const capacity = nodeCapacity(configs[tier.name]);
    let classes = 0;
    let page = 0;
    for (const { policy } of tier.nodes) {
      if (!(policy instanceof Memcached) || policy.slabs.classesInUse() <= classes) continue;
      classes = policy.slabs.classesInUse();
      page = policy.slabs.pageBytes;
    }
    const floor = classes * page;
    if (capacity >= floor) continue;
    const mib = (b: number) => `${+(b / 2 ** 20).toFixed(2)} MiB`;
    out.push(
      `${where}: /tiers/${tier.name}/capacity: ${mib(capacity)} per node does not bind: memcached gives every ` +
        `slab class in use its first page past -m, and a node used ${classes} classes (${mib(floor)})`,
    );
  }
  return out;
}
