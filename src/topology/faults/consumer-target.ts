/**
 * What the Kafka consumer faults (consumer-stall, consumer-restart) hit: a consumer group of the
 * invalidation bus (kafka/bus.ts) — the one applying invalidations to the caches, or the Elasticsearch
 * sink's — and some or all of its partitions' consumers. Checked against the model, so a fault on a run
 * without the bus, or naming a partition the topic does not have, exits 2 with its JSON pointer.
 */
import { z } from 'zod';
import { InputError } from '../../errors.ts';
import type { ConsumerGroup } from '../kafka/consumer-group.ts';
import type { FaultContext } from './api.ts';

/** The fields both consumer faults add to the shared ones. */
export const consumerFields = {
  group: z
    .enum(['caches', 'elasticsearch'])
    .default('caches')
    .meta({ description: 'the consumer group: cache invalidation, or the Elasticsearch sink' }),
  partitions: z
    .array(z.number().int().min(0))
    .min(1)
    .optional()
    .meta({ description: 'the partitions whose consumers it hits; default: all' }),
};

export interface ConsumerTarget {
  readonly group: ConsumerGroup;
  readonly partitions: readonly number[];
  readonly targets: readonly string[];
  /** Records published so far to the target partitions. */
  published(): number;
}

export function consumerTarget(
  spec: { group: 'caches' | 'elasticsearch'; partitions?: number[] },
  ctx: FaultContext,
  where: string,
): ConsumerTarget {
  const bus = ctx.bus;
  if (bus === null)
    throw new InputError(`${where}/kind: a consumer fault needs "invalidation": {"via": "kafka"}`);
  let group = bus.group;
  if (spec.group === 'elasticsearch') {
    if (bus.elasticsearch === null) {
      throw new InputError(
        `${where}/group: no Elasticsearch sink; add "invalidation": {"elasticsearch": {}}`,
      );
    }
    group = bus.elasticsearch.group;
  }
  const n = bus.topic.partitions;
  const partitions = spec.partitions ?? Array.from({ length: n }, (_, p) => p);
  spec.partitions?.forEach((p, i) => {
    if (p >= n)
      throw new InputError(`${where}/partitions/${i}: no partition ${p}; the topic has ${n} (0 to ${n - 1})`);
  });
  const end = bus.topic.end;
  return {
    group,
    partitions,
    targets: partitions.map((p) => `${spec.group}/partition-${p}`),
    published: () => partitions.reduce((a, p) => a + end[p], 0),
  };
}
