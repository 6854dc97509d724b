/**
 * A Kafka consumer group reading the invalidation topic with one consumer per partition, each handing
 * its records, in offset order, to a sink (the cache invalidator, the Elasticsearch indexer).
 *
 * A consumer's loop: poll; if records are readable (below the high watermark, topic.ts), process them
 * one after another, `processing` each, handing each to the sink when done; when caught up, wait. A
 * waiting consumer polls again at the next multiple of `pollInterval` after records become readable (0:
 * at once — a long poll returns as soon as data arrive). Offsets are committed automatically: the
 * position is committed after a record when `commitInterval` has passed since the last commit, and a
 * consumer that goes idle with uncommitted records commits them at that interval (Kafka's
 * enable.auto.commit, auto.commit.interval.ms).
 *
 * Delivery is at least once. A consumer that restarts loses its position and resumes from the last
 * committed offset, so the records it had processed since are handed to the sink again: duplicates,
 * counted (a duplicate delete is harmless; a duplicate update is replayed in order with the newer ones
 * after it). A consumer that stalls (a GC pause, a hung call) keeps its position if it comes back within
 * `maxPollInterval`; a longer stall gets it evicted from the group, and its partition resumes from the
 * last committed offset too (max.poll.interval.ms, then a rebalance). Records the topic no longer
 * retains when a consumer reads are skipped (auto.offset.reset=earliest): those never handed to the sink
 * are lost.
 *
 * Counting: every record below a partition's `reached` offset was handed to the sink at least once
 * (`delivered`) or skipped before it ever was (`lost`); so published = delivered + lost + pending, where
 * pending are the records not yet reached (buffered in a producer, on their way to the broker, or
 * behind). The group's lag — readable records not yet processed, summed over partitions — is a level over
 * time (window-max.ts).
 */
import type { Sampler } from '../../sim/distributions.ts';
import type { Component, Engine } from '../../sim/engine.ts';
import type { Topic, TopicListener } from './topic.ts';
import { WindowMax } from './window-max.ts';

const POLL = 0;
const DONE = 1;
const COMMIT = 2;
const RESUME = 3;

const IDLE = 0;
/** A poll is scheduled. */
const POLLING = 1;
/** A record is being processed. */
const BUSY = 2;
/** Stalled or restarting. */
const DOWN = 3;

/** Receives each record a consumer has processed. */
export interface RecordSink {
  /** Record `r` of `partition` was processed now; `duplicate` when it had been handed over before. */
  consume(r: number, partition: number, duplicate: boolean): void;
}

export interface ConsumerOptions {
  readonly name: string;
  /** Grid of an idle consumer's polls (ns); 0: a poll returns as soon as records are readable. */
  readonly pollInterval: number;
  /** Time to process one record (ns). */
  readonly processing: Sampler;
  /** auto.commit.interval.ms (ns). */
  readonly commitInterval: number;
  /** max.poll.interval.ms (ns): a longer stall evicts the consumer, which then resumes from its commit. */
  readonly maxPollInterval: number;
  /** Window of the lag series (ns). */
  readonly window: number;
}

export class ConsumerGroup implements Component, TopicListener {
  readonly id: number;
  /** Records handed to the sink for the first time, again, and skipped unhanded (retention). */
  delivered = 0;
  duplicates = 0;
  lost = 0;
  /** Stalls and restarts. */
  stops = 0;
  /** Readable records not yet processed, summed over partitions, as a level over time. */
  readonly lag: WindowMax;
  private totalLag = 0;
  /** Next offset to process, and the last committed, per partition. */
  readonly position: Float64Array;
  readonly committed: Float64Array;
  /** Offsets below this were handed to the sink, or lost, already. */
  private readonly reached: Float64Array;
  private readonly lastCommit: Float64Array;
  /** Each partition's lag now, and its peak (records). */
  private readonly lagOf: Float64Array;
  readonly peakLag: Float64Array;
  private readonly state: Uint8Array;
  private readonly commitArmed: Uint8Array;
  /** Whether a stopped consumer resumes from its commit (else from its position). */
  private readonly rewind: Uint8Array;
  /** Bumped when a consumer stops, so its events scheduled before are ignored. */
  private readonly epoch: Float64Array;

  constructor(
    private readonly engine: Engine,
    private readonly topic: Topic,
    private readonly sink: RecordSink,
    private readonly opts: ConsumerOptions,
  ) {
    this.id = engine.register(this, opts.name);
    const n = topic.partitions;
    this.position = new Float64Array(n);
    this.committed = new Float64Array(n);
    this.reached = new Float64Array(n);
    this.lastCommit = new Float64Array(n);
    this.lagOf = new Float64Array(n);
    this.peakLag = new Float64Array(n);
    this.state = new Uint8Array(n);
    this.commitArmed = new Uint8Array(n);
    this.rewind = new Uint8Array(n);
    this.epoch = new Float64Array(n);
    this.lag = new WindowMax(opts.window);
    topic.listen(this);
  }

  /** Records published to `partition` that no consumer of the group has reached yet. */
  pending(partition: number): number {
    return this.topic.end[partition] - this.reached[partition];
  }

  visible(p: number): void {
    this.lagChanged(p);
    if (this.state[p] !== IDLE) return;
    this.state[p] = POLLING;
    const every = this.opts.pollInterval;
    const now = this.engine.now;
    this.engine.scheduleAt(
      every === 0 ? now : Math.ceil(now / every) * every,
      this.id,
      POLL,
      p,
      this.epoch[p],
    );
  }

  /**
   * The consumers of `partitions` (default: all) stop now for `duration` ns (Infinity: for good): a stall. Back within
   * maxPollInterval, a consumer carries on from its position; otherwise it was evicted and resumes from
   * its last committed offset.
   */
  stall(duration: number, partitions?: readonly number[]): void {
    this.stop(partitions, duration, duration > this.opts.maxPollInterval);
  }

  /** The consumers of `partitions` (default: all) restart now, back after `downtime` ns, from their commit. */
  restart(downtime: number, partitions?: readonly number[]): void {
    this.stop(partitions, downtime, true);
  }

  private stop(partitions: readonly number[] | undefined, downtime: number, rewind: boolean): void {
    const list = partitions ?? Array.from({ length: this.topic.partitions }, (_, p) => p);
    for (const p of list) {
      this.stops++;
      this.epoch[p]++;
      this.state[p] = DOWN;
      this.commitArmed[p] = 0;
      this.rewind[p] = rewind ? 1 : 0;
      if (Number.isFinite(downtime)) this.engine.schedule(downtime, this.id, RESUME, p, this.epoch[p]);
    }
  }

  handle(kind: number, p: number, epoch: number): void {
    if (epoch !== this.epoch[p]) return;
    const now = this.engine.now;
    switch (kind) {
      case POLL:
        this.next(p);
        return;
      case DONE: {
        const offset = this.position[p];
        const duplicate = offset < this.reached[p];
        if (duplicate) this.duplicates++;
        else {
          this.delivered++;
          this.reached[p] = offset + 1;
        }
        this.position[p] = offset + 1;
        this.lagChanged(p);
        this.sink.consume(this.topic.at(p, offset), p, duplicate);
        if (now - this.lastCommit[p] >= this.opts.commitInterval) this.commit(p);
        this.next(p);
        return;
      }
      case COMMIT:
        this.commitArmed[p] = 0;
        this.commit(p);
        return;
      default:
        if (this.rewind[p]) {
          this.position[p] = this.committed[p];
          this.lastCommit[p] = now;
          this.lagChanged(p);
        }
        this.next(p);
    }
  }

  /** Skips what retention removed, then processes the next readable record or waits. */
  private next(p: number): void {
    const start = this.topic.logStart(p);
    if (this.position[p] < start) {
      this.lost += Math.max(0, start - Math.max(this.position[p], this.reached[p]));
      this.reached[p] = Math.max(this.reached[p], start);
      this.position[p] = start;
      this.lagChanged(p);
    }
    if (this.position[p] < this.topic.visibleEnd[p]) {
      this.state[p] = BUSY;
      this.engine.schedule(this.opts.processing.sample(), this.id, DONE, p, this.epoch[p]);
      return;
    }
    this.state[p] = IDLE;
    if (this.position[p] > this.committed[p] && !this.commitArmed[p]) {
      this.commitArmed[p] = 1;
      const at = Math.max(this.engine.now, this.lastCommit[p] + this.opts.commitInterval);
      this.engine.scheduleAt(at, this.id, COMMIT, p, this.epoch[p]);
    }
  }

  private commit(p: number): void {
    this.committed[p] = this.position[p];
    this.lastCommit[p] = this.engine.now;
  }

  private lagChanged(p: number): void {
    const lag = this.topic.visibleEnd[p] - this.position[p];
    if (lag > this.peakLag[p]) this.peakLag[p] = lag;
    this.totalLag += lag - this.lagOf[p];
    this.lagOf[p] = lag;
    this.lag.set(this.engine.now, this.totalLag);
  }
}
