/**
 * The Kafka producers of the write path: one per gateway instance (the application that commits a write
 * publishes its invalidation), each with one batch per partition (Kafka's record accumulator). A record
 * joins its partition's open batch; the batch is sent when adding the next record would take it past
 * `batch.size` bytes, or `linger.ms` after its first record, whichever comes first; with linger 0 every
 * record is sent at once. A sent batch is appended after the broker's append latency plus, when given,
 * the wait for the followers' acknowledgement (acks=all), and is then readable (topic.ts).
 *
 * A record's bytes are Kafka's per-record overhead and the key, plus the value when consumers are to
 * store it (apply "update"); a record bigger than batch.size goes alone in its batch, as in Kafka.
 */
import type { Sampler } from '../../sim/distributions.ts';
import type { Component, Engine } from '../../sim/engine.ts';
import type { Topic } from './topic.ts';

const LINGER = 0;
const PUBLISH = 1;

/** Bytes of a record besides its value: v2 record framing and batch share (~70 B) and a 16 B key (our choice). */
export const RECORD_OVERHEAD = 86;

export interface ProducerOptions {
  /** Gateway instances, each with a producer of its own. */
  readonly producers: number;
  /** linger.ms (ns). */
  readonly linger: number;
  /** batch.size (bytes). */
  readonly batchSize: number;
  /** Send → appended on the partition leader (ns). */
  readonly brokerAppend: Sampler;
  /** Appended → replicated to the in-sync followers (ns), when acks=all is modelled. */
  readonly replicationAck: Sampler | null;
  /** Whether records carry the value (consumers apply updates). */
  readonly withValue: boolean;
}

export class Producers implements Component {
  readonly id: number;
  /** Batches sent. */
  batches = 0;
  /** Records published and not yet in a sent batch. */
  buffered = 0;
  /** Per accumulator (producer × partition): record ids of the open batch, its bytes and size. */
  private readonly ids: Int32Array[];
  private readonly bytes: Float64Array;
  private readonly fill: Int32Array;
  /** Bumped when a batch is sent, so a linger timer armed for an earlier batch is ignored. */
  private readonly epoch: Float64Array;
  private readonly partitions: number;

  constructor(
    private readonly engine: Engine,
    private readonly topic: Topic,
    private readonly opts: ProducerOptions,
  ) {
    this.id = engine.register(this, 'kafka producers');
    this.partitions = topic.partitions;
    const n = opts.producers * this.partitions;
    // Every record is at least RECORD_OVERHEAD bytes, so a batch holds at most this many.
    const perBatch = Math.max(1, Math.floor(opts.batchSize / RECORD_OVERHEAD));
    this.ids = Array.from({ length: n }, () => new Int32Array(perBatch));
    this.bytes = new Float64Array(n);
    this.fill = new Int32Array(n);
    this.epoch = new Float64Array(n);
  }

  /** Gateway instance `producer` publishes record `r` `delay` ns from now. */
  publish(producer: number, r: number, delay: number): void {
    this.engine.schedule(delay, this.id, PUBLISH, r, producer);
  }

  handle(kind: number, a: number, b: number): void {
    if (kind === LINGER) {
      if (this.epoch[a] === b && this.fill[a] > 0) this.send(a);
      return;
    }
    const records = this.topic.records;
    const acc = b * this.partitions + this.topic.partitionOf(records.key[a]);
    const size = RECORD_OVERHEAD + (this.opts.withValue ? records.size[a] : 0);
    if (this.fill[acc] > 0 && this.bytes[acc] + size > this.opts.batchSize) this.send(acc);
    this.ids[acc][this.fill[acc]++] = a;
    this.bytes[acc] += size;
    this.buffered++;
    if (this.opts.linger === 0) this.send(acc);
    else if (this.fill[acc] === 1)
      this.engine.schedule(this.opts.linger, this.id, LINGER, acc, this.epoch[acc]);
  }

  private send(acc: number): void {
    const o = this.opts;
    const count = this.fill[acc];
    const delay = o.brokerAppend.sample() + (o.replicationAck === null ? 0 : o.replicationAck.sample());
    this.topic.append(acc % this.partitions, this.ids[acc], count, delay);
    this.batches++;
    this.buffered -= count;
    this.fill[acc] = 0;
    this.bytes[acc] = 0;
    this.epoch[acc]++;
  }
}
