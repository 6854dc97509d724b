/**
 * The invalidation topic on the Kafka brokers: partitions chosen by a hash of the key (as Kafka's default
 * partitioner does with murmur2 of the key bytes; here murmur3's finaliser over the dense key id, with a
 * salt of its own so partitions are independent of cache shards), each an append-only log of record ids
 * whose offsets are positions in it.
 *
 * A producer batch is appended in one go (offsets assigned in send order) and becomes readable when the
 * broker has appended it and, with acks=all, the followers have it (the high watermark): `visibleAt`.
 * A partition's leader appends in order, so a batch never becomes visible before the one sent before it
 * to the same partition; one engine event per batch raises the partition's visible end and wakes its
 * consumers in every group (consumer-group.ts).
 *
 * Retention (`retention.ms`) is applied when a consumer reads: records published longer ago than the
 * retention are gone, and the log starts after them (Kafka deletes whole segments; per record is the
 * fine-grained version of the same rule).
 */
import type { Component, Engine } from '../../sim/engine.ts';
import { hash64 } from '../../trace/keymap.ts';
import type { Records } from './records.ts';

const VISIBLE = 0;
/** Salt of the partition hash: distinct from the sharding and key-table salts. */
const PARTITION_SALT = 0x2545f491;

/** What a consumer group hears from the topic. */
export interface TopicListener {
  /** Records up to offset `end` (exclusive) of `partition` became readable now. */
  visible(partition: number, end: number): void;
}

export class Topic implements Component {
  readonly id: number;
  /** Offsets assigned per partition (the log end offset). */
  readonly end: Float64Array;
  /** Offsets readable per partition (the high watermark). */
  readonly visibleEnd: Float64Array;
  /** First offset still retained per partition. */
  readonly start: Float64Array;
  private readonly lastVisibleAt: Float64Array;
  private logs: Int32Array[];
  private readonly listeners: TopicListener[] = [];

  constructor(
    private readonly engine: Engine,
    readonly records: Records,
    readonly partitions: number,
    /** Retention (ns). */
    private readonly retention: number,
  ) {
    this.id = engine.register(this, 'kafka topic');
    this.end = new Float64Array(partitions);
    this.visibleEnd = new Float64Array(partitions);
    this.start = new Float64Array(partitions);
    this.lastVisibleAt = new Float64Array(partitions);
    this.logs = Array.from({ length: partitions }, () => new Int32Array(256));
  }

  listen(l: TopicListener): void {
    this.listeners.push(l);
  }

  partitionOf(key: number): number {
    return (hash64(key, PARTITION_SALT) >>> 0) % this.partitions;
  }

  /** Record id at `offset` of `partition`. */
  at(partition: number, offset: number): number {
    return this.logs[partition][offset];
  }

  /**
   * Appends `count` record ids from `ids` to `partition`; they become readable `delay` ns from now, or
   * when the batch before them does if that is later.
   */
  append(partition: number, ids: Int32Array, count: number, delay: number): void {
    let log = this.logs[partition];
    const end = this.end[partition];
    if (end + count > log.length) {
      const grown = new Int32Array(Math.max(2 * log.length, end + count));
      grown.set(log);
      log = grown;
      this.logs[partition] = grown;
    }
    log.set(ids.subarray(0, count), end);
    this.end[partition] = end + count;
    const at = Math.max(this.engine.now + delay, this.lastVisibleAt[partition]);
    this.lastVisibleAt[partition] = at;
    this.engine.scheduleAt(at, this.id, VISIBLE, partition, end + count);
  }

  /** The first offset of `partition` still retained now. */
  logStart(partition: number): number {
    const oldest = this.engine.now - this.retention;
    const log = this.logs[partition];
    const at = this.records.publishedAt;
    const end = this.visibleEnd[partition];
    let s = this.start[partition];
    while (s < end && at[log[s]] < oldest) s++;
    this.start[partition] = s;
    return s;
  }

  /** A batch became readable: batches of a partition become so in offset order, so `end` only grows. */
  handle(_kind: number, partition: number, end: number): void {
    this.visibleEnd[partition] = end;
    for (const l of this.listeners) l.visible(partition, end);
  }
}
