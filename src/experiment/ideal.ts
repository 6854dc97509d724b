/**
 * The ideal configuration of a topology experiment (`"ideal": true`): the bound issue 5 asks every design
 * to be read against — caches that never evict (every tier's capacity "infinite"), replicas that never lag
 * (every replicated tier — replication mode other than "none" — in mode "ideal") and invalidations that
 * reach every copy at the commit (invalidation "ideal": no Kafka bus, no stale read;
 * topology/ideal-invalidation.ts). Everything else stays as configured: the workload, the clients, the
 * network, the write policy, TTLs and the failure schedule, so the gap to the ideal is what capacity,
 * replication and invalidation cost. Kafka consumer faults are the one exception: with no bus there are
 * no consumers to stall, so they are left out of the ideal run.
 *
 * It runs once per seed, with params `{"ideal": true}` (IDEAL_PARAMS) instead of sweep values, after every
 * cell of the sweep; the manifest lists these cells in `idealCellIds` and reports draw them as a dashed
 * reference line.
 */
import type { CellParams } from './contract.ts';

type Json = Record<string, unknown>;

/** The params of an ideal cell: a marker beside (never one of) the sweep axes. */
export const IDEAL_PARAMS: CellParams = { ideal: true };

const CONSUMER_FAULTS = new Set(['consumer-stall', 'consumer-restart']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The ideal configuration of a cell config as written (experiment keys already removed). */
export function idealConfig(base: Json): Json {
  const tiers = isObject(base.tiers) ? base.tiers : {};
  const idealTiers = Object.fromEntries(
    Object.entries(tiers).map(([name, t]) => {
      if (!isObject(t)) return [name, t];
      const tier: Json = { ...t, capacity: 'infinite' };
      if (isObject(t.replication) && t.replication.mode !== undefined && t.replication.mode !== 'none') {
        // A lag and a quorum belong to the other modes (replicated-tier.ts refuses a quorum elsewhere).
        const { lag: _lag, quorum: _quorum, ...rest } = t.replication;
        tier.replication = { ...rest, mode: 'ideal' };
      }
      return [name, tier];
    }),
  );
  const out: Json = { ...base, tiers: idealTiers, invalidation: { via: 'ideal' } };
  if (Array.isArray(base.faults))
    out.faults = base.faults.filter((f) => !(isObject(f) && CONSUMER_FAULTS.has(String(f.kind))));
  return out;
}
