/**
 * Write-behind (write-back): the cache takes the write and the origin gets it later. A write gets its
 * version when the gateway accepts it, is stored in every tier of its chain (in version order, as
 * write-through does), and is answered once every tier has acknowledged it; it then joins a FIFO queue,
 * one for the deployment. Every `interval` of simulated time (on the grid 0, interval, 2·interval, …,
 * while anything is queued) a flush round starts: the flusher sends up to `batch` queued writes to the
 * origin, each as its own query from the gateway instance that accepted it, keeping at most
 * `concurrency` of them at the origin at once (its writer connections), and the origin applies each
 * write's version (versions.ts).
 *
 * A flush the origin fails (its queue full, a timeout) goes back to the end of the queue for the next
 * flush, as write-behind stores retry; the origin ignores a version older than the one it has, so a late
 * retry cannot undo a newer write. The price is durability: a write the origin has not applied exists
 * only in the queue. Node failures come later; for now the writes still queued or on their way to the
 * origin when the run ends are counted as lost writes — what a crash at that moment would lose. (A run
 * ends once the workload is exhausted and nothing is in flight, flushes included, so a flush round under
 * way when the last client request ends is finished first.)
 *
 * Staleness is measured against the origin (versions.ts), so a hit on the cache's newer copy is never
 * stale. But a read that misses while its key's write is queued (the copy was evicted, or deleted by a
 * queued delete) reads the origin's older version and fills it; once the flush applies the newer version,
 * hits on that copy are stale. The queue is a lag, so the zero-latency ideal does not hold for this policy.
 *
 * A write a gateway could not send to some tier (its primary marked down: request-path.ts) fails and is
 * not queued; the tiers that took it keep it, ahead of the origin.
 *
 * Flushes are queries without a client: they hold a request-pool slot marked F_INTERNAL, which the
 * run's accounting of client requests leaves out (`internalInFlight`).
 */
import type { Component, Engine } from '../sim/engine.ts';
import { OP_DELETE } from '../trace/api.ts';
import { OUT_WRITE, WHY_NONE } from './api.ts';
import type { StoreRules } from './cache-node.ts';
import { CMD_DELETE } from './commands.ts';
import { QUERY_APPLY } from './origin.ts';
import { F_ABANDONED, F_INTERNAL, F_REJECTED, type RequestPool } from './request-pool.ts';
import type { Versions } from './versions.ts';
import { endSet, type WriteContext, type WritePolicy, type WriteStats } from './write-policy.ts';

const FLUSH = 0;

export interface WriteBehindParts {
  readonly engine: Engine;
  readonly pool: RequestPool;
  readonly versions: Versions;
  readonly ctx: WriteContext;
  /** Time between flushes (ns). */
  readonly interval: number;
  /** Most writes sent to the origin per flush. */
  readonly batch: number;
  /** Most flushed writes at the origin at once. */
  readonly concurrency: number;
}

export class WriteBehind implements WritePolicy, Component {
  readonly id: number;
  internalInFlight = 0;
  flushed = 0;
  /** Flushes the origin failed, queued again. */
  retried = 0;
  private readonly engine: Engine;
  private readonly pool: RequestPool;
  private readonly ctx: WriteContext;
  /** The queue: a ring of queued writes. */
  private key = new Uint32Array(16);
  private size = new Uint32Array(16);
  private version = new Uint32Array(16);
  private upstream = new Uint16Array(16);
  private op = new Uint8Array(16);
  private head = 0;
  private length = 0;
  private timer = false;
  /** Writes the current flush round may still send. */
  private roundLeft = 0;

  constructor(
    private readonly parts: WriteBehindParts,
    readonly rules: StoreRules,
  ) {
    this.engine = parts.engine;
    this.pool = parts.pool;
    this.ctx = parts.ctx;
    this.id = parts.engine.register(this, 'write-behind');
  }

  begin(slot: number, delay: number): void {
    const pool = this.pool;
    pool.version[slot] = this.parts.versions.next(pool.key[slot]);
    if (pool.op[slot] === OP_DELETE) {
      this.ctx.commandChain(slot, CMD_DELETE, delay);
      this.enqueue(slot);
      this.ctx.finish(slot, OUT_WRITE, WHY_NONE, delay);
    } else {
      pool.pos[slot] = this.ctx.setChain(slot, delay);
      if (pool.pos[slot] === 0) endSet(this.ctx, slot, delay);
    }
  }

  acked(slot: number, delay: number): void {
    if (--this.pool.pos[slot] > 0) return;
    if (!(this.pool.flags[slot] & F_REJECTED)) this.enqueue(slot);
    endSet(this.ctx, slot, delay);
  }

  /** The origin applied a flushed write. */
  written(slot: number): void {
    this.flushed++;
    this.internalInFlight--;
    this.pool.release(slot);
    this.pump();
  }

  internalFailed(slot: number): void {
    this.retried++;
    this.internalInFlight--;
    this.enqueue(slot);
    if (!(this.pool.flags[slot] & F_ABANDONED)) this.pool.release(slot);
    this.pump();
  }

  handle(kind: number): void {
    if (kind !== FLUSH) return;
    this.timer = false;
    this.roundLeft = Math.min(this.length, this.parts.batch);
    this.pump();
    this.arm();
  }

  /** Sends queued writes while the round allows and writer connections are free. */
  private pump(): void {
    const pool = this.pool;
    while (this.roundLeft > 0 && this.length > 0 && this.internalInFlight < this.parts.concurrency) {
      const cap = this.key.length;
      const i = this.head;
      const slot = pool.alloc();
      pool.flags[slot] = F_INTERNAL;
      pool.key[slot] = this.key[i];
      pool.size[slot] = this.size[i];
      pool.version[slot] = this.version[i];
      pool.upstream[slot] = this.upstream[i];
      pool.op[slot] = this.op[i];
      this.head = (i + 1) % cap;
      this.length--;
      this.roundLeft--;
      this.internalInFlight++;
      this.ctx.queryOrigin(slot, QUERY_APPLY, 0);
    }
  }

  stats(): WriteStats {
    return {
      policy: 'write-behind',
      lostWrites: this.length + this.internalInFlight,
      writeBehind: {
        flushed: this.flushed,
        retried: this.retried,
        unflushed: this.length + this.internalInFlight,
      },
    };
  }

  private enqueue(slot: number): void {
    if (this.length === this.key.length) this.grow();
    const pool = this.pool;
    const i = (this.head + this.length) % this.key.length;
    this.key[i] = pool.key[slot];
    this.size[i] = pool.size[slot];
    this.version[i] = pool.version[slot];
    this.upstream[i] = pool.upstream[slot];
    this.op[i] = pool.op[slot];
    this.length++;
    this.arm();
  }

  /** Schedules the next flush on the interval's grid, when anything is queued and none is scheduled. */
  private arm(): void {
    if (this.timer || this.length === 0) return;
    const every = this.parts.interval;
    this.engine.schedule(every - (this.engine.now % every), this.id, FLUSH);
    this.timer = true;
  }

  /** Doubles the ring, unrolling it so the head is at 0. */
  private grow(): void {
    const n = this.key.length;
    const unroll = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T, b: T): T => {
      for (let j = 0; j < n; j++) b[j] = a[(this.head + j) % n];
      return b;
    };
    this.key = unroll(this.key, new Uint32Array(2 * n));
    this.size = unroll(this.size, new Uint32Array(2 * n));
    this.version = unroll(this.version, new Uint32Array(2 * n));
    this.upstream = unroll(this.upstream, new Uint16Array(2 * n));
    this.op = unroll(this.op, new Uint8Array(2 * n));
    this.head = 0;
  }
}
