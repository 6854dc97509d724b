/**
 * The `invalidation` block of the topology config: how a write's invalidation reaches the caches.
 * "direct" (the default) is the write path's own delete or update after the commit (write-policy.ts);
 * "kafka" publishes it to a topic instead, consumed by a consumer group that applies it to the caches,
 * and optionally by an Elasticsearch sink (bus.ts). "ideal" is the design document's "instant, lossless"
 * invalidation, as a reference: every cached copy of a key is dropped at the instant the origin commits
 * a write of it, and a fill or update older than the origin's version is refused (ideal-invalidation.ts). Defaults are the figures of
 * ../shared/notes/deployment-numbers.md §7 (Kafka) and §8 (Elasticsearch), or our choice where marked.
 */
import { z } from 'zod';
import { distributionField, durationField, positiveInt, sizeField } from '../../config/fields.ts';

const consumers = z.strictObject({
  pollInterval: durationField.prefault('0ms').meta({
    description: 'an idle consumer polls on this grid; 0: a long poll returns as soon as records arrive',
  }),
  processing: distributionField
    .prefault({ dist: 'constant', value: '50us' })
    .meta({ description: 'time to process one record (our choice)' }),
  commitInterval: durationField.prefault('5s').meta({ description: 'auto.commit.interval.ms' }),
  maxPollInterval: durationField.prefault('300s').meta({
    description: 'max.poll.interval.ms: a longer stall evicts the consumer (it resumes from its commit)',
  }),
});

const kafka = z.strictObject({
  partitions: positiveInt.default(12).meta({ description: 'key-hashed partitions (our choice)' }),
  linger: durationField.prefault('5ms').meta({ description: 'linger.ms (5 ms from Kafka 4.0)' }),
  batchSize: sizeField.prefault('16KiB').meta({ description: 'batch.size in bytes' }),
  brokerAppend: distributionField
    .prefault({ dist: 'lognormal', median: '2ms', p99: '10ms' })
    .meta({ description: 'batch sent → appended on the partition leader' }),
  replicationAck: distributionField
    .optional()
    .meta({ description: 'appended → replicated to the followers (acks=all); default: inside brokerAppend' }),
  consumers: consumers.prefault({}),
  retention: durationField.prefault('168h').meta({ description: 'retention.ms (7 days)' }),
});

const elasticsearch = z.strictObject({
  bulkSize: positiveInt.default(1000).meta({ description: 'most documents per bulk request' }),
  flushInterval: durationField
    .prefault('1s')
    .meta({ description: 'longest a record waits for its bulk to fill (our choice)' }),
  bulkLatency: distributionField
    .prefault({ dist: 'lognormal', median: '40ms', p99: '200ms' })
    .meta({ description: 'one bulk request besides its documents (p50 41 ms measured; p99 our choice)' }),
  perDocument: durationField
    .prefault('8us')
    .meta({ description: 'indexing time per document (~125k docs/s)' }),
  refreshInterval: durationField
    .prefault('1s')
    .meta({ description: 'refresh_interval: indexed → searchable' }),
});

export const invalidationSchema = z
  .strictObject({
    via: z.enum(['direct', 'kafka', 'ideal']).default('direct').meta({
      description:
        'direct: the write path deletes or updates after the commit; kafka: over a topic; ideal: every copy is dropped at the commit and older fills are refused, so no read is stale (a bound, not a design)',
    }),
    apply: z.enum(['delete', 'update']).optional().meta({
      description:
        'what consumers do with a record; default: what the write policy does (update for update, write-through, write-behind)',
    }),
    kafka: kafka
      .prefault({})
      .meta({ description: 'the topic, producers and consumers (used with via "kafka")' }),
    elasticsearch: elasticsearch
      .optional()
      .meta({ description: 'a second consumer group indexing every write event (used with via "kafka")' }),
  })
  .prefault({});

export type InvalidationConfig = z.output<typeof invalidationSchema>;
export type ElasticsearchConfig = z.output<typeof elasticsearch>;
