/**
 * What a topology design costs per hour, from the experiment's cost model (contract CostModel): nodes ×
 * node price, cache capacity × GB-hour price, and origin queries at the run's mean rate × price per
 * million. Cross-zone traffic is not priced: results carry no byte counts per link. A cell whose runner
 * already measured `cost` keeps that figure.
 */
import type { CellMetrics, CostModel } from '../experiment/contract.ts';
import type { ResultMetrics } from '../topology/result.ts';
import { parseBytes } from '../units.ts';

interface TierConfig {
  capacity?: unknown;
  nodes?: unknown;
}

/** Bytes of cache the design provisions; a tier of infinite capacity counts what its nodes used. */
function cacheBytes(config: unknown, m: ResultMetrics): number {
  const tiers = ((config as { tiers?: Record<string, TierConfig> } | null)?.tiers ?? {}) as Record<
    string,
    TierConfig
  >;
  let total = 0;
  for (const [name, tier] of Object.entries(tiers)) {
    const nodes = m.nodes.filter((n) => n.tier === name);
    const per =
      typeof tier.capacity === 'string'
        ? parseBytes(tier.capacity)
        : typeof tier.capacity === 'number'
          ? tier.capacity
          : null;
    total += per === null ? nodes.reduce((s, n) => s + n.usedBytes, 0) : per * nodes.length;
  }
  return total;
}

/** Dollars per hour, or null without a cost model or a measured cost. */
export function costPerHour(
  cost: CostModel | undefined,
  config: unknown,
  m: ResultMetrics,
  metrics: CellMetrics,
): number | null {
  const measured = metrics.cost;
  if (typeof measured === 'number') return measured;
  if (!cost) return null;
  const { cacheGbHour, nodeHour, originPerMillionQueries } = cost;
  if (cacheGbHour === undefined && nodeHour === undefined && originPerMillionQueries === undefined)
    return null;
  const seconds = m.simulation.simulatedSeconds;
  const qps = seconds > 0 ? m.origin.requests / seconds : 0;
  return (
    (nodeHour ?? 0) * m.nodes.length +
    ((cacheGbHour ?? 0) * cacheBytes(config, m)) / 1e9 +
    ((originPerMillionQueries ?? 0) * qps * 3600) / 1e6
  );
}
