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
 */

import { Histogram } from '../metrics/histogram.ts';
import { resized } from '../policies/arrays.ts';
import type { Sampler } from '../sim/distributions.ts';
import type { Component, Engine } from '../sim/engine.ts';
import type { CacheNode, Replicator } from './cache-node.ts';
import { CMD_FILL, type Commands } from './commands.ts';
import type { QuorumReads } from './quorum-reads.ts';
import { F_HIT, type RequestPool } from './request-pool.ts';

const APPLY = 0;
const DETECT = 1;
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
  readonly lag = new Histogram();
  /** Set when reads ask R > 1 copies: it takes the answers (quorum-reads.ts). */
  quorum: QuorumReads | null = null;

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

  wrote(node: CacheNode, cmd: number, key: number, size: number, version: number): number {
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
    const { engine, commands, lag } = this.parts;
    let m = 0;
    for (let r = s * this.perShard; r < (s + 1) * this.perShard; r++) {
      if (r === c || !this.copies[r].up) continue;
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
    return this.ackTime(m, now);
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
    }
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
    if (c === p) {
      // The primary's stream stops: what is in flight to its replicas is lost.
      this.ackedWritesAtCrash[s] = this.ackedPosition(s, this.appliedWrites);
      this.ackedFillsAtCrash[s] = this.ackedPosition(s, this.applied) - this.ackedWritesAtCrash[s];
      for (let r = s * this.perShard; r < (s + 1) * this.perShard; r++) if (r !== c) this.epoch[r]++;
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
    };
  }
}
