/**
 * Where requests come from, in one of two ways (Schroeder, Wierman & Harchol-Balter, "Open versus closed:
 * a cautionary tale", NSDI 2006, on why the choice changes every latency figure):
 *
 * - Open loop: requests arrive whatever the system's state — at the trace's own timestamps (gaps
 *   multiplied by `timeScale`), or as a Poisson stream at `rate`. Each request carries a client id drawn
 *   uniformly from `count` ids (for per-client rate limits and ip_hash). Overload shows as growing queues.
 * - Closed loop: N clients, each sending its next request a think time after the previous response, so
 *   the load adapts to the latency.
 *
 * Arrivals are at the load balancer: traces are recorded on the server side, and the client's own network
 * leg is outside the model (in a closed loop it is part of the think time). Either way the requests
 * themselves (key, size, op) are the workload's, in its order. Only one arrival event is pending at a time
 * in the open loop, and one per idle client in the closed loop.
 */
import { makeSampler, type Sampler } from '../sim/distributions.ts';
import type { Component, Engine } from '../sim/engine.ts';
import type { RandomStreams, Rng } from '../sim/rng.ts';
import type { Clients, Entry } from './api.ts';
import type { RequestPool } from './request-pool.ts';
import type { ClientsConfig } from './schema.ts';
import type { WorkloadCursor } from './workload-cursor.ts';

const ARRIVE = 0;

/** Open-loop arrivals: trace timestamps (scaled) or Poisson at a rate. */
export class OpenLoopClients implements Component, Clients {
  readonly id: number;
  private readonly gap: Sampler | null;
  private readonly ids: Rng;
  private readonly count: number;
  private readonly nsPerUs: number;
  private t0 = 0;

  constructor(
    private readonly engine: Engine,
    private readonly cursor: WorkloadCursor,
    private readonly pool: RequestPool,
    private readonly entry: Entry,
    spec: Extract<ClientsConfig, { mode: 'open' }>,
    rng: RandomStreams,
  ) {
    this.id = engine.register(this, 'clients');
    this.gap =
      spec.rate === undefined
        ? null
        : makeSampler({ dist: 'exponential', mean: 1e9 / spec.rate }, rng.get('clients/arrivals'));
    this.count = spec.count;
    this.ids = rng.get('clients/ids');
    this.nsPerUs = 1000 * spec.timeScale;
  }

  get issued(): number {
    return this.cursor.taken;
  }

  get expected(): number | null {
    return this.cursor.expected;
  }

  start(): void {
    if (!this.cursor.ready()) return;
    this.t0 = this.cursor.time;
    this.engine.schedule(this.gap === null ? 0 : this.gap.sample(), this.id, ARRIVE);
  }

  handle(): void {
    const pool = this.pool;
    const slot = pool.alloc();
    this.cursor.take(pool, slot);
    pool.client[slot] = Math.floor(this.ids() * this.count);
    pool.start[slot] = this.engine.now;
    this.entry.accept(slot);
    if (!this.cursor.ready()) return;
    if (this.gap !== null) this.engine.schedule(this.gap.sample(), this.id, ARRIVE);
    else {
      // A trace that goes back in time (unsorted records) sends the request at once.
      const at = Math.round((this.cursor.time - this.t0) * this.nsPerUs);
      this.engine.scheduleAt(Math.max(at, this.engine.now), this.id, ARRIVE);
    }
  }

  done(): void {}
}

/** Closed-loop clients: each sends a request, waits for the response, thinks, and sends the next. */
export class ClosedLoopClients implements Component, Clients {
  readonly id: number;
  private readonly think: Sampler;

  constructor(
    private readonly engine: Engine,
    private readonly cursor: WorkloadCursor,
    private readonly pool: RequestPool,
    private readonly entry: Entry,
    private readonly spec: Extract<ClientsConfig, { mode: 'closed' }>,
    rng: RandomStreams,
  ) {
    this.id = engine.register(this, 'clients');
    this.think = makeSampler(spec.think, rng.get('clients/think'));
  }

  get issued(): number {
    return this.cursor.taken;
  }

  get expected(): number | null {
    return this.cursor.expected;
  }

  /** Every client starts after one think time, so they do not all fire at t = 0. */
  start(): void {
    for (let c = 0; c < this.spec.clients; c++) this.engine.schedule(this.think.sample(), this.id, ARRIVE, c);
  }

  handle(_kind: number, client: number): void {
    if (!this.cursor.ready()) return;
    const pool = this.pool;
    const slot = pool.alloc();
    this.cursor.take(pool, slot);
    pool.client[slot] = client;
    pool.start[slot] = this.engine.now;
    this.entry.accept(slot);
  }

  done(slot: number, delay: number): void {
    this.engine.schedule(delay + this.think.sample(), this.id, ARRIVE, this.pool.client[slot]);
  }
}
