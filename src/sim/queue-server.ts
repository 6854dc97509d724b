/**
 * A FIFO service station: c identical servers in parallel in front of one queue, optionally bounded (an
 * arrival that finds the queue full is rejected). It is the G/G/c building block under cache nodes (one
 * worker per Redis shard, N Memcached threads), the database connection pool and gateways.
 *
 * A customer is a request id `a` and a number `b`, carried through unchanged. Arrivals come either as a
 * direct call, arrive(a, b) (its result says whether the customer was admitted), or as a QUEUE_ARRIVE
 * event, in which case a rejection is reported to `onReject`. When service ends the customer is handed to
 * `onDone` at that instant (Engine.send). Service times come from a sampler that may look at (a, b), so a
 * size-dependent model fits the same slot.
 *
 * Statistics since the last resetStats(): arrivals, rejections, busy-server time (utilisation = busy
 * time / (c·elapsed)), the time-integral of the queue length and of the number in the station (so their
 * time averages Lq and L are exact, not sampled), and waits (arrival to start of service) and sojourns
 * (arrival to end of service) in histograms with exact sums. Waiting customers live in a growable ring of
 * typed arrays, not in the event set, so an unbounded queue is held to the engine's maxPending as well.
 */
import { Histogram } from '../metrics/histogram.ts';
import type { Component, Engine } from './engine.ts';
import { NS_PER_SEC } from './time.ts';

/** Event kind for arrivals delivered as events (a = request id, b = its number). */
export const QUEUE_ARRIVE = 1;
/** The station's own service-completion events (a = server slot). */
const DONE = 2;

/** Draws a service time in ns for a customer; a duration Sampler (distributions.ts) is one. */
export interface ServiceTime {
  sample(a: number, b: number): number;
}

/** Where a customer goes next: `target` receives `kind` with the customer's (a, b). */
export interface Destination {
  target: number;
  kind: number;
}

export interface QueueServerOptions {
  name: string;
  /** Parallel servers, >= 1. */
  servers: number;
  /** Most customers waiting (not in service); default unbounded (up to the engine's maxPending). */
  queueLimit?: number;
  service: ServiceTime;
  onDone: Destination;
  /** Told about rejected QUEUE_ARRIVE events; direct callers of arrive() see its result instead. */
  onReject?: Destination;
}

export interface QueueStats {
  /** Simulated time covered (ns). */
  elapsed: number;
  arrivals: number;
  rejected: number;
  /** Customers that started service (their waits are counted). */
  started: number;
  completed: number;
  /** Busy server time / (servers · elapsed). */
  utilisation: number;
  /** Time-average number waiting (Lq). */
  meanQueueLength: number;
  /** Time-average number in the station, waiting or in service (L). */
  meanInSystem: number;
  /** Admitted arrivals per second of simulated time. */
  admittedPerSec: number;
  /** Mean wait and mean sojourn in ns (NaN before the first). */
  meanWait: number;
  meanSojourn: number;
}

export class QueueServer implements Component {
  readonly id: number;
  readonly name: string;
  readonly servers: number;
  readonly queueLimit: number;
  readonly waits = new Histogram();
  readonly sojourns = new Histogram();
  private readonly engine: Engine;
  private readonly service: ServiceTime;
  private readonly onDone: Destination;
  private readonly onReject: Destination | null;

  // Customers in service, by server slot; free slots on a stack.
  private readonly slotA: Int32Array;
  private readonly slotB: Float64Array;
  private readonly slotArrival: Float64Array;
  private readonly freeSlots: Int32Array;
  private freeCount: number;

  // Waiting customers: a ring whose capacity is a power of two.
  private qA = new Int32Array(64);
  private qB = new Float64Array(64);
  private qArrival = new Float64Array(64);
  private qHead = 0;
  private waiting = 0;

  private busy = 0;
  private lastChange: number;
  private statsStart: number;
  private busyArea = 0;
  private queueArea = 0;
  private arrivals = 0;
  private rejected = 0;
  private completed = 0;

  constructor(engine: Engine, opts: QueueServerOptions) {
    if (!Number.isInteger(opts.servers) || opts.servers < 1)
      throw new RangeError(`${opts.name}: servers must be an integer >= 1, got ${opts.servers}`);
    const limit = opts.queueLimit ?? Number.POSITIVE_INFINITY;
    if (!(limit >= 0)) throw new RangeError(`${opts.name}: queueLimit must be >= 0, got ${limit}`);
    this.engine = engine;
    this.name = opts.name;
    this.servers = opts.servers;
    this.queueLimit = limit;
    this.service = opts.service;
    this.onDone = opts.onDone;
    this.onReject = opts.onReject ?? null;
    const c = opts.servers;
    this.slotA = new Int32Array(c);
    this.slotB = new Float64Array(c);
    this.slotArrival = new Float64Array(c);
    this.freeSlots = Int32Array.from({ length: c }, (_, i) => c - 1 - i);
    this.freeCount = c;
    this.lastChange = engine.now;
    this.statsStart = engine.now;
    this.id = engine.register(this, opts.name);
  }

  /** Customers waiting for a server now. */
  get queueLength(): number {
    return this.waiting;
  }

  /** Servers busy now. */
  get busyServers(): number {
    return this.busy;
  }

  handle(kind: number, a: number, b: number): void {
    if (kind === DONE) this.complete(a);
    else if (kind === QUEUE_ARRIVE) {
      if (!this.arrive(a, b) && this.onReject !== null)
        this.engine.send(this.onReject.target, this.onReject.kind, a, b);
    } else throw new RangeError(`${this.name}: unknown event kind ${kind}`);
  }

  /** A customer arrives now: served at once, queued, or (queue full) rejected, returning false. */
  arrive(a: number, b: number): boolean {
    const now = this.engine.now;
    this.advance(now);
    this.arrivals++;
    if (this.busy < this.servers) {
      this.start(a, b, now, now);
      return true;
    }
    if (this.waiting >= this.queueLimit) {
      this.rejected++;
      return false;
    }
    if (this.waiting >= this.engine.maxPending)
      throw this.engine.queueLimitError(this.id, 'customers waiting', this.waiting + 1);
    if (this.waiting === this.qA.length) this.growQueue();
    const i = (this.qHead + this.waiting) & (this.qA.length - 1);
    this.qA[i] = a;
    this.qB[i] = b;
    this.qArrival[i] = now;
    this.waiting++;
    return true;
  }

  private start(a: number, b: number, arrival: number, now: number): void {
    const slot = this.freeSlots[--this.freeCount];
    this.busy++;
    this.slotA[slot] = a;
    this.slotB[slot] = b;
    this.slotArrival[slot] = arrival;
    this.waits.record(now - arrival);
    this.engine.schedule(this.service.sample(a, b), this.id, DONE, slot, 0);
  }

  private complete(slot: number): void {
    const now = this.engine.now;
    this.advance(now);
    const a = this.slotA[slot];
    const b = this.slotB[slot];
    this.sojourns.record(now - this.slotArrival[slot]);
    this.completed++;
    this.busy--;
    this.freeSlots[this.freeCount++] = slot;
    if (this.waiting > 0) {
      const h = this.qHead;
      this.qHead = (h + 1) & (this.qA.length - 1);
      this.waiting--;
      this.start(this.qA[h], this.qB[h], this.qArrival[h], now);
    }
    // Last, so a receiver that sends the customer straight back finds the station consistent.
    this.engine.send(this.onDone.target, this.onDone.kind, a, b);
  }

  /** Accumulates the time-integrals of busy servers and queue length up to `now`. */
  private advance(now: number): void {
    const dt = now - this.lastChange;
    if (dt > 0) {
      this.busyArea += this.busy * dt;
      this.queueArea += this.waiting * dt;
      this.lastChange = now;
    }
  }

  private growQueue(): void {
    const n = this.qA.length;
    const a = new Int32Array(2 * n);
    const b = new Float64Array(2 * n);
    const t = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const i = (this.qHead + k) & (n - 1);
      a[k] = this.qA[i];
      b[k] = this.qB[i];
      t[k] = this.qArrival[i];
    }
    this.qA = a;
    this.qB = b;
    this.qArrival = t;
    this.qHead = 0;
  }

  /** Starts a new measurement window now (e.g. after a warm-up); customers present stay. */
  resetStats(): void {
    const now = this.engine.now;
    this.advance(now);
    this.statsStart = now;
    this.busyArea = 0;
    this.queueArea = 0;
    this.arrivals = 0;
    this.rejected = 0;
    this.completed = 0;
    this.waits.reset();
    this.sojourns.reset();
  }

  /** The statistics of the current window, up to the engine's current time. */
  stats(): QueueStats {
    const now = this.engine.now;
    this.advance(now);
    const elapsed = now - this.statsStart;
    return {
      elapsed,
      arrivals: this.arrivals,
      rejected: this.rejected,
      started: this.waits.count,
      completed: this.completed,
      utilisation: this.busyArea / (this.servers * elapsed),
      meanQueueLength: this.queueArea / elapsed,
      meanInSystem: (this.queueArea + this.busyArea) / elapsed,
      admittedPerSec: ((this.arrivals - this.rejected) * NS_PER_SEC) / elapsed,
      meanWait: this.waits.mean,
      meanSojourn: this.sojourns.mean,
    };
  }
}
