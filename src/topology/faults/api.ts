/**
 * What a kind of fault is (one module per kind under faults/, one line in faults.ts's table): its config
 * schema, and how a parsed spec becomes an action on the model — checked against the model's names first,
 * so a fault naming an unknown node or zone exits 2 with its JSON pointer. Only types and the fields every
 * kind shares live here.
 */
import type { z } from 'zod';
import { durationField } from '../../config/fields.ts';
import { InputError } from '../../errors.ts';
import type { Engine } from '../../sim/engine.ts';
import type { CacheNode } from '../cache-node.ts';
import type { InvalidationBus } from '../kafka/bus.ts';
import type { Network } from '../network.ts';
import type { Origin } from '../origin.ts';
import type { Tier } from '../tier.ts';

/** Fields of every fault: when it starts and, optionally, when it ends (durations from t = 0). */
export const faultTimes = {
  at: durationField.meta({ description: 'when the fault starts, from t = 0' }),
  until: durationField
    .optional()
    .meta({ description: 'when it ends; default: it lasts to the end of the run' }),
};

/** The parts of the model faults act on. */
export interface FaultContext {
  readonly engine: Engine;
  readonly tiers: readonly Tier[];
  readonly network: Network;
  readonly origin: Origin;
  readonly zones: readonly string[];
  /** The Kafka invalidation bus, for consumer faults; null when invalidation is direct. */
  readonly bus: InvalidationBus | null;
  /** Something the health checks probe changed (a partition began or ended): probe again. */
  changed(): void;
}

/** A fault of the schedule, ready to run. */
export interface FaultAction {
  /** What it hits, by name: nodes, a tier, zones, a link class, "origin". */
  readonly targets: readonly string[];
  /** One line for charts and logs. */
  readonly label: string;
  start(now: number): void;
  /** Called at `until`, when the spec has one. */
  end(now: number): void;
  /**
   * A counter of the requests (for a latency spike: messages) that met the fault's target in its way:
   * what the fault affected is its growth from start to end (or to the end of the run).
   */
  count(): number;
}

/** A parsed spec of one kind, with the fields every kind has. */
export interface FaultSpec {
  readonly kind: string;
  readonly at: number;
  readonly until?: number;
}

export interface FaultKind {
  readonly kind: string;
  /** The kind's config object; its `kind` field is a literal of the kind's name. */
  readonly schema: z.ZodObject;
  /** `where` is the spec's location for messages: "<file>: /faults/<i>". */
  prepare(spec: FaultSpec, ctx: FaultContext, where: string): FaultAction;
}

/** A fault kind whose prepare() sees its own spec type; the schedule parsed it by `kind` already. */
export function defineFault<S extends FaultSpec>(def: {
  kind: string;
  schema: z.ZodObject;
  prepare(spec: S, ctx: FaultContext, where: string): FaultAction;
}): FaultKind {
  return {
    kind: def.kind,
    schema: def.schema,
    prepare: (spec, ctx, where) => def.prepare(spec as S, ctx, where),
  };
}

/** The node called `name`, or an InputError at `pointer` listing the nodes there are. */
export function nodeNamed(ctx: FaultContext, name: string, pointer: string): CacheNode {
  for (const t of ctx.tiers) for (const n of t.nodes) if (n.name === name) return n;
  const known = ctx.tiers.flatMap((t) => t.nodes.map((n) => n.name)).join(', ');
  throw new InputError(`${pointer}: no cache node "${name}"; nodes are ${known}`);
}

/** The index of zone `name`, or an InputError at `pointer`. */
export function zoneNamed(ctx: FaultContext, name: string, pointer: string): number {
  const z = ctx.zones.indexOf(name);
  if (z < 0) throw new InputError(`${pointer}: no zone "${name}"; zones are ${ctx.zones.join(', ')}`);
  return z;
}
