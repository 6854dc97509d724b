/**
 * The origin: a PostgreSQL primary behind a connection pool (PgBouncer-style). Reads come from cache
 * misses, writes from sets and deletes. The pool's `pool` connections serve one query each at a time
 * (a FIFO station, sim/queue-server.ts, whose service time is the read or write latency distribution);
 * queries beyond them wait, up to `queueLimit` (a full queue fails the request at once), and a query that
 * has waited `timeout` for a connection fails, as PgBouncer's query_wait_timeout drops it. A failed
 * query's client is answered at once, but the query stays in the queue until a connection reaches it, and
 * then costs nothing: it was already cancelled.
 *
 * Versions (versions.ts): a read returns the version current when a connection picks it up (a statement
 * snapshot, as PostgreSQL takes one at the start of each statement under READ COMMITTED); a write is
 * applied, and its key's version bumped, when it commits at the end of its service. A write-behind flush
 * (QUERY_APPLY) applies a version handed out when the cache accepted the write.
 *
 * Faults (faults/): a slowdown multiplies the service time of the queries picked up while it lasts; a
 * query from a gateway that a partition cuts off from the origin's zone never arrives, and the request
 * fails once the gateway's timeout (`clientTimeout`, from when it sent the query) has passed.
 *
 * Its load over time is a first-class output: every arrival and every wait for a connection is reported
 * to an observer (the metrics' time series).
 */
import { makeSampler, type Sampler } from '../sim/distributions.ts';
import type { Component, Engine } from '../sim/engine.ts';
import { QueueServer } from '../sim/queue-server.ts';
import type { RandomStreams } from '../sim/rng.ts';
import { type Reason, WHY_ORIGIN_FULL, WHY_ORIGIN_TIMEOUT, WHY_UNREACHABLE } from './api.ts';
import type { GatewayPlaces } from './cache-node.ts';
import type { Network } from './network.ts';
import { F_ABANDONED, F_STARTED, type RequestPool } from './request-pool.ts';
import type { OriginConfig } from './schema.ts';
import type { Versions } from './versions.ts';

export const QUERY_READ = 0;
export const QUERY_WRITE = 1;
/** A write whose version was handed out earlier (a write-behind flush): pool.version holds it. */
export const QUERY_APPLY = 2;

const ARRIVE = 0;
const DONE = 1;
const TIMEOUT = 2;
/** A query lost across a partition: its gateway gives up now. */
const LOST = 3;

export interface OriginReplies {
  /** The answer to `slot`'s query reaches its gateway `delay` ns from now. */
  originReplied(slot: number, delay: number): void;
  /**
   * `slot`'s query failed now. When the origin still holds the query (a timeout: F_ABANDONED is set), it
   * releases the slot itself once a connection has dropped the query.
   */
  originFailed(slot: number, why: Reason): void;
}

export interface OriginObserver {
  originArrived(now: number): void;
  originStarted(now: number, wait: number): void;
}

export class Origin implements Component {
  readonly id: number;
  readonly server: QueueServer;
  readonly zone: number;
  readonly host: number;
  reads = 0;
  writes = 0;
  full = 0;
  timedOut = 0;
  /** Queries lost across a partition, and queries a slowdown made slower. */
  unreachable = 0;
  slowed = 0;
  /** How long a gateway waits for a query that never arrives (ns). */
  clientTimeout = 0;
  /** The product of the slowdown factors in force. */
  private slowdown = 1;
  private readonly factors: number[] = [];
  replies: OriginReplies | null = null;
  observer: OriginObserver | null = null;
  private readonly read: Sampler;
  private readonly write: Sampler;
  private readonly timeout: number;

  constructor(
    private readonly engine: Engine,
    private readonly pool: RequestPool,
    private readonly network: Network,
    private readonly gateways: GatewayPlaces,
    spec: OriginConfig,
    place: { zone: number; host: number },
    rng: RandomStreams,
    private readonly versions: Versions,
  ) {
    this.id = engine.register(this, 'origin');
    this.zone = place.zone;
    this.host = place.host;
    this.read = makeSampler(spec.read, rng.get('origin/read'));
    this.write = makeSampler(spec.write, rng.get('origin/write'));
    this.timeout = spec.timeout ?? Number.POSITIVE_INFINITY;
    this.server = new QueueServer(engine, {
      name: 'origin (connection pool)',
      servers: spec.pool,
      queueLimit: spec.queueLimit,
      service: { sample: (slot, query) => this.execute(slot, query) },
      onDone: { target: this.id, kind: DONE },
    });
  }

  /** Sends `slot`'s query (QUERY_READ or QUERY_WRITE), arriving `delay` ns from now. */
  query(slot: number, query: number, delay: number): void {
    this.engine.schedule(delay, this.id, ARRIVE, slot, query);
  }

  handle(kind: number, slot: number, b: number): void {
    const pool = this.pool;
    if (kind === ARRIVE && this.network.partitioned && this.cutOff(slot)) {
      this.unreachable++;
      const at = pool.sent[slot] + this.clientTimeout;
      this.engine.schedule(Math.max(0, at - this.engine.now), this.id, LOST, slot, 0);
    } else if (kind === LOST) (this.replies as OriginReplies).originFailed(slot, WHY_UNREACHABLE);
    else if (kind === ARRIVE) {
      const now = this.engine.now;
      if (b === QUERY_READ) this.reads++;
      else this.writes++;
      pool.mark[slot] = now;
      this.observer?.originArrived(now);
      if (!this.server.arrive(slot, b)) {
        this.full++;
        (this.replies as OriginReplies).originFailed(slot, WHY_ORIGIN_FULL);
      } else if (this.timeout !== Number.POSITIVE_INFINITY && !(pool.flags[slot] & F_STARTED)) {
        this.engine.schedule(this.timeout, this.id, TIMEOUT, slot, pool.gen[slot]);
      }
    } else if (kind === TIMEOUT) {
      if (pool.gen[slot] !== b || pool.flags[slot] & F_STARTED) return;
      this.timedOut++;
      pool.flags[slot] |= F_ABANDONED;
      (this.replies as OriginReplies).originFailed(slot, WHY_ORIGIN_TIMEOUT);
    } else if (pool.flags[slot] & F_ABANDONED) pool.release(slot);
    else {
      if (b !== QUERY_READ) {
        const key = pool.key[slot];
        if (b === QUERY_WRITE) pool.version[slot] = this.versions.next(key);
        this.versions.apply(key, pool.version[slot], this.engine.now);
      }
      const u = pool.upstream[slot];
      const bytes = b === QUERY_READ ? pool.size[slot] : 0;
      const d = this.network.delay(this.zone, this.host, this.gateways.zone[u], this.gateways.host[u], bytes);
      (this.replies as OriginReplies).originReplied(slot, d);
    }
  }

  /** Starts (`on`) or ends a slowdown by `factor`; overlapping slowdowns multiply. */
  slow(factor: number, on: boolean): void {
    if (on) this.factors.push(factor);
    else this.factors.splice(this.factors.indexOf(factor), 1);
    this.slowdown = this.factors.reduce((a, f) => a * f, 1);
  }

  private cutOff(slot: number): boolean {
    return this.network.isCut(this.gateways.zone[this.pool.upstream[slot]], this.zone);
  }

  /** A connection picks up `slot`'s query; returns how long it holds the connection (ns). */
  private execute(slot: number, query: number): number {
    const pool = this.pool;
    pool.flags[slot] |= F_STARTED;
    if (pool.flags[slot] & F_ABANDONED) return 0;
    this.observer?.originStarted(this.engine.now, this.engine.now - pool.mark[slot]);
    if (query === QUERY_READ) pool.version[slot] = this.versions.current[pool.key[slot]];
    const t = query === QUERY_READ ? this.read.sample() : this.write.sample();
    if (this.slowdown === 1) return t;
    this.slowed++;
    return Math.round(t * this.slowdown);
  }
}
