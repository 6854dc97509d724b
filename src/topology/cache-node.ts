/**
 * One cache server (a Redis shard, a memcached instance): an eviction policy from the replay engine with
 * a byte capacity, in front of a FIFO station (sim/queue-server.ts) with `threads` workers — Redis runs
 * commands on one thread, memcached on N — whose service time is the configured distribution plus
 * `perByte` for every byte of value the command carries. Commands beyond `maxConnections` (in service and
 * waiting) are refused, as a server at maxclients refuses connections.
 *
 * A command takes effect when a worker picks it up: a GET looks the key up then (so its cost can depend
 * on the outcome: a hit carries the value back), a FILL stores the value read from the origin after a
 * miss, a DELETE drops the key (invalidation after a write), an UPDATE stores a written value. Hits and
 * misses are the replay loop's: a GET hits when the policy holds the key and then records the access; a
 * miss leaves the policy untouched until the FILL admits the key, so a run with zero latency makes exactly
 * replay()'s calls in replay()'s order. The policy's clock is the simulated time in µs.
 *
 * Every copy records the version it holds (versions.ts), per key in a typed array; a hit on a copy older
 * than the origin's current version is marked stale on the request, with its age. Two store rules come
 * from the write policy (write-policy.ts): `ordered` — the cache is on the write path and keeps the newest
 * version, so a FILL or UPDATE older than the copy held is ignored; `leases` — Memcache leases (Nishtala
 * et al., NSDI 2013, §3.2.1): a GET that misses is granted a lease on the key (unless another unexpired
 * lease is out), a DELETE revokes it, and a FILL is stored only with the lease it was granted, so a slow
 * reader cannot install a value a write has since invalidated. A GET that misses while another request
 * holds the lease is told to wait and retry (F_WAIT; request-path.ts retries after `leaseRetry`), rather
 * than read the origin too: the other half of leases, which curbs thundering herds.
 *
 * GETs (and write-through SETs) belong to a request (the customer is its pool slot) and are answered over
 * the network to the request's gateway instance. FILLs, DELETEs and UPDATEs are fire-and-forget: the
 * customer is −(ticket + 1), a ticket of the command table (commands.ts).
 */
import type { EvictionPolicy } from '../policies/api.ts';
import type { Sampler } from '../sim/distributions.ts';
import type { Component, Engine } from '../sim/engine.ts';
import { QueueServer, type QueueStats } from '../sim/queue-server.ts';
import { OP_GET } from '../trace/api.ts';
import { CMD_DELETE, CMD_FILL, type Commands } from './commands.ts';
import type { Network } from './network.ts';
import { F_HIT, F_STALE, F_WAIT, type RequestPool } from './request-pool.ts';
import type { Versions } from './versions.ts';

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

/** How a node stores written and filled values; set by the write policy. */
export interface StoreRules {
  /** Ignore a FILL or UPDATE older than the copy held. */
  readonly ordered: boolean;
  /** Grant leases on misses and store only FILLs holding the key's lease. */
  readonly leases: boolean;
  /** How long a lease blocks new ones (ns). */
  readonly leaseTtl: number;
  /** How long a GET told to wait pauses before it asks again (ns). */
  readonly leaseRetry: number;
}

/** What nodes share: the command table, the versions, the store rules and the lease tokens. */
export interface NodeShared {
  readonly commands: Commands;
  readonly versions: Versions;
  readonly rules: StoreRules;
  /** The last lease token handed out (tokens are never 0). */
  lastToken: number;
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
  /** UPDATEs and write-through SETs executed. */
  updates = 0;
  /** FILLs and DELETEs (and UPDATEs, SETs) refused at the connection limit (lost). */
  dropped = 0;
  /** Hits on a copy older than the origin's version. */
  staleHits = 0;
  /** GETs told to wait for another request's lease. */
  leaseWaits = 0;
  /** FILLs and UPDATEs not stored: an older version than held, or a FILL without the key's lease. */
  ignored = 0;
  peakQueue = 0;
  /** Version of the copy of each key (meaningful while the policy holds the key). */
  private held: Uint32Array;
  /** Lease token out on each key (0: none), and when it stops blocking new leases (ns). */
  private lease: Uint32Array;
  private leaseUntil: Float64Array;
  private readonly leases: boolean;
  private readonly service: Sampler;
  private readonly perByte: number;
  replies: NodeReplies | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly pool: RequestPool,
    private readonly network: Network,
    private readonly gateways: GatewayPlaces,
    readonly policy: EvictionPolicy,
    private readonly shared: NodeShared,
    opts: CacheNodeOptions,
    keys: number,
  ) {
    this.held = new Uint32Array(keys);
    this.leases = shared.rules.leases;
    const leaseKeys = this.leases ? keys : 0;
    this.lease = new Uint32Array(leaseKeys);
    this.leaseUntil = new Float64Array(leaseKeys);
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
      service: { sample: (a) => this.execute(a) },
      onDone: { target: this.id, kind: DONE },
    });
  }

  /** Sends request `slot`'s GET to this node, arriving `delay` ns from now. */
  get(slot: number, delay: number): void {
    this.engine.schedule(delay, this.id, ARRIVE, slot, 0);
  }

  /** Sends request `slot`'s write (write-through, write-behind) to this node, arriving `delay` ns from now. */
  set(slot: number, delay: number): void {
    this.engine.schedule(delay, this.id, ARRIVE, slot, 0);
  }

  /** Sends the command of `ticket` (commands.ts), arriving `delay` ns from now. */
  command(ticket: number, delay: number): void {
    this.engine.schedule(delay, this.id, ARRIVE, -ticket - 1, 0);
  }

  reserve(keys: number): void {
    this.policy.reserve(keys);
    if (keys <= this.held.length) return;
    const held = new Uint32Array(keys);
    held.set(this.held);
    this.held = held;
    if (!this.leases) return;
    const lease = new Uint32Array(keys);
    lease.set(this.lease);
    this.lease = lease;
    const until = new Float64Array(keys);
    until.set(this.leaseUntil);
    this.leaseUntil = until;
  }

  handle(kind: number, a: number, b: number): void {
    if (kind === ARRIVE) {
      if (!this.server.arrive(a, b)) {
        if (a >= 0) {
          if (this.pool.op[a] === OP_GET) this.refused++;
          else this.dropped++;
          this.pool.flags[a] &= ~(F_HIT | F_STALE);
          this.reply(a, 0);
        } else {
          this.dropped++;
          this.shared.commands.release(-a - 1);
        }
      } else if (this.server.queueLength > this.peakQueue) this.peakQueue = this.server.queueLength;
    } else if (a >= 0) this.reply(a, this.pool.flags[a] & F_HIT ? this.pool.size[a] : 0);
    else this.shared.commands.release(-a - 1);
  }

  private reply(slot: number, bytes: number): void {
    const u = this.pool.upstream[slot];
    const d = this.network.delay(this.zone, this.host, this.gateways.zone[u], this.gateways.host[u], bytes);
    (this.replies as NodeReplies).nodeReplied(slot, d);
  }

  /** Runs a command as a worker picks it up; returns its service time (ns). */
  private execute(a: number): number {
    let bytes = 0;
    if (a >= 0) {
      const pool = this.pool;
      if (pool.op[a] === OP_GET) bytes = this.lookup(a);
      else {
        bytes = pool.size[a];
        this.updates++;
        this.store(pool.key[a], bytes, pool.version[a]);
      }
    } else {
      const c = this.shared.commands;
      const t = -a - 1;
      const key = c.key[t];
      const cmd = c.cmd[t];
      if (cmd === CMD_DELETE) {
        this.deletes++;
        this.policy.remove(key);
        if (this.leases) this.lease[key] = 0;
      } else {
        bytes = c.size[t];
        if (cmd === CMD_FILL) this.fills++;
        else this.updates++;
        if (cmd !== CMD_FILL || this.leased(key, c.token[t])) this.store(key, bytes, c.version[t]);
        else this.ignored++;
      }
    }
    const t = this.service.sample();
    return bytes === 0 || this.perByte === 0 ? t : t + Math.round(bytes * this.perByte);
  }

  /** A GET of request `slot`: hit or miss, stale or not, a lease on a miss. Returns the bytes carried. */
  private lookup(slot: number): number {
    const pool = this.pool;
    const p = this.policy;
    const key = pool.key[slot];
    const now = this.engine.now;
    this.gets++;
    if (p.contains(key) && p.access(key, pool.size[slot], now / 1000, -1)) {
      this.hits++;
      const v = this.held[key];
      pool.version[slot] = v;
      const versions = this.shared.versions;
      if (v < versions.current[key]) {
        this.staleHits++;
        pool.flags[slot] |= F_HIT | F_STALE;
        pool.age[slot] = versions.staleAge(key, v, now);
      } else {
        pool.flags[slot] = (pool.flags[slot] | F_HIT) & ~F_STALE;
      }
      return pool.size[slot];
    }
    pool.flags[slot] &= ~(F_HIT | F_STALE);
    if (!this.leases) return 0;
    if (this.lease[key] === 0 || now >= this.leaseUntil[key]) {
      if (pool.token[slot] === 0) pool.token[slot] = ++this.shared.lastToken;
      this.lease[key] = pool.token[slot];
      this.leaseUntil[key] = now + this.shared.rules.leaseTtl;
    } else if (this.lease[key] !== pool.token[slot]) {
      pool.flags[slot] |= F_WAIT;
      this.leaseWaits++;
    }
    return 0;
  }

  /** Whether a FILL with lease `token` may store `key` (always, without leases); uses the lease up. */
  private leased(key: number, token: number): boolean {
    if (!this.leases) return true;
    if (token === 0 || this.lease[key] !== token) return false;
    this.lease[key] = 0;
    return true;
  }

  /** Stores version `v` of `key`, unless the rules keep a newer copy already held. */
  private store(key: number, size: number, v: number): void {
    const p = this.policy;
    if (this.shared.rules.ordered && p.contains(key) && this.held[key] >= v) {
      this.ignored++;
      return;
    }
    p.access(key, size, this.engine.now / 1000, -1);
    this.held[key] = v;
  }

  stats(): QueueStats {
    return this.server.stats();
  }
}
