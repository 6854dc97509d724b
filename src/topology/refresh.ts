/**
 * Background refreshes for stale-while-revalidate (RFC 5861 §3; expiry.ts decides when one starts): the
 * read that first finds a copy expired within the window is answered with the old copy, and one origin
 * read of the key goes out on the side; its answer fills the tier that served the old copy and every tier
 * before it in the chain, as a miss's answer would, which gives the copy a new TTL.
 *
 * A refresh is a query without a client: it holds a request-pool slot marked F_INTERNAL (as write-behind
 * flushes do), copied from the request that started it (key, size, gateway instance, route, chain
 * position), which the run's accounting of client requests leaves out (`inFlight`). It is sent as the node
 * looks the key up, one node → gateway leg early: the same shortcut the request path takes elsewhere.
 */
import { OP_GET } from '../trace/api.ts';
import { QUERY_READ } from './origin.ts';
import { F_ABANDONED, F_INTERNAL, type RequestPool } from './request-pool.ts';

/** What a refresh needs from the request path. */
export interface RefreshContext {
  readonly pool: RequestPool;
  queryOrigin(slot: number, query: number, delay: number): void;
  /** Fills `slot`'s value into the tiers at chain positions 0..upTo-1, `delay` ns from now. */
  fillChain(slot: number, upTo: number, delay: number): void;
}

export class Refresher {
  /** Refreshes sent, and those the origin failed. */
  started = 0;
  failed = 0;
  inFlight = 0;
  ctx: RefreshContext | null = null;

  /**
   * Request `slot` was served an expired copy at its chain position and refreshes it in the background.
   * Returns the refresh's slot (a node granting leases gives it one, so its fill is stored).
   */
  start(slot: number): number {
    const ctx = this.ctx as RefreshContext;
    const pool = ctx.pool;
    const r = pool.alloc();
    pool.flags[r] = F_INTERNAL;
    pool.op[r] = OP_GET;
    pool.key[r] = pool.key[slot];
    pool.size[r] = pool.size[slot];
    pool.upstream[r] = pool.upstream[slot];
    pool.route[r] = pool.route[slot];
    pool.pos[r] = pool.pos[slot];
    this.started++;
    this.inFlight++;
    ctx.queryOrigin(r, QUERY_READ, 0);
    return r;
  }

  /** The origin's answer to refresh `slot` reaches the gateway `delay` ns from now. */
  replied(slot: number, delay: number): void {
    const ctx = this.ctx as RefreshContext;
    ctx.fillChain(slot, ctx.pool.pos[slot] + 1, delay);
    this.inFlight--;
    ctx.pool.release(slot);
  }

  /** The origin failed refresh `slot` (a full queue or a timeout): the copy expires at the window's end. */
  failedQuery(slot: number): void {
    const pool = (this.ctx as RefreshContext).pool;
    this.failed++;
    this.inFlight--;
    if (!(pool.flags[slot] & F_ABANDONED)) pool.release(slot);
  }
}
