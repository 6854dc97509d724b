/**
 * The Elasticsearch sink: the sink of a second consumer group on the same topic (a Kafka Connect
 * Elasticsearch sink task), indexing every record — one per write, so the write events and the
 * invalidations are the same documents — for the analytics store.
 *
 * Records wait in a buffer; a bulk request takes up to `bulkSize` of them once that many wait, or
 * `flushInterval` after the oldest arrived. One bulk is in flight at a time (our choice); it takes
 * `bulkLatency` plus `perDocument` for each document. An indexed document becomes searchable at the
 * shard's next refresh, on the grid of `refreshInterval` (Elasticsearch's near-real-time search: the
 * default refresh is 1 s). The analytics freshness of a write is the time from its publication to its
 * document being searchable. The indexing backlog is the writes published and not yet indexed (in the
 * producers, the topic, the buffer or the bulk in flight), as a level over time. A replayed record is
 * indexed again under the same document id: counted, not timed.
 */
import { Histogram } from '../../metrics/histogram.ts';
import type { Sampler } from '../../sim/distributions.ts';
import type { Component, Engine } from '../../sim/engine.ts';
import type { RecordSink } from './consumer-group.ts';
import type { Records } from './records.ts';
import { WindowMax } from './window-max.ts';

const FLUSH = 0;
const BULK_DONE = 1;

export interface ElasticsearchOptions {
  readonly bulkSize: number;
  /** Longest a record waits for its bulk to fill (ns). */
  readonly flushInterval: number;
  /** One bulk request, besides its documents (ns). */
  readonly bulkLatency: Sampler;
  /** Indexing time per document (ns). */
  readonly perDocument: number;
  /** refresh_interval (ns); 0: searchable as soon as indexed. */
  readonly refreshInterval: number;
  /** Window of the backlog series (ns). */
  readonly window: number;
}

export class ElasticsearchSink implements RecordSink, Component {
  readonly id: number;
  /** Documents indexed for the first time, and indexed again (replayed records). */
  indexed = 0;
  reindexed = 0;
  bulks = 0;
  /** Publication → searchable (ns). */
  readonly freshness = new Histogram();
  /** Writes published and not yet indexed, as a level over time. */
  readonly backlog: WindowMax;
  private outstanding = 0;
  /** FIFO of consumed records awaiting a bulk: r, or −r − 1 for a replayed one. */
  private buffer = new Int32Array(1024);
  /** When each buffered record arrived. */
  private arrived = new Float64Array(1024);
  private head = 0;
  private tail = 0;
  private inFlight = 0;
  private flushArmed = false;

  constructor(
    private readonly engine: Engine,
    private readonly records: Records,
    private readonly opts: ElasticsearchOptions,
  ) {
    this.id = engine.register(this, 'elasticsearch sink');
    this.backlog = new WindowMax(opts.window);
  }

  /** A write was published now: one more document to index. */
  published(): void {
    this.backlog.set(this.engine.now, ++this.outstanding);
  }

  consume(r: number, _partition: number, duplicate: boolean): void {
    if (this.tail === this.buffer.length) this.compact();
    this.arrived[this.tail] = this.engine.now;
    this.buffer[this.tail++] = duplicate ? -r - 1 : r;
    this.maybeSend();
  }

  handle(kind: number): void {
    if (kind === FLUSH) this.flushArmed = false;
    else this.bulkDone();
    this.maybeSend();
  }

  private maybeSend(): void {
    const waiting = this.tail - this.head;
    if (this.inFlight > 0 || waiting === 0) return;
    const o = this.opts;
    const due = this.arrived[this.head] + o.flushInterval;
    if (waiting >= o.bulkSize || this.engine.now >= due) {
      this.inFlight = Math.min(waiting, o.bulkSize);
      this.bulks++;
      this.engine.schedule(o.bulkLatency.sample() + this.inFlight * o.perDocument, this.id, BULK_DONE);
    } else if (!this.flushArmed) {
      this.flushArmed = true;
      this.engine.scheduleAt(due, this.id, FLUSH);
    }
  }

  private bulkDone(): void {
    const now = this.engine.now;
    const every = this.opts.refreshInterval;
    const searchable = every === 0 ? now : Math.ceil(now / every) * every;
    const at = this.records.publishedAt;
    for (let i = 0; i < this.inFlight; i++) {
      const r = this.buffer[this.head++];
      if (r < 0) this.reindexed++;
      else {
        this.indexed++;
        this.outstanding--;
        this.freshness.record(searchable - at[r]);
      }
    }
    this.inFlight = 0;
    this.backlog.set(now, this.outstanding);
  }

  /** Moves the waiting records to the front, doubling the buffer when they fill more than half of it. */
  private compact(): void {
    const waiting = this.tail - this.head;
    const grow = waiting * 2 > this.buffer.length;
    const buf = grow ? new Int32Array(this.buffer.length * 2) : this.buffer;
    const arrived = grow ? new Float64Array(this.buffer.length * 2) : this.arrived;
    buf.set(this.buffer.subarray(this.head, this.tail));
    arrived.set(this.arrived.subarray(this.head, this.tail));
    this.buffer = buf;
    this.arrived = arrived;
    this.head = 0;
    this.tail = waiting;
  }
}
