/**
 * The failure schedule (`faults` in a topology config): the one table of fault kinds, each its own module
 * under faults/ and one line here, the config schema made from it, and the installation of a schedule on
 * a built model — with the gateways' health checks (`gateway.healthCheck`) and the rerouting they drive.
 *
 *   faults: [{ "kind": "node-crash", "at": "60s", "node": "redis-1", "until": "120s", "restart": "cold" }]
 *
 * Times are from the start of the run; a fault without `until` lasts to the end. A schedule that is empty
 * (the default) builds nothing, so a run without faults is exactly a run of a model without them.
 */
import { z } from 'zod';
import { InputError } from '../errors.ts';
import type { FaultContext, FaultKind, FaultSpec } from './faults/api.ts';
import { consumerRestart } from './faults/consumer-restart.ts';
import { consumerStall } from './faults/consumer-stall.ts';
import { HealthChecker, type HealthCheckSpec } from './faults/health-check.ts';
import { latencySpike } from './faults/latency-spike.ts';
import { nodeCrash } from './faults/node-crash.ts';
import { originSlowdown } from './faults/origin-slowdown.ts';
import { partition } from './faults/partition.ts';
import { Rerouting } from './faults/rerouting.ts';
import { FaultSchedule } from './faults/schedule.ts';
import { tierRestart } from './faults/tier-restart.ts';
import type { Tier } from './tier.ts';

export const faultKinds: readonly FaultKind[] = [
  nodeCrash,
  tierRestart,
  partition,
  latencySpike,
  originSlowdown,
  consumerStall,
  consumerRestart,
];

const [first, ...rest] = faultKinds.map((k) => k.schema);
/**
 * A fault of any kind; each kind's prepare() reads the fields of its own. Every kind's schema has a
 * literal `kind` and the faultTimes fields, which the union's type, made from the table, cannot show.
 */
export const faultSchema = z.discriminatedUnion('kind', [first, ...rest]) as unknown as z.ZodType<FaultSpec>;

/** The parts of a built model a schedule acts on: what faults act on, and what the health checks need. */
export interface FaultParts extends Omit<FaultContext, 'changed'> {
  readonly gatewayZones: Int32Array;
  readonly healthCheck: HealthCheckSpec | undefined;
  /** vnodes of a tier's sharding, where its config gives them (for rebuilding its ring). */
  readonly vnodes: (tier: Tier) => number | undefined;
}

/** Checks `specs` against the model and schedules them; `where` names the config for messages. */
export function installFaults(specs: readonly FaultSpec[], parts: FaultParts, where: string): FaultSchedule {
  const rerouting = new Rerouting(parts.tiers, parts.gatewayZones.length, parts.vnodes);
  const checker =
    parts.healthCheck === undefined
      ? null
      : new HealthChecker(parts.engine, parts.healthCheck, rerouting, parts.gatewayZones, parts.network);
  const ctx: FaultContext = {
    engine: parts.engine,
    tiers: parts.tiers,
    network: parts.network,
    origin: parts.origin,
    zones: parts.zones,
    bus: parts.bus,
    changed: () => checker?.wake(),
  };
  const actions = specs.map((s, i) => {
    const at = `${where}: /faults/${i}`;
    if (s.until !== undefined && !(s.until > s.at)) {
      throw new InputError(`${at}/until: expected a time after "at"`);
    }
    const kind = faultKinds.find((k) => k.kind === s.kind) as FaultKind;
    return kind.prepare(s, ctx, at);
  });
  return new FaultSchedule(specs, actions, {
    engine: parts.engine,
    nodes: parts.tiers.flatMap((t) => t.nodes),
    network: parts.network,
    origin: parts.origin,
    rerouting,
    checker,
  });
}
