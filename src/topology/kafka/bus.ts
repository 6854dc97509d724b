/**
 * The invalidation bus of the design (invalidation "via": "kafka"): the write path publishes one record
 * per write that reaches the caches (publishing-context.ts) to a partitioned topic through batching
 * producers; a consumer group applies the records to the cache tiers (cache-invalidator.ts); an optional
 * second group indexes them into Elasticsearch (elasticsearch-sink.ts). Everything here draws from
 * random streams of its own ("kafka/…"), so switching the bus on changes no other component's draws
 * except the network's, whose legs from the consumers to the nodes replace the gateway's.
 */
import { makeSampler } from '../../sim/distributions.ts';
import type { Engine } from '../../sim/engine.ts';
import type { RandomStreams } from '../../sim/rng.ts';
import type { GatewayPlaces } from '../cache-node.ts';
import type { Commands } from '../commands.ts';
import type { Network } from '../network.ts';
import type { RequestPool } from '../request-pool.ts';
import type { WritesConfig } from '../schema.ts';
import type { Tier } from '../tier.ts';
import { CacheInvalidator } from './cache-invalidator.ts';
import { ConsumerGroup } from './consumer-group.ts';
import { ElasticsearchSink } from './elasticsearch-sink.ts';
import { Producers } from './producer.ts';
import { Records } from './records.ts';
import type { InvalidationConfig } from './schema.ts';
import { Topic } from './topic.ts';

export interface BusParts {
  readonly engine: Engine;
  readonly pool: RequestPool;
  readonly tiers: readonly Tier[];
  readonly chains: readonly Int32Array[];
  readonly commands: Commands;
  readonly network: Network;
  readonly rng: RandomStreams;
  /** Gateway instances: one producer each. */
  readonly gateways: number;
  /** Zone and host of each partition's consumer. */
  readonly consumers: GatewayPlaces;
  /** Window of the lag and backlog series (ns). */
  readonly window: number;
}

export class InvalidationBus {
  readonly records = new Records();
  readonly topic: Topic;
  readonly producers: Producers;
  readonly group: ConsumerGroup;
  readonly invalidator: CacheInvalidator;
  readonly elasticsearch: { readonly group: ConsumerGroup; readonly sink: ElasticsearchSink } | null;
  private readonly engine: Engine;
  private readonly pool: RequestPool;

  constructor(
    spec: InvalidationConfig,
    /** Whether consumers store written values (else they delete keys). */
    readonly update: boolean,
    parts: BusParts,
  ) {
    const { engine, rng } = parts;
    const k = spec.kafka;
    this.engine = engine;
    this.pool = parts.pool;
    this.topic = new Topic(engine, this.records, k.partitions, k.retention);
    this.producers = new Producers(engine, this.topic, {
      producers: parts.gateways,
      linger: k.linger,
      batchSize: k.batchSize,
      brokerAppend: makeSampler(k.brokerAppend, rng.get('kafka/broker')),
      replicationAck:
        k.replicationAck === undefined ? null : makeSampler(k.replicationAck, rng.get('kafka/replication')),
      withValue: update,
    });
    const c = k.consumers;
    this.invalidator = new CacheInvalidator({ ...parts, records: this.records });
    this.group = new ConsumerGroup(engine, this.topic, this.invalidator, {
      name: 'kafka consumers (caches)',
      pollInterval: c.pollInterval,
      processing: makeSampler(c.processing, rng.get('kafka/consumers')),
      commitInterval: c.commitInterval,
      maxPollInterval: c.maxPollInterval,
      window: parts.window,
    });
    const es = spec.elasticsearch;
    if (es === undefined) this.elasticsearch = null;
    else {
      const sink = new ElasticsearchSink(engine, this.records, {
        bulkSize: es.bulkSize,
        flushInterval: es.flushInterval,
        bulkLatency: makeSampler(es.bulkLatency, rng.get('kafka/elasticsearch')),
        perDocument: es.perDocument,
        refreshInterval: es.refreshInterval,
        window: parts.window,
      });
      // The sink task hands records to its buffer; the indexing cost is the bulk's.
      const group = new ConsumerGroup(engine, this.topic, sink, {
        name: 'kafka consumers (elasticsearch)',
        pollInterval: c.pollInterval,
        processing: makeSampler({ dist: 'constant', value: 0 }, rng.get('kafka/elasticsearch/consumers')),
        commitInterval: c.commitInterval,
        maxPollInterval: c.maxPollInterval,
        window: parts.window,
      });
      this.elasticsearch = { group, sink };
    }
  }

  /** Publishes request `slot`'s write, `delay` ns from now: consumers will apply `cmd` (commands.ts). */
  publish(slot: number, cmd: number, delay: number): void {
    const pool = this.pool;
    const r = this.records.add(
      pool.key[slot],
      pool.version[slot],
      pool.size[slot],
      pool.route[slot],
      pool.upstream[slot],
      cmd,
      this.engine.now + delay,
    );
    this.producers.publish(pool.upstream[slot], r, delay);
    this.elasticsearch?.sink.published();
  }
}

/**
 * The bus of a config, or null for direct or ideal invalidation. Consumers store written values when `apply`
 * says "update", by default when the write policy stores them itself (update, write-through,
 * write-behind), and delete keys otherwise.
 */
export function createBus(
  spec: InvalidationConfig,
  writes: WritesConfig,
  parts: BusParts,
): InvalidationBus | null {
  if (spec.via !== 'kafka') return null;
  const update =
    spec.apply === undefined
      ? writes.policy !== 'invalidate' && writes.policy !== 'lease'
      : spec.apply === 'update';
  return new InvalidationBus(spec, update, parts);
}
