/**
 * What a topology design costs per hour, from the experiment's cost model (contract CostModel): nodes ×
 * node price, cache capacity × GB-hour price, origin queries at the run's mean rate × price per million,
 * and the bytes that crossed zones (the result's `network.bytes.crossZone`) at the run's mean rate ×
 * price per GB (10^9 bytes). Each message's bytes count once, in the direction it was sent, so a price
 * for both ends of a transfer — AWS bills $0.01/GB out of a zone and $0.01/GB into the other — is their
 * sum ($0.02). Only value bytes are counted (headers and keys are not), and the traffic network.ts leaves
 * out (Kafka, resyncs) is not priced. A cell whose runner already measured `cost` keeps that figure.
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
  const { cacheGbHour, nodeHour, originPerMillionQueries, crossZonePerGb } = cost;
  if (
    cacheGbHour === undefined &&
    nodeHour === undefined &&
    originPerMillionQueries === undefined &&
    crossZonePerGb === undefined
  )
    return null;
  const seconds = m.simulation.simulatedSeconds;
  const qps = seconds > 0 ? m.origin.requests / seconds : 0;
  // A result written before the network block existed has no bytes to price.
  const crossZoneBytesPerSecond = seconds > 0 ? (m.network?.bytes.crossZone ?? 0) / seconds : 0;
  return (
    (nodeHour ?? 0) * m.nodes.length +
    ((cacheGbHour ?? 0) * cacheBytes(config, m)) / 1e9 +
    ((originPerMillionQueries ?? 0) * qps * 3600) / 1e6 +
    ((crossZonePerGb ?? 0) * crossZoneBytesPerSecond * 3600) / 1e9
  );
}
