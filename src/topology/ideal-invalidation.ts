/**
 * `invalidation: {via: "ideal"}`: the design document's "instant, lossless" invalidation, as the bound a
 * report compares designs with. When the origin commits a write, every cached copy of the key, in every
 * tier, primary or replica, is dropped in the same instant (no network, no queue, no worker time); and a
 * fill, update or replicated write carrying an older version than the origin's current one is refused
 * (StoreRules.fresh, cache-node.ts). Together they leave no moment at which a cache holds an out-of-date
 * copy, so the stale-read ratio is exactly 0 whatever the latencies — which no real system achieves, and
 * is why it is a reference line, not a design. The write policy's own deletes and updates still run (they
 * find nothing stale to act on), so latencies and load stay those of the configured policy.
 */
import type { Tier } from './tier.ts';
import type { Versions } from './versions.ts';

export function installIdealInvalidation(versions: Versions, tiers: readonly Tier[]): void {
  versions.onApply = (key) => {
    for (const tier of tiers) for (const node of tier.nodes) node.dropNow(key);
  };
}
