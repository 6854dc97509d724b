/**
 * One cache server (a Redis shard, a memcached instance): an eviction policy from the replay engine with
 * a byte capacity, in front of a FIFO station (sim/queue-server.ts) with `threads` workers — Redis runs
 * commands on one thread, memcached on N — whose service time is the configured distribution plus
 * `perByte` for every byte of value the command carries. Commands beyond `maxConnections` (in service and
 * waiting) are refused, as a server at maxclients refuses connections.
 *
 * A command takes effect when a worker picks it up: a GET looks the key up then (so its cost can depend
 * on the outcome: a hit carries the value back), a FILL stores the value read from the origin after a
 * miss, a DELETE drops the key (invalidation after a write). Hits and misses are the replay loop's: a GET
 * hits when the policy holds the key and then records the access; a miss leaves the policy untouched
 * until the FILL admits the key, so a run with zero latency makes exactly replay()'s calls in replay()'s
 * order. The policy's clock is the simulated time in µs.
 *
 * GETs belong to a request (the customer is its pool slot) and are answered over the network to the
 * request's gateway instance. FILLs and DELETEs are fire-and-forget: the customer is the key itself,
 * encoded as −(key + 1) with the size and command in the station's number.
 */
import type { EvictionPolicy } from '../policies/api.ts';
import type { Sampler } from '../sim/distributions.ts';
import type { Component, Engine } from '../sim/engine.ts';
import { QueueServer, type QueueStats } from '../sim/queue-server.ts';
import type { Network } from './network.ts';
import { F_HIT, type RequestPool } from './request-pool.ts';

export const CMD_FILL = 1;
export const CMD_DELETE = 2;

const ARRIVE = 0;
const DONE = 1;

/** Receives a node's answer to a GET, `delay` ns from now (the network leg included). */
export interface NodeReplies {
  nodeReplied(slot: number, delay: number): void;
}

export interface CacheNodeOptions {
  readonly name: string;
  readonly zone: number;
  readonly host: number;
  readonly threads: number;
  readonly maxConnections: number;
  readonly service: Sampler;
  readonly perByte: number;
}

/** Zone and host of each gateway instance: where GET answers go. */
export interface GatewayPlaces {
  readonly zone: Int32Array;
  readonly host: Int32Array;
}

export class CacheNode implements Component {
  readonly id: number;
  readonly name: string;
  readonly zone: number;
  readonly host: number;
  readonly server: QueueServer;
  gets = 0;
  hits = 0;
  fills = 0;
  deletes = 0;
  /** GETs refused at the connection limit (answered as misses). */
  refused = 0;
  /** FILLs and DELETEs refused at the connection limit (lost). */
  dropped = 0;
  peakQueue = 0;
  private readonly service: Sampler;
  private readonly perByte: number;
  replies: NodeReplies | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly pool: RequestPool,
    private readonly network: Network,
    private readonly gateways: GatewayPlaces,
    readonly policy: EvictionPolicy,
    opts: CacheNodeOptions,
  ) {
    this.name = opts.name;
    this.zone = opts.zone;
    this.host = opts.host;
    this.service = opts.service;
    this.perByte = opts.perByte;
    this.id = engine.register(this, opts.name);
    this.server = new QueueServer(engine, {
      name: `${opts.name} (workers)`,
      servers: opts.threads,
      queueLimit: Math.max(0, opts.maxConnections - opts.threads),
      service: { sample: (a, b) => this.execute(a, b) },
      onDone: { target: this.id, kind: DONE },
    });
  }

  /** Sends request `slot`'s GET to this node, arriving `delay` ns from now. */
  get(slot: number, delay: number): void {
    this.engine.schedule(delay, this.id, ARRIVE, slot, 0);
  }

  /** Sends a FILL or DELETE of `key` (`size` bytes), arriving `delay` ns from now. */
  command(cmd: number, key: number, size: number, delay: number): void {
    this.engine.schedule(delay, this.id, ARRIVE, -key - 1, size * 4 + cmd);
  }

  reserve(keys: number): void {
    this.policy.reserve(keys);
  }

  handle(kind: number, a: number, b: number): void {
    if (kind === ARRIVE) {
      if (!this.server.arrive(a, b)) {
        if (a >= 0) {
          this.refused++;
          this.pool.flags[a] &= ~F_HIT;
          this.reply(a, 0);
        } else this.dropped++;
      } else if (this.server.queueLength > this.peakQueue) this.peakQueue = this.server.queueLength;
    } else if (a >= 0) this.reply(a, this.pool.flags[a] & F_HIT ? this.pool.size[a] : 0);
  }

  private reply(slot: number, bytes: number): void {
    const u = this.pool.upstream[slot];
    const d = this.network.delay(this.zone, this.host, this.gateways.zone[u], this.gateways.host[u], bytes);
    (this.replies as NodeReplies).nodeReplied(slot, d);
  }

  /** Runs a command as a worker picks it up; returns its service time (ns). */
  private execute(a: number, b: number): number {
    const p = this.policy;
    const nowUs = this.engine.now / 1000;
    let bytes = 0;
    if (a >= 0) {
      const pool = this.pool;
      const key = pool.key[a];
      this.gets++;
      if (p.contains(key) && p.access(key, pool.size[a], nowUs, -1)) {
        pool.flags[a] |= F_HIT;
        this.hits++;
        bytes = pool.size[a];
      } else pool.flags[a] &= ~F_HIT;
    } else {
      const key = -a - 1;
      const cmd = b & 3;
      if (cmd === CMD_FILL) {
        bytes = (b - cmd) / 4;
        this.fills++;
        p.access(key, bytes, nowUs, -1);
      } else {
        this.deletes++;
        p.remove(key);
      }
    }
    const t = this.service.sample();
    return bytes === 0 || this.perByte === 0 ? t : t + Math.round(bytes * this.perByte);
  }

  stats(): QueueStats {
    return this.server.stats();
  }
}
