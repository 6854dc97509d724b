/**
 * A Kafka consumer restart (a deploy, a crash): at `at` the consumers of a group's partitions lose their
 * position and, back at `until` (default: at once), resume from their last committed offset — at least
 * once, so the records they had processed since that commit are applied again (kafka/consumer-group.ts).
 * What it affected: those duplicates.
 */
import { z } from 'zod';
import { defineFault, type FaultSpec, faultTimes } from './api.ts';
import { consumerFields, consumerTarget } from './consumer-target.ts';

const schema = z.strictObject({ kind: z.literal('consumer-restart'), ...faultTimes, ...consumerFields });

type Spec = z.output<typeof schema> & FaultSpec;

export const consumerRestart = defineFault<Spec>({
  kind: 'consumer-restart',
  schema,
  prepare(spec, ctx, where) {
    const t = consumerTarget(spec, ctx, where);
    const downtime = spec.until === undefined ? 0 : spec.until - spec.at;
    return {
      targets: t.targets,
      label: `${spec.group} consumers restart`,
      start: () => t.group.restart(downtime, t.partitions),
      end: () => {},
      count: () => t.group.duplicates,
    };
  },
});
