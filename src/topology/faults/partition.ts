/**
 * A network partition between two zones from `at` to `until`: every message across is lost. The gateway
 * waits its timeout for a cache node it cannot reach (the lookup is a miss, its fill never arrives) or for
 * the origin (the request fails); fills and deletes across are lost; the health checks of gateways on the
 * far side mark the unreachable nodes down. What it affected: the lookups and queries lost across it.
 * Answers to requests that crossed before it began still arrive, and the load balancer's legs to the
 * gateways are not cut (NGINX would route around an unreachable gateway, which is not modelled). It also
 * cuts the replication streams from primaries on one side to replicas on the other, which resync when it
 * ends (replication.ts: held writes, blocked SETs, partial and full resyncs).
 */
import { z } from 'zod';
import { InputError } from '../../errors.ts';
import { defineFault, type FaultSpec, faultTimes, zoneNamed } from './api.ts';

const schema = z.strictObject({
  kind: z.literal('partition'),
  ...faultTimes,
  zones: z.tuple([z.string().min(1), z.string().min(1)]).meta({ description: 'the two zones cut apart' }),
});

type Spec = z.output<typeof schema> & FaultSpec;

export const partition = defineFault<Spec>({
  kind: 'partition',
  schema,
  prepare(spec, ctx, where) {
    const a = zoneNamed(ctx, spec.zones[0], `${where}/zones/0`);
    const b = zoneNamed(ctx, spec.zones[1], `${where}/zones/1`);
    if (a === b) throw new InputError(`${where}/zones: a partition needs two different zones`);
    const nodes = ctx.tiers.flatMap((t) => t.nodes);
    const set = (on: boolean): void => {
      ctx.network.cut(a, b, on);
      for (const t of ctx.tiers) t.replication?.networkChanged();
      ctx.changed();
    };
    return {
      targets: [spec.zones[0], spec.zones[1]],
      label: `${spec.zones[0]} | ${spec.zones[1]} partitioned`,
      start: () => set(true),
      end: () => set(false),
      count: () => nodes.reduce((s, n) => s + n.unreachable, ctx.origin.unreachable),
    };
  },
});
