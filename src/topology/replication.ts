/**
 * Replication inside a cache tier: each shard is a primary and `replicas` replicas (Redis primary–replica
 * replication; quorum after Dynamo, DeCandia et al., SOSP 2007). Writes (FILL, DELETE, UPDATE, SET) go to
 * the shard's primary; every write that changes what the primary holds enters the shard's replication
 * stream at a position (1, 2, …) and reaches each replica a sampled `lag` later, in stream order (a
 * replica applies a write no earlier than the one before it, as a TCP stream does). A replica applies it
 * at once, without worker time (cache-node.ts replicate()).
 *
 * Modes: `async` (Redis' default) acknowledges a write when the primary applies it; `sync` once every
 * replica that is up has applied it (Redis' WAIT for all); `quorum` once W copies have, the primary
 * counting as one; `ideal` applies it on every replica in the same instant and promotes at once (the
 * design document's "instant, lossless replication"). Only a SET (write-through, write-behind) has a
 * client waiting: its answer leaves the primary at the acknowledgement. Fire-and-forget FILLs and DELETEs
 * are acknowledged just the same for the counts below.
 *
 * Reads (read-routing.ts) ask one copy, or R copies under quorum (quorum-reads.ts), which take the answer
 * of the one furthest along the stream: with W + R > N that copy has every acknowledged write. Each node
 * tells read() the outcome of every GET it looked up. `staleReads` counts the hits answered from a copy
 * that had not applied the key's last write although it was acknowledged, and holds an older version than
 * that write stored (or, a DELETE, wrote at the origin): staleness that the replication, not the
 * cache-aside race, caused (the versions machinery counts every stale hit).
 *
 * Failures: when a copy goes down (CacheNode.crash), the stream to and from it stops: writes not yet
 * applied on a replica never will be. `promotionDelay` later (failure detection) the copy is marked down,
 * and if it was its shard's primary the replica furthest along the stream is promoted (Redis Cluster
 * elects the replica with the best replication offset). Writes the old primary had acknowledged but the
 * promoted replica had not applied are lost (`lostWrites`; FILLs are counted apart, in `lostFills`, as
 * losing one costs a miss, not a write). As acknowledgements follow stream order, the acknowledged writes
 * are a prefix of the stream, and with W ≥ 2 the promoted replica always holds them: sync and quorum lose
 * none. The other replicas follow the new primary from its position on (our simplification: no partial
 * resync, so writes they missed stay missed). A copy that comes back rejoins as a replica at the current
 * position, with what its restart gave it.
 *
 * Between a primary's crash and the promotion its shard takes no writes: every FILL, DELETE, UPDATE and
 * SET sent to it meanwhile is lost on the dead node (cache-node.ts) — a SET's client is answered only at
 * the client's timeout, the origin having committed it — and counted in `writesToDownPrimary`. A DELETE
 * lost so leaves the promoted replica serving the old value: stale reads after the failover. Reads avoid
 * a dead copy once it is marked down (here, or earlier by the gateways' health checks: read-routing.ts).
 * Once a gateway's health checks have marked a shard's primary down, that gateway sends it nothing more
 * (request-path.ts): a SET fails at once (`writesRejected`, as a cluster client's connection refused or
 * CLUSTERDOWN, behind a circuit breaker) and FILLs, DELETEs and UPDATEs are not sent (`writesWithheld`).
 *
 * Partitions (faults/partition.ts): while a replica's zone is cut from its primary's, the stream to it is
 * held, as Redis' replication link is down: the writes are neither applied nor acknowledged by it
 * (`heldWrites`, one per write and replica). A SET whose mode needs more acknowledgements than the
 * replicas it reaches can give (sync: every replica that is up; quorum: W copies) waits
 * (`writesBlocked`): it is acknowledged when enough held replicas have caught up, the first to catch up
 * counting, or, if that is not before the client's timeout, the client gets the timeout (`writesTimedOut`)
 * as from a dead primary. At the heal a replica resyncs: partially (Redis' PSYNC from the primary's
 * backlog) when the held writes' bytes (their values', as on the network) fit `backlog` (Redis'
 * repl-backlog-size, default 1 MiB) — the held writes then reach it in stream order, each a sampled lag
 * after the heal (their `lagMs` counts from the primary's apply, across the partition) — else fully: one
 * lag after the heal it replaces its contents with a copy of the primary's at that instant (the RDB
 * transfer taken as one lag; writes made meanwhile are in the copy). Reads that a routing `any` or
 * `nearest` sends to a held replica serve its old data, counted in `staleReads` like any lag (under sync
 * the held writes are not acknowledged, so they are not counted). A partition between the gateways and a
 * primary does not cut its stream; `ideal` replication ignores partitions (it is the lossless bound).
 * Out of scope: promotion across a partition (split brain: Redis Cluster's minority side stops taking
 * writes, its majority promotes) — a primary is replaced only when it crashes. Simplifications: a held
 * replica that crashes or a primary that is replaced leaves the SETs blocked on it to time out; a new
 * cut while a full resync is on its way postpones the copy to the next heal.
 */

import { Histogram } from '../metrics/histogram.ts';
import { resized } from '../policies/arrays.ts';
import type { Sampler } from '../sim/distributions.ts';
import type { Component, Engine } from '../sim/engine.ts';
import type { CacheNode, Replicator } from './cache-node.ts';
import { CMD_FILL, type Commands, valueBytes } from './commands.ts';
import type { Network } from './network.ts';
import type { QuorumReads } from './quorum-reads.ts';
import { F_HIT, type RequestPool } from './request-pool.ts';

const APPLY = 0;
const DETECT = 1;
/** A replica's full resync lands: it takes its primary's contents. */
const RESYNC = 2;
/** A blocked SET's client gives up. */
const DEADLINE = 3;
/** A replica's stream: flowing, held (its writes kept for a partial resync), overflowed, resyncing. */
const FLOWING = 0;
const HELD = 1;
const OVERFLOWED = 2;
const RESYNCING = 3;
/** Events carry epoch · COPIES + copy in their `b`. */
const COPIES = 1 << 20;

export type ReplicationMode = 'async' | 'sync' | 'quorum' | 'ideal';

export interface ReplicationParts {
  readonly engine: Engine;
  readonly commands: Commands;
  readonly pool: RequestPool;
  readonly tier: string;
  readonly mode: ReplicationMode;
  /** copies[s · perShard + c]: copy c of shard s; copy 0 is the first primary. */
  readonly copies: readonly CacheNode[];
  readonly perShard: number;
  /** Copies a write waits for, the primary included (1: async). */
  readonly w: number;
  /** null for ideal. */
  readonly lag: Sampler | null;
  /** ns; 0 for ideal. */
  readonly promotionDelay: number;
  /** For the result: read-routing.ts routes the reads. */
  readonly readFrom: string;
  /** Which zone pairs a partition cuts. */
  readonly network: Network;
  /** Bytes of held writes a replica can catch up on partially (repl-backlog-size). */
  readonly backlog: number;
}

/** What the partitions did to a tier's replication streams. */
export interface PartitionStats {
  heldWrites: number;
  writesBlocked: number;
  writesTimedOut: number;
  partialResyncs: number;
  fullResyncs: number;
}

/** A client's SET whose acknowledgement waits on replicas a partition holds. */
interface Blocked {
  readonly slot: number;
  /** The slot's generation (request-pool.ts): a timer for it ignores a later request in the slot. */
  readonly gen: number;
  readonly node: CacheNode;
  /** The node's worker has finished it (served()): the answer may leave. */
  served: boolean;
  readonly shard: number;
  /** Its position on the shard's stream. */
  readonly pos: number;
  /** Acknowledgements still missing (Infinity: none can come, the stream it was on is gone). */
  missing: number;
  /** The latest acknowledgement so far (ns). */
  ackAt: number;
  /** When its client gives up (ns). */
  readonly deadline: number;
}

export interface ReplicationStats {
  mode: ReplicationMode;
  replicas: number;
  readFrom: string;
  /** Writes the primaries put on their streams. */
  replicated: number;
  /** From a primary applying a write to each replica applying it, as scheduled (ns). */
  lag: Histogram;
  promotions: number;
  lostWrites: number;
  lostFills: number;
  staleReads: number;
  writesToDownPrimary: number;
  /** Present once a gateway's health checks have marked a copy of the tier down. */
  rejections: { writesRejected: number; writesWithheld: number } | null;
  /** Present once a partition has been in force. */
  partition: PartitionStats | null;
}

export class Replication implements Component, Replicator {
  readonly id: number;
  readonly copies: readonly CacheNode[];
  readonly perShard: number;
  /** Copy (global index) that is each shard's primary. */
  readonly primary: Int32Array;
  /** Stream position each copy has applied, and how many of those were writes (not FILLs). */
  readonly applied: Float64Array;
  private readonly appliedWrites: Float64Array;
  /** When the last write sent to each replica is applied (ns): the stream's order. */
  private readonly tail: Float64Array;
  /** Bumped when a copy goes down or comes back: its stream events in flight are then dropped. */
  private readonly epoch: Uint32Array;
  /** Marked down after the detection delay; read routing avoids it. */
  readonly markedDown: Uint8Array;
  /** Writes acknowledged on each shard when its primary went down. */
  private readonly ackedWritesAtCrash: Float64Array;
  private readonly ackedFillsAtCrash: Float64Array;
  /** Global copy index of each node, by engine component id (−1: not a copy). */
  private readonly copyOf: Int32Array;
  /** Stream position of each key's last write, and the version it stored or (a DELETE) wrote. */
  private lastWrite: Float64Array;
  private lastVersion: Uint32Array;
  private readonly scratch: Float64Array;
  private readonly order: Int32Array;
  replicated = 0;
  promotions = 0;
  lostWrites = 0;
  lostFills = 0;
  staleReads = 0;
  /** Writes (FILLs included) sent to a shard whose primary was down and not yet replaced (lost on it). */
  writesToDownPrimary = 0;
  /** SETs a gateway failed at once, and FILLs, DELETEs, UPDATEs it did not send: the primary was marked down. */
  writesRejected = 0;
  writesWithheld = 0;
  /** Set once a gateway's health checks mark a copy down (the result then shows the two counts above). */
  gatewayMarks = false;
  readonly lag = new Histogram();
  /** Set when reads ask R > 1 copies: it takes the answers (quorum-reads.ts). */
  quorum: QuorumReads | null = null;
  /** Each copy's stream state (FLOWING, HELD, …), and from which stream position it is held. */
  private readonly holding: Uint8Array;
  private readonly heldFrom: Float64Array;
  private readonly heldBytes: Float64Array;
  /** Per replica while HELD: the held writes' command tickets and when the primary applied each (ns). */
  private readonly heldTickets: number[][];
  private readonly heldAt: number[][];
  /** By request slot: a request's SET reaches one node of the tier. */
  private readonly blocked = new Map<number, Blocked>();
  /** Null until a partition has been in force. */
  private partition: PartitionStats | null = null;

  constructor(
    private readonly parts: ReplicationParts,
    keys: number,
  ) {
    const { engine, copies, perShard } = parts;
    this.copies = copies;
    this.perShard = perShard;
    const n = copies.length;
    const shards = n / perShard;
    this.primary = Int32Array.from({ length: shards }, (_, s) => s * perShard);
    this.applied = new Float64Array(n);
    this.appliedWrites = new Float64Array(n);
    this.tail = new Float64Array(n);
    this.epoch = new Uint32Array(n);
    this.markedDown = new Uint8Array(n);
    this.ackedWritesAtCrash = new Float64Array(shards);
    this.ackedFillsAtCrash = new Float64Array(shards);
    this.holding = new Uint8Array(n);
    this.heldFrom = new Float64Array(n);
    this.heldBytes = new Float64Array(n);
    this.heldTickets = Array.from({ length: n }, () => []);
    this.heldAt = Array.from({ length: n }, () => []);
    this.copyOf = new Int32Array(Math.max(...copies.map((c) => c.id)) + 1).fill(-1);
    copies.forEach((c, i) => {
      this.copyOf[c.id] = i;
      c.replicator = this;
      c.onStateChange((node, up, now) => this.stateChanged(node, up, now));
    });
    this.lastWrite = new Float64Array(keys);
    this.lastVersion = new Uint32Array(keys);
    this.scratch = new Float64Array(perShard);
    this.order = new Int32Array(perShard);
    this.id = engine.register(this, `${parts.tier} (replication)`);
  }

  reserve(keys: number): void {
    if (keys <= this.lastWrite.length) return;
    this.lastWrite = resized(this.lastWrite, keys);
    this.lastVersion = resized(this.lastVersion, keys);
  }

  /** The copy that takes shard `s`'s writes now: its primary, even while that is down (not yet replaced). */
  writeTarget(s: number): CacheNode {
    const node = this.copies[this.primary[s]];
    if (!node.up) this.writesToDownPrimary++;
    return node;
  }

  /** The global copy index of `node`, one of this tier's copies. */
  copyIndex(node: CacheNode): number {
    return this.copyOf[node.id];
  }

  wrote(node: CacheNode, cmd: number, key: number, size: number, version: number, slot: number): number {
    const now = this.parts.engine.now;
    const c = this.copyOf[node.id];
    const s = (c / this.perShard) | 0;
    // A write reaching a copy that is no longer its shard's primary is not replicated.
    if (c < 0 || this.primary[s] !== c) return now;
    const pos = ++this.applied[c];
    if (cmd !== CMD_FILL) this.appliedWrites[c]++;
    this.lastWrite[key] = pos;
    this.lastVersion[key] = version;
    this.replicated++;
    const { engine, commands, lag, network } = this.parts;
    const bytes = valueBytes(cmd, size);
    let m = 0;
    let held = 0;
    for (let r = s * this.perShard; r < (s + 1) * this.perShard; r++) {
      const to = this.copies[r];
      if (r === c || !to.up) continue;
      if (
        lag !== null &&
        (this.holding[r] !== FLOWING || (network.partitioned && network.isCut(node.zone, to.zone)))
      ) {
        this.hold(r, pos, cmd, key, size, version, now);
        held++;
        continue;
      }
      network.count(node.zone, node.host, to.zone, to.host, bytes);
      if (lag === null) {
        this.apply(r, cmd, key, size, version);
        this.lag.record(0);
        continue;
      }
      const at = Math.max(now + lag.sample(), this.tail[r]);
      this.tail[r] = at;
      this.lag.record(at - now);
      const t = commands.alloc(cmd, key, size, version, 0);
      engine.schedule(at - now, this.id, APPLY, t, this.epoch[r] * COPIES + r);
      this.scratch[m++] = at;
    }
    // Acknowledgements the write waits for beyond the primary's, of the replicas reached or held.
    const needed = Math.min(this.parts.w - 1, m + held);
    if (needed <= m) return this.ackTime(m, now);
    if (slot >= 0) this.block(slot, node, s, pos, needed - m, m, now);
    return Number.POSITIVE_INFINITY;
  }

  /** Replica `r`'s stream is held: keeps the write at `pos` for a partial resync while the backlog holds it. */
  private hold(
    r: number,
    pos: number,
    cmd: number,
    key: number,
    size: number,
    version: number,
    now: number,
  ): void {
    const p = this.partition as PartitionStats;
    p.heldWrites++;
    if (this.holding[r] === FLOWING) {
      this.holding[r] = HELD;
      this.heldFrom[r] = pos;
      this.heldBytes[r] = 0;
    }
    if (this.holding[r] !== HELD) return;
    this.heldBytes[r] += valueBytes(cmd, size);
    if (this.heldBytes[r] > this.parts.backlog) {
      // Out of the backlog: a partial resync is no longer possible.
      this.drop(r);
      this.holding[r] = OVERFLOWED;
      return;
    }
    this.heldTickets[r].push(this.parts.commands.alloc(cmd, key, size, version, 0));
    this.heldAt[r].push(now);
  }

  /** Forgets replica `r`'s held writes. */
  private drop(r: number): void {
    const c = this.parts.commands;
    for (const t of this.heldTickets[r]) c.release(t);
    this.heldTickets[r].length = 0;
    this.heldAt[r].length = 0;
  }

  /**
   * Request `slot`'s SET, at `pos` on shard `s`'s stream, lacks `missing` acknowledgements that held
   * replicas must give; the `m` replicas reached apply it at scratch[0..m). It is answered once its
   * node's worker has finished it (served()) and they have come, or at its client's timeout.
   */
  private block(
    slot: number,
    node: CacheNode,
    s: number,
    pos: number,
    missing: number,
    m: number,
    now: number,
  ): void {
    let ackAt = now;
    for (let i = 0; i < m; i++) if (this.scratch[i] > ackAt) ackAt = this.scratch[i];
    const gen = this.parts.pool.gen[slot];
    const deadline = node.deadline(slot);
    this.blocked.set(slot, { slot, gen, node, served: false, shard: s, pos, missing, ackAt, deadline });
    (this.partition as PartitionStats).writesBlocked++;
  }

  /**
   * `node`'s worker has finished request `slot`'s SET (or lost it in a crash). Returns false unless the
   * SET is blocked here; then its answer leaves now if acknowledged, else at the acknowledgement or the
   * client's timeout, whichever comes first.
   */
  served(node: CacheNode, slot: number): boolean {
    if (this.blocked.size === 0) return false;
    const b = this.blocked.get(slot);
    if (b === undefined || b.node !== node) return false;
    b.served = true;
    const now = this.parts.engine.now;
    if (b.missing <= 0 && b.ackAt <= b.deadline) {
      this.blocked.delete(slot);
      node.acknowledge(slot, Math.max(0, b.ackAt - now));
    } else this.parts.engine.schedule(Math.max(0, b.deadline - now), this.id, DEADLINE, slot, b.gen);
    return true;
  }

  /**
   * A replica of shard `s`, held from stream position `from` on, applies the write at `from + i` at
   * times[i], or every one from `from` on at `all` (a full resync; times null): the SETs blocked on its
   * acknowledgement that now have all they need are answered.
   */
  private caughtUp(s: number, from: number, times: readonly number[] | null, all: number): void {
    const now = this.parts.engine.now;
    for (const [slot, b] of this.blocked) {
      if (b.shard !== s || b.pos < from) continue;
      let at = all;
      if (times !== null) {
        if (b.pos - from >= times.length) continue;
        at = times[b.pos - from];
      }
      if (at > b.ackAt) b.ackAt = at;
      if (--b.missing > 0 || b.ackAt > b.deadline || !b.served) continue;
      this.blocked.delete(slot);
      b.node.acknowledge(slot, b.ackAt - now);
    }
  }

  /** The network's partitions changed: a partition begins to count, and held replicas no longer cut resync. */
  networkChanged(): void {
    if (this.partition === null)
      this.partition = {
        heldWrites: 0,
        writesBlocked: 0,
        writesTimedOut: 0,
        partialResyncs: 0,
        fullResyncs: 0,
      };
    const net = this.parts.network;
    for (let r = 0; r < this.copies.length; r++) {
      const state = this.holding[r];
      if (state !== HELD && state !== OVERFLOWED) continue;
      const s = (r / this.perShard) | 0;
      if (net.isCut(this.copies[this.primary[s]].zone, this.copies[r].zone)) continue;
      if (state === HELD) this.resyncPartially(s, r);
      else this.startFullResync(r);
    }
  }

  /** Replica `r` of shard `s` gets its held writes from the backlog, in stream order, each a lag from now. */
  private resyncPartially(s: number, r: number): void {
    const { engine, lag, commands, network } = this.parts;
    const now = engine.now;
    const tickets = this.heldTickets[r];
    const wroteAt = this.heldAt[r];
    const times: number[] = [];
    const from = this.copies[this.primary[s]];
    const to = this.copies[r];
    for (let i = 0; i < tickets.length; i++) {
      const t = tickets[i];
      network.count(from.zone, from.host, to.zone, to.host, valueBytes(commands.cmd[t], commands.size[t]));
      const at = Math.max(now + (lag as Sampler).sample(), this.tail[r]);
      this.tail[r] = at;
      this.lag.record(at - wroteAt[i]);
      engine.schedule(at - now, this.id, APPLY, t, this.epoch[r] * COPIES + r);
      times.push(at);
    }
    tickets.length = 0;
    wroteAt.length = 0;
    this.holding[r] = FLOWING;
    (this.partition as PartitionStats).partialResyncs++;
    this.caughtUp(s, this.heldFrom[r], times, 0);
  }

  /** Replica `r` is too far behind: it takes a copy of its primary's contents a lag from now. */
  private startFullResync(r: number): void {
    const { engine, lag } = this.parts;
    const at = Math.max(engine.now + (lag as Sampler).sample(), this.tail[r]);
    this.holding[r] = RESYNCING;
    engine.schedule(at - engine.now, this.id, RESYNC, 0, this.epoch[r] * COPIES + r);
  }

  /** Replica `r`'s full resync lands now, unless a new cut holds it again. */
  private resyncFully(r: number): void {
    const s = (r / this.perShard) | 0;
    const p = this.primary[s];
    if (this.parts.network.isCut(this.copies[p].zone, this.copies[r].zone)) {
      this.holding[r] = OVERFLOWED;
      return;
    }
    const from = this.copies[p];
    const to = this.copies[r];
    // The copy travels as one transfer of everything the primary holds (an RDB snapshot).
    this.parts.network.count(from.zone, from.host, to.zone, to.host, from.policy.used);
    to.resyncFrom(from);
    this.follow(r, p, this.parts.engine.now);
    (this.partition as PartitionStats).fullResyncs++;
    this.caughtUp(s, this.heldFrom[r], null, this.parts.engine.now);
  }

  /** Replica `r` applies its primary's `cmd` now: one more position along the stream. */
  private apply(r: number, cmd: number, key: number, size: number, version: number): void {
    this.copies[r].replicate(cmd, key, size, version);
    this.applied[r]++;
    if (cmd !== CMD_FILL) this.appliedWrites[r]++;
  }

  /** When the write whose replicas apply at scratch[0..m) is acknowledged: after W − 1 of them. */
  private ackTime(m: number, now: number): number {
    const need = Math.min(this.parts.w - 1, m);
    if (need <= 0) return now;
    const a = this.scratch;
    // Insertion sort: a handful of replicas.
    for (let i = 1; i < m; i++) {
      const x = a[i];
      let j = i - 1;
      while (j >= 0 && a[j] > x) a[j + 1] = a[j--];
      a[j + 1] = x;
    }
    return a[need - 1];
  }

  read(node: CacheNode, slot: number): void {
    const c = this.copyOf[node.id];
    const pool = this.parts.pool;
    const stale = (pool.flags[slot] & F_HIT) !== 0 && this.lagging(c, pool.key[slot], pool.version[slot]);
    if (this.quorum !== null) this.quorum.looked(slot, this.applied[c], stale);
    else if (stale) this.staleReads++;
  }

  /** Whether copy `c`, holding `version` of `key`, lacks the key's last acknowledged write. */
  private lagging(c: number, key: number, version: number): boolean {
    const s = (c / this.perShard) | 0;
    if (this.primary[s] === c || version >= this.lastVersion[key]) return false;
    const last = this.lastWrite[key];
    return last > this.applied[c] && last <= this.ackedPosition(s, this.applied);
  }

  /**
   * How far along shard `s`'s stream the writes are acknowledged, in `by` (positions, or write counts):
   * the primary's own for async, else the (W − 1)-th furthest replica that is up (all of them, when fewer).
   */
  private ackedPosition(s: number, by: Float64Array): number {
    const p = this.primary[s];
    const need = this.parts.w - 1;
    if (need <= 0) return by[p];
    let m = 0;
    for (let r = s * this.perShard; r < (s + 1) * this.perShard; r++) {
      if (r !== p && this.copies[r].up) this.order[m++] = r;
    }
    if (m === 0) return by[p];
    // The replicas, furthest along first (their positions, and so their write counts, are in step).
    const o = this.order;
    for (let i = 1; i < m; i++) {
      const x = o[i];
      let j = i - 1;
      while (j >= 0 && this.applied[o[j]] < this.applied[x]) o[j + 1] = o[j--];
      o[j + 1] = x;
    }
    return by[o[Math.min(need, m) - 1]];
  }

  handle(kind: number, a: number, b: number): void {
    const r = b % COPIES;
    const e = (b - r) / COPIES;
    if (kind === APPLY) {
      const c = this.parts.commands;
      if (e === this.epoch[r] && this.copies[r].up)
        this.apply(r, c.cmd[a], c.key[a], c.size[a], c.version[a]);
      c.release(a);
    } else if (kind === DETECT && e === this.epoch[r]) {
      this.markedDown[r] = 1;
      const s = (r / this.perShard) | 0;
      if (this.primary[s] === r) this.promote(s);
    } else if (kind === RESYNC && e === this.epoch[r] && this.holding[r] === RESYNCING) this.resyncFully(r);
    else if (kind === DEADLINE) this.timedOut(a, b);
  }

  /** The client of request `slot` (generation `gen`), a blocked SET, gives up now unless acknowledged. */
  private timedOut(slot: number, gen: number): void {
    const b = this.blocked.get(slot);
    if (b === undefined || b.gen !== gen) return;
    this.blocked.delete(slot);
    (this.partition as PartitionStats).writesTimedOut++;
    b.node.giveUp(b.slot);
  }

  /** Shard `s`'s stream is gone (its primary crashed or was replaced): its blocked SETs can only time out. */
  private strand(s: number): void {
    for (const b of this.blocked.values()) if (b.shard === s) b.missing = Number.POSITIVE_INFINITY;
  }

  private stateChanged(node: CacheNode, up: boolean, now: number): void {
    const c = this.copyOf[node.id];
    const s = (c / this.perShard) | 0;
    const p = this.primary[s];
    this.epoch[c]++;
    if (up) {
      // Rejoins at the current position of its shard's stream, with what its restart left it.
      this.markedDown[c] = 0;
      if (c !== p) this.follow(c, p, now);
      return;
    }
    this.unhold(c);
    if (c === p) {
      // The primary's stream stops: what is in flight to its replicas is lost.
      this.ackedWritesAtCrash[s] = this.ackedPosition(s, this.appliedWrites);
      this.ackedFillsAtCrash[s] = this.ackedPosition(s, this.applied) - this.ackedWritesAtCrash[s];
      for (let r = s * this.perShard; r < (s + 1) * this.perShard; r++) {
        if (r === c) continue;
        this.epoch[r]++;
        this.unhold(r);
      }
      if (this.blocked.size > 0) this.strand(s);
    }
    this.parts.engine.schedule(this.parts.promotionDelay, this.id, DETECT, 0, this.epoch[c] * COPIES + c);
  }

  /** Shard `s`'s primary has been marked down: the replica furthest along the stream takes over. */
  private promote(s: number): void {
    let best = -1;
    for (let r = s * this.perShard; r < (s + 1) * this.perShard; r++) {
      if (this.copies[r].up && (best < 0 || this.applied[r] > this.applied[best])) best = r;
    }
    if (best < 0) return;
    const writes = this.appliedWrites[best];
    const fills = this.applied[best] - writes;
    this.lostWrites += Math.max(0, this.ackedWritesAtCrash[s] - writes);
    this.lostFills += Math.max(0, this.ackedFillsAtCrash[s] - fills);
    this.primary[s] = best;
    this.promotions++;
    if (this.blocked.size > 0) this.strand(s);
    const now = this.parts.engine.now;
    for (let r = s * this.perShard; r < (s + 1) * this.perShard; r++) {
      if (r !== best && this.copies[r].up) this.follow(r, best, now);
    }
  }

  /** Replica `r` follows primary `p` from `p`'s position on. */
  private follow(r: number, p: number, now: number): void {
    this.applied[r] = this.applied[p];
    this.appliedWrites[r] = this.appliedWrites[p];
    this.tail[r] = now;
    this.unhold(r);
  }

  /** Copy `r`'s stream starts afresh: nothing held for it. */
  private unhold(r: number): void {
    if (this.holding[r] === FLOWING) return;
    this.drop(r);
    this.holding[r] = FLOWING;
  }

  stats(): ReplicationStats {
    return {
      mode: this.parts.mode,
      replicas: this.perShard - 1,
      readFrom: this.parts.readFrom,
      replicated: this.replicated,
      lag: this.lag,
      promotions: this.promotions,
      lostWrites: this.lostWrites,
      lostFills: this.lostFills,
      staleReads: this.staleReads,
      writesToDownPrimary: this.writesToDownPrimary,
      rejections: this.gatewayMarks
        ? { writesRejected: this.writesRejected, writesWithheld: this.writesWithheld }
        : null,
      partition: this.partition === null ? null : { ...this.partition },
    };
  }
}
