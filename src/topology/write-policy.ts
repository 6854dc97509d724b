/**
 * What a set or delete does. The request path hands every write to a WritePolicy, which decides what to
 * send where through a small WriteContext, so richer policies (replication, invalidation buses) plug in
 * as new modules without touching the read path. Each policy also fixes the nodes' store rules
 * (cache-node.ts): whether they keep the newest version (`ordered`) and whether fills need a lease.
 *
 * - "invalidate" (the default): cache-aside with delete on write. Write the origin, and once it has
 *   acknowledged, delete the key from every tier of the key's chain and answer the client; the deletes are
 *   not waited for. Deleting rather than updating is what Facebook's memcache does, because a delete is
 *   idempotent (Nishtala et al., NSDI 2013, §3.1). Its known race: a read that took its value at the origin
 *   before the write committed, and fills after the delete, installs the old value until the next write.
 * - "lease": the same, with Memcache leases on the nodes (§3.2.1): the delete revokes the lease the slow
 *   reader was granted on its miss, so its late fill is refused. The race's mitigation. Other readers
 *   that miss while a lease is out wait and retry instead of reading the origin.
 * - "update": cache-aside with update on write. After the origin's acknowledgement, store the written
 *   value (its version) in every tier of the chain, fire and forget. Concurrent writers' updates and slow
 *   fills may arrive out of order and leave an older version in the cache.
 * - "write-through": the cache is on the write path. After the origin commits, every tier of the chain
 *   stores the value, in version order (a node ignores an older version than it holds, from an update or a
 *   fill), and the client is answered only when every tier has acknowledged. A SET a gateway did not send
 *   to a tier whose primary it had marked down fails (endSet).
 * - "write-behind": write-behind.ts.
 *
 * A delete request (OP_DELETE) deletes the key from the caches under every policy but write-behind's,
 * which queues it like a set.
 */
import { OP_DELETE } from '../trace/api.ts';
import { OUT_FAILED, OUT_WRITE, type Outcome, type Reason, WHY_NONE, WHY_PRIMARY_DOWN } from './api.ts';
import type { StoreRules } from './cache-node.ts';
import { CMD_DELETE, CMD_UPDATE } from './commands.ts';
import { QUERY_WRITE } from './origin.ts';
import { F_REJECTED, type RequestPool } from './request-pool.ts';
import type { WritesConfig } from './schema.ts';
import { WriteBehind, type WriteBehindParts } from './write-behind.ts';

/**
 * Ends a SET once every tier it was sent to has answered: a write, or a failure when the gateway did not
 * send it to some tier because it had the primary marked down (F_REJECTED, request-path.ts setChain).
 */
export function endSet(ctx: WriteContext, slot: number, delay: number): void {
  if (ctx.pool.flags[slot] & F_REJECTED) ctx.finish(slot, OUT_FAILED, WHY_PRIMARY_DOWN, delay);
  else ctx.finish(slot, OUT_WRITE, WHY_NONE, delay);
}

/** What a write policy may do with a request. */
export interface WriteContext {
  readonly pool: RequestPool;
  /** Sends `slot`'s query to the origin, `delay` ns from now plus the gateway → origin leg. */
  queryOrigin(slot: number, query: number, delay: number): void;
  /**
   * Sends a DELETE or UPDATE (of version pool.version[slot]) of `slot`'s key to its node in every tier of
   * its chain, `delay` ns from now plus the network leg.
   */
  commandChain(slot: number, cmd: number, delay: number): void;
  /**
   * Sends `slot`'s write to its node in every tier of its chain, to be acknowledged; returns how many were
   * sent (fewer, and the slot marked F_REJECTED, when a gateway had a tier's primary marked down).
   */
  setChain(slot: number, delay: number): number;
  finish(slot: number, outcome: Outcome, why: Reason, extra: number): void;
}

/** What a policy reports after the run. */
export interface WriteStats {
  readonly policy: string;
  /** Writes acknowledged to clients that the origin never applied (write-behind). */
  readonly lostWrites: number;
  readonly writeBehind: {
    readonly flushed: number;
    readonly retried: number;
    readonly unflushed: number;
  } | null;
}

export interface WritePolicy {
  readonly rules: StoreRules;
  /** A write enters the request path at the gateway, `delay` ns from now. */
  begin(slot: number, delay: number): void;
  /** The origin's acknowledgement of `slot`'s write reaches the gateway `delay` ns from now. */
  written(slot: number, delay: number): void;
  /** A node's acknowledgement of `slot`'s SET (setChain) reaches the gateway `delay` ns from now. */
  acked(slot: number, delay: number): void;
  /** The origin failed a query the policy sent on its own (a slot marked F_INTERNAL). */
  internalFailed(slot: number): void;
  /** Slots in flight that are the policy's own, not clients' requests. */
  readonly internalInFlight: number;
  stats(): WriteStats;
}

/** Cache-aside: the origin first, then delete (or update) the chain, answering without waiting. */
class CacheAside implements WritePolicy {
  readonly internalInFlight = 0;

  constructor(
    private readonly ctx: WriteContext,
    private readonly name: 'invalidate' | 'lease' | 'update',
    readonly rules: StoreRules,
  ) {}

  begin(slot: number, delay: number): void {
    this.ctx.queryOrigin(slot, QUERY_WRITE, delay);
  }

  written(slot: number, delay: number): void {
    const update = this.name === 'update' && this.ctx.pool.op[slot] !== OP_DELETE;
    this.ctx.commandChain(slot, update ? CMD_UPDATE : CMD_DELETE, delay);
    this.ctx.finish(slot, OUT_WRITE, WHY_NONE, delay);
  }

  acked(): void {
    throw new Error(`write policy ${this.name}: no SET is ever sent`);
  }

  internalFailed(): void {
    throw new Error(`write policy ${this.name}: no query of its own is ever sent`);
  }

  stats(): WriteStats {
    return { policy: this.name, lostWrites: 0, writeBehind: null };
  }
}

/** The origin commits, then every tier stores the value in version order; the client waits for both. */
class WriteThrough implements WritePolicy {
  readonly internalInFlight = 0;

  constructor(
    private readonly ctx: WriteContext,
    readonly rules: StoreRules,
  ) {}

  begin(slot: number, delay: number): void {
    this.ctx.queryOrigin(slot, QUERY_WRITE, delay);
  }

  written(slot: number, delay: number): void {
    const pool = this.ctx.pool;
    if (pool.op[slot] === OP_DELETE) {
      this.ctx.commandChain(slot, CMD_DELETE, delay);
      this.ctx.finish(slot, OUT_WRITE, WHY_NONE, delay);
    } else {
      pool.pos[slot] = this.ctx.setChain(slot, delay);
      if (pool.pos[slot] === 0) endSet(this.ctx, slot, delay);
    }
  }

  acked(slot: number, delay: number): void {
    if (--this.ctx.pool.pos[slot] === 0) endSet(this.ctx, slot, delay);
  }

  internalFailed(): void {
    throw new Error('write policy write-through: no query of its own is ever sent');
  }

  stats(): WriteStats {
    return { policy: 'write-through', lostWrites: 0, writeBehind: null };
  }
}

/**
 * The nodes' store rules under a policy (cache-node.ts); the nodes are built before the policy. `fresh`:
 * invalidation is ideal (ideal-invalidation.ts).
 */
export function storeRules(spec: WritesConfig, fresh = false): StoreRules {
  const ordered = spec.policy === 'write-through' || spec.policy === 'write-behind';
  const lease = spec.policy === 'lease';
  return {
    ordered,
    leases: lease,
    leaseTtl: lease ? spec.leaseTtl : 0,
    leaseRetry: lease ? spec.leaseRetry : 0,
    fresh,
  };
}

export function createWritePolicy(
  spec: WritesConfig,
  rules: StoreRules,
  ctx: WriteContext,
  parts: Pick<WriteBehindParts, 'engine' | 'pool' | 'versions'>,
): WritePolicy {
  switch (spec.policy) {
    case 'invalidate':
    case 'update':
    case 'lease':
      return new CacheAside(ctx, spec.policy, rules);
    case 'write-through':
      return new WriteThrough(ctx, rules);
    case 'write-behind':
      return new WriteBehind(
        {
          ...parts,
          ctx,
          interval: spec.flushInterval,
          batch: spec.flushBatch,
          concurrency: spec.flushConcurrency,
        },
        rules,
      );
  }
}
