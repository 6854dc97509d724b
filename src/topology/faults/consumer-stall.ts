/**
 * A Kafka consumer stall (a GC pause, a hung downstream call): from `at` to `until` (default: the end of
 * the run) the consumers of a group's partitions process nothing, and their lag grows. Back within
 * max.poll.interval.ms they carry on; a longer stall got them evicted, and they resume from their last
 * committed offset, applying again what they had processed since (kafka/consumer-group.ts). What it
 * affected: the records published to those partitions while they were stalled.
 */
import { z } from 'zod';
import { defineFault, type FaultSpec, faultTimes } from './api.ts';
import { consumerFields, consumerTarget } from './consumer-target.ts';

const schema = z.strictObject({ kind: z.literal('consumer-stall'), ...faultTimes, ...consumerFields });

type Spec = z.output<typeof schema> & FaultSpec;

export const consumerStall = defineFault<Spec>({
  kind: 'consumer-stall',
  schema,
  prepare(spec, ctx, where) {
    const t = consumerTarget(spec, ctx, where);
    const duration = spec.until === undefined ? Number.POSITIVE_INFINITY : spec.until - spec.at;
    return {
      targets: t.targets,
      label: `${spec.group} consumers stall`,
      start: () => t.group.stall(duration, t.partitions),
      end: () => {},
      count: t.published,
    };
  },
});
