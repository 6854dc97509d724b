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
 * In a replicated tier (replication.ts) the node tells its `replicator` every write that changes what it
 * holds (a stored FILL, UPDATE or SET, a DELETE) and every GET's outcome; a replica applies its primary's
 * writes through replicate(), without worker time. A SET's acknowledgement leaves the node only once the replicas
 * the replication mode waits for have the write (sync, quorum: `ackAt`); when a partition holds replicas it
 * needs, the replication answers it instead (replication.ts served(): at the acknowledgement or the
 * client's timeout). A replica's full resync after a partition replaces its contents (resyncFrom).
 *
 * With TTLs (expiry.ts) each copy also has an expiry time: a GET finds an expired copy gone (a miss), or
 * within stale-while-revalidate's window serves it and starts one background refresh (refresh.ts), and
 * XFetch may make a GET of a live copy a miss to refresh it early.
 *
 * A node can crash and restart (faults/: the failure schedule; replication promotes a replica on a crash).
 * A crash loses what the node holds and every command in it or arriving while it is down: a GET or SET is
 * answered as an error once the client's timeout (`clientTimeout`, counted from when the gateway sent it)
 * has passed — the request path treats it as a miss, and the fill that follows is lost on the dead node —
 * and a FILL, DELETE or UPDATE is lost. Commands carry the node's epoch (its life number) through the
 * workers, so one that was inside the node when it crashed is not executed after a restart either. A
 * restart is cold (empty) or warm: a copy of another node's contents at that instant (a replica), or its
 * own contents as of the crash (what Redis reloads from its RDB/AOF files; writes it missed meanwhile make
 * those copies stale). A GET from a gateway the network has cut off from the node's zone (a partition) is
 * lost the same way.
 *
 * GETs (and write-through SETs) belong to a request (the customer is its pool slot) and are answered over
 * the network to the request's gateway instance. FILLs, DELETEs and UPDATEs are fire-and-forget: the
 * customer is −(ticket + 1), a ticket of the command table (commands.ts).
 */
import type { Histogram } from '../metrics/histogram.ts';
import type { EvictionPolicy } from '../policies/api.ts';
import type { Sampler } from '../sim/distributions.ts';
import type { Component, Engine } from '../sim/engine.ts';
import { QueueServer, type QueueStats } from '../sim/queue-server.ts';
import { OP_GET } from '../trace/api.ts';
import { CMD_DELETE, CMD_FILL, CMD_UPDATE, type Commands } from './commands.ts';
import { E_EARLY, E_LIVE, E_SERVE_REFRESH, type NodeExpiry } from './expiry.ts';
import type { Network } from './network.ts';
import type { Refresher } from './refresh.ts';
import { F_HIT, F_STALE, F_WAIT, type RequestPool } from './request-pool.ts';
import type { Versions } from './versions.ts';

const ARRIVE = 0;
const DONE = 1;
/** A GET or SET the node lost: its gateway gives up on it now. */
const TIMEOUT = 2;

/** Receives a node's answer to a GET, `delay` ns from now (the network leg included). */
export interface NodeReplies {
  nodeReplied(slot: number, delay: number): void;
}

/** A replicated tier's view of its nodes' writes and hits (replication.ts). */
export interface Replicator {
  /**
   * `node` has just applied a write: `cmd` CMD_DELETE, or CMD_FILL / CMD_UPDATE storing `version` of
   * `key` (a SET is an UPDATE, of request `slot`; −1 for the others). Returns when (ns) the write counts
   * as acknowledged by the replication: Infinity while a partition holds the replicas it needs.
   */
  wrote(node: CacheNode, cmd: number, key: number, size: number, version: number, slot: number): number;
  /**
   * `node`'s worker has finished (or a crash lost) request `slot`'s SET: true when the replication holds
   * its answer back (a partition), and will send it itself.
   */
  served(node: CacheNode, slot: number): boolean;
  /** `node` has just looked up request `slot`'s GET: hit (F_HIT, pool.version) or miss, as the pool says. */
  read(node: CacheNode, slot: number): void;
}

export interface CacheNodeOptions {
  readonly name: string;
  readonly zone: number;
  readonly host: number;
  readonly threads: number;
  readonly maxConnections: number;
  readonly service: Sampler;
  readonly perByte: number;
  /** An empty policy of the node's kind, for a restart (each call a new one). */
  readonly newPolicy: () => EvictionPolicy;
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
  /**
   * Ideal invalidation (ideal-invalidation.ts): refuse a FILL, UPDATE or replicated write of a version
   * older than the origin's current one, which a real system cannot know.
   */
  readonly fresh: boolean;
}

/** What nodes share: the command table, the versions, the store rules and the lease tokens. */
export interface NodeShared {
  readonly commands: Commands;
  readonly versions: Versions;
  readonly rules: StoreRules;
  /** The last lease token handed out (tokens are never 0). */
  lastToken: number;
  /** How long a gateway waits for a node that does not answer (down, or cut off) before giving up (ns). */
  readonly clientTimeout: number;
  /**
   * DELETEs and UPDATEs of written keys executed, and the time from the origin's commit of the version
   * each carries to its execution (invalidation-summary.ts; the Kafka bus keeps its own).
   */
  invalidationsApplied: number;
  readonly invalidationLag: Histogram;
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
  /** GETs and SETs answered as errors after the client's timeout because the node was down. */
  errors = 0;
  /** GETs and SETs lost because the network cut their gateway off from the node (a partition). */
  unreachable = 0;
  /** FILLs, DELETEs and UPDATEs lost in a crash or sent while the node was down. */
  lost = 0;
  peakQueue = 0;
  /** What the node holds; replaced by a crash (contents lost) and by a restart. */
  policy: EvictionPolicy;
  private alive = true;
  /** Lives so far: a command that entered the node in an earlier life is lost, not executed. */
  private epoch = 0;
  /** The contents held when the node crashed, for a warm restart from its own files. */
  private frozen: EvictionPolicy | null = null;
  /** Size of the copy of each key (meaningful while the policy holds the key), for warm copies. */
  private sizes: Uint32Array;
  private readonly newPolicy: () => EvictionPolicy;
  private readonly listeners: ((node: CacheNode, up: boolean, now: number) => void)[] = [];
  /** Version of the copy of each key (meaningful while the policy holds the key). */
  private held: Uint32Array;
  /** Lease token out on each key (0: none), and when it stops blocking new leases (ns). */
  private lease: Uint32Array;
  private leaseUntil: Float64Array;
  private readonly leases: boolean;
  private readonly service: Sampler;
  private readonly perByte: number;
  replies: NodeReplies | null = null;
  /** Set in a replicated tier. */
  replicator: Replicator | null = null;
  /** TTLs of the copies held (expiry.ts) and where stale-while-revalidate refreshes go; null: no TTLs. */
  expiry: NodeExpiry | null = null;
  refresher: Refresher | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly pool: RequestPool,
    private readonly network: Network,
    private readonly gateways: GatewayPlaces,
    policy: EvictionPolicy,
    private readonly shared: NodeShared,
    opts: CacheNodeOptions,
    keys: number,
  ) {
    this.policy = policy;
    this.newPolicy = opts.newPolicy;
    this.held = new Uint32Array(keys);
    this.sizes = new Uint32Array(keys);
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
      service: { sample: (a, life) => (life === this.epoch ? this.execute(a) : 0) },
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

  /** Stores version 0 of `key` now, outside any request: a warm start (preload.ts). */
  preload(key: number, size: number): void {
    this.store(key, size, 0);
  }

  /** Sends the command of `ticket` (commands.ts), arriving `delay` ns from now. */
  command(ticket: number, delay: number): void {
    this.engine.schedule(delay, this.id, ARRIVE, -ticket - 1, 0);
  }

  reserve(keys: number): void {
    this.policy.reserve(keys);
    this.frozen?.reserve(keys);
    this.expiry?.reserve(keys);
    if (keys <= this.held.length) return;
    const held = new Uint32Array(keys);
    held.set(this.held);
    this.held = held;
    const sizes = new Uint32Array(keys);
    sizes.set(this.sizes);
    this.sizes = sizes;
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
      if (!this.alive) this.lose(a);
      else if (a >= 0 && this.cutOff(a)) {
        this.unreachable++;
        this.timeOut(a);
      } else if (!this.server.arrive(a, this.epoch)) {
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
    } else if (kind === TIMEOUT) (this.replies as NodeReplies).nodeReplied(a, 0);
    else if (a >= 0 && this.pool.op[a] !== OP_GET && this.replicator?.served(this, a)) return;
    else if (b !== this.epoch) this.lose(a);
    else if (a >= 0) {
      const pool = this.pool;
      const wait = pool.op[a] === OP_GET ? 0 : Math.max(0, pool.ackAt[a] - this.engine.now);
      this.reply(a, pool.flags[a] & F_HIT ? pool.size[a] : 0, wait);
    } else this.shared.commands.release(-a - 1);
  }

  get up(): boolean {
    return this.alive;
  }

  /** Tells `fn` whenever the node crashes (up false) or restarts (up true). */
  onStateChange(fn: (node: CacheNode, up: boolean, now: number) => void): void {
    this.listeners.push(fn);
  }

  /** The node dies now: its contents and every command in it are lost; later ones too, until restart(). */
  crash(now: number): void {
    if (!this.alive) return;
    this.alive = false;
    this.epoch++;
    this.frozen = this.policy;
    this.policy = this.fresh();
    for (const fn of this.listeners) fn(this, false, now);
  }

  /**
   * The node comes back now: empty (`warmFrom` null), with its own contents as of the crash (`warmFrom`
   * is this node), or with a copy of `warmFrom`'s contents at this instant, stored in key-id order (the
   * recency order of a bulk load, such as an RDB transfer, is the loader's, not the clients').
   */
  restart(now: number, warmFrom: CacheNode | null): void {
    if (this.alive) return;
    this.alive = true;
    if (warmFrom === this) this.policy = this.frozen as EvictionPolicy;
    else if (warmFrom !== null) this.copyFrom(warmFrom);
    this.frozen = null;
    if (this.leases) this.lease.fill(0);
    for (const fn of this.listeners) fn(this, true, now);
  }

  private fresh(): EvictionPolicy {
    const p = this.newPolicy();
    p.reserve(this.held.length);
    return p;
  }

  private copyFrom(from: CacheNode): void {
    const keys = Math.min(this.held.length, from.held.length);
    for (let k = 0; k < keys; k++) {
      if (!from.policy.contains(k)) continue;
      this.put(k, from.sizes[k], from.held[k]);
      // A copy keeps its expiry time, as an RDB transfer keeps absolute expiry times.
      if (this.expiry !== null && from.expiry !== null) this.expiry.copy(k, from.expiry);
    }
  }

  /** Whether the network cuts request `slot`'s gateway off from this node now. */
  private cutOff(slot: number): boolean {
    return (
      this.network.partitioned && this.network.isCut(this.gateways.zone[this.pool.upstream[slot]], this.zone)
    );
  }

  /** A command the node lost: a GET or SET times out at its gateway, a FILL, DELETE or UPDATE is gone. */
  private lose(a: number): void {
    if (a >= 0) {
      this.errors++;
      this.timeOut(a);
    } else {
      this.lost++;
      this.shared.commands.release(-a - 1);
    }
  }

  /** Request `slot`'s GET or SET gets no answer: its gateway gives up `clientTimeout` after sending it. */
  private timeOut(slot: number): void {
    this.pool.flags[slot] &= ~(F_HIT | F_STALE | F_WAIT);
    this.engine.schedule(Math.max(0, this.deadline(slot) - this.engine.now), this.id, TIMEOUT, slot, 0);
  }

  /** When request `slot`'s gateway gives up on this node (ns): `clientTimeout` after sending to it. */
  deadline(slot: number): number {
    return this.pool.sent[slot] + this.shared.clientTimeout;
  }

  /** Request `slot`'s SET, held back by the replication, is acknowledged: the answer leaves in `wait` ns. */
  acknowledge(slot: number, wait: number): void {
    this.reply(slot, 0, wait);
  }

  /** Request `slot`'s gateway gives up on its SET now (the replication held it past the timeout). */
  giveUp(slot: number): void {
    this.pool.flags[slot] &= ~(F_HIT | F_STALE | F_WAIT);
    (this.replies as NodeReplies).nodeReplied(slot, 0);
  }

  private reply(slot: number, bytes: number, wait = 0): void {
    const u = this.pool.upstream[slot];
    const d = this.network.delay(this.zone, this.host, this.gateways.zone[u], this.gateways.host[u], bytes);
    (this.replies as NodeReplies).nodeReplied(slot, wait + d);
  }

  /** Counts a DELETE or UPDATE of version `v` of `key` taking effect now, with its lag from the commit. */
  private invalidated(key: number, v: number): void {
    const s = this.shared;
    s.invalidationsApplied++;
    const at = s.versions.appliedAt(key, v);
    if (at >= 0) s.invalidationLag.record(this.engine.now - at);
  }

  /** Runs a command as a worker picks it up; returns its service time (ns). */
  private execute(a: number): number {
    let bytes = 0;
    if (a >= 0) {
      const pool = this.pool;
      if (pool.op[a] === OP_GET) {
        bytes = this.lookup(a);
        this.replicator?.read(this, a);
      } else {
        bytes = pool.size[a];
        this.updates++;
        const key = pool.key[a];
        const stored = this.store(key, bytes, pool.version[a]);
        const r = this.replicator;
        pool.ackAt[a] = stored && r !== null ? r.wrote(this, CMD_UPDATE, key, bytes, pool.version[a], a) : 0;
      }
    } else {
      const c = this.shared.commands;
      const t = -a - 1;
      const key = c.key[t];
      const cmd = c.cmd[t];
      if (cmd !== CMD_FILL) this.invalidated(key, c.version[t]);
      if (cmd === CMD_DELETE) {
        this.deletes++;
        this.drop(key);
        this.replicator?.wrote(this, CMD_DELETE, key, 0, c.version[t], -1);
      } else {
        bytes = c.size[t];
        if (cmd === CMD_FILL) this.fills++;
        else this.updates++;
        if (cmd !== CMD_FILL || this.leased(key, c.token[t])) {
          if (this.store(key, bytes, c.version[t]))
            this.replicator?.wrote(this, cmd, key, bytes, c.version[t], -1);
        } else this.ignored++;
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
    const verdict = this.expiry === null ? E_LIVE : this.expiry.check(key, now, p);
    if (verdict !== E_EARLY && p.contains(key) && p.access(key, pool.size[slot], now / 1000, -1)) {
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
      if (verdict === E_SERVE_REFRESH) {
        const r = (this.refresher as Refresher).start(slot);
        if (this.leases && this.leaseFree(key, now)) this.grant(key, r, now);
      }
      return pool.size[slot];
    }
    pool.flags[slot] &= ~(F_HIT | F_STALE);
    if (!this.leases) return 0;
    if (this.leaseFree(key, now)) this.grant(key, slot, now);
    else if (this.lease[key] !== pool.token[slot]) {
      pool.flags[slot] |= F_WAIT;
      this.leaseWaits++;
    }
    return 0;
  }

  /** Whether no lease on `key` blocks a new one at `now`: none out, or the one out has timed out. */
  private leaseFree(key: number, now: number): boolean {
    return this.lease[key] === 0 || now >= this.leaseUntil[key];
  }

  /** Grants request `slot` (a new token unless it holds one) the lease on `key`. */
  private grant(key: number, slot: number, now: number): void {
    const pool = this.pool;
    if (pool.token[slot] === 0) pool.token[slot] = ++this.shared.lastToken;
    this.lease[key] = pool.token[slot];
    this.leaseUntil[key] = now + this.shared.rules.leaseTtl;
  }

  /** Whether a FILL with lease `token` may store `key` (always, without leases); uses the lease up. */
  private leased(key: number, token: number): boolean {
    if (!this.leases) return true;
    if (token === 0 || this.lease[key] !== token) return false;
    this.lease[key] = 0;
    return true;
  }

  /** Stores version `v` of `key`, unless the rules keep a newer copy already held; says whether it did. */
  private store(key: number, size: number, v: number): boolean {
    const p = this.policy;
    if (
      (this.shared.rules.ordered && p.contains(key) && this.held[key] >= v) ||
      (this.shared.rules.fresh && v < this.shared.versions.current[key])
    ) {
      this.ignored++;
      return false;
    }
    this.put(key, size, v);
    return true;
  }

  private put(key: number, size: number, v: number): void {
    this.policy.access(key, size, this.engine.now / 1000, -1);
    this.held[key] = v;
    this.sizes[key] = size;
    this.expiry?.stored(key, this.engine.now);
  }

  /**
   * Applies a write of this replica's primary (replication.ts) now, taking no worker time: the lag
   * distribution covers the stream's transfer and apply, and the primary already applied the order and
   * lease rules, so the write is copied as it is.
   */
  replicate(cmd: number, key: number, size: number, version: number): void {
    if (cmd === CMD_DELETE) {
      this.deletes++;
      this.drop(key);
      return;
    }
    if (cmd === CMD_FILL) this.fills++;
    else this.updates++;
    if (this.shared.rules.fresh && version < this.shared.versions.current[key]) return;
    this.put(key, size, version);
  }

  /**
   * Replaces what this replica holds with a copy of `from`'s contents now, as a full resync loads its
   * primary's RDB (replication.ts).
   */
  resyncFrom(from: CacheNode): void {
    this.policy = this.fresh();
    this.copyFrom(from);
  }

  /** Drops `key` at once, taking no worker time: ideal invalidation at the origin's commit. */
  dropNow(key: number): void {
    if (this.policy.contains(key)) this.drop(key);
  }

  /** Removes `key`'s copy and revokes any lease out on it. */
  private drop(key: number): void {
    this.policy.remove(key);
    if (this.leases) this.lease[key] = 0;
  }

  stats(): QueueStats {
    return this.server.stats();
  }
}
