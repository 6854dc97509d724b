/**
 * Every node of a tier goes down at `at` and comes back at `until` (without `until`, at once: a restart of
 * the whole tier that takes no time), cold or warm with each node's own contents as of the crash. What it
 * affected: the GETs and SETs that met a dead node of the tier.
 */
import { z } from 'zod';
import { InputError } from '../../errors.ts';
import { defineFault, type FaultSpec, faultTimes } from './api.ts';

const schema = z.strictObject({
  kind: z.literal('tier-restart'),
  ...faultTimes,
  tier: z.string().min(1),
  restart: z.enum(['cold', 'warm']).default('cold'),
});

type Spec = z.output<typeof schema> & FaultSpec;

export const tierRestart = defineFault<Spec>({
  kind: 'tier-restart',
  schema,
  prepare(spec, ctx, where) {
    const tier = ctx.tiers.find((t) => t.name === spec.tier);
    if (tier === undefined) {
      const known = ctx.tiers.map((t) => t.name).join(', ');
      throw new InputError(`${where}/tier: no tier "${spec.tier}"; tiers are ${known}`);
    }
    const nodes = tier.nodes;
    const restart = (now: number): void => {
      for (const n of nodes) n.restart(now, spec.restart === 'cold' ? null : n);
    };
    return {
      targets: [tier.name],
      label: `${tier.name} restarts ${spec.restart}`,
      start(now) {
        for (const n of nodes) n.crash(now);
        if (spec.until === undefined) restart(now);
      },
      end: restart,
      count: () => nodes.reduce((a, n) => a + n.errors, 0),
    };
  },
});
