/**
 * What a set or delete does. The request path hands every write to a WritePolicy, which decides what to
 * send where through a small WriteContext, so richer policies (write-through, write-behind, replication
 * and invalidation buses) plug in as new modules without touching the read path.
 *
 * The one policy so far is cache-aside with delete on write ("invalidate"): write the origin, and once it
 * has acknowledged, delete the key from every tier of the key's chain and answer the client. The deletes
 * are not waited for. Deleting rather than updating is what Facebook's memcache does, because a delete
 * is idempotent and cannot install a stale value (Nishtala et al., NSDI 2013, §3.1).
 */
import { OUT_WRITE, type Outcome, type Reason, WHY_NONE } from './api.ts';
import { CMD_DELETE } from './cache-node.ts';
import { QUERY_WRITE } from './origin.ts';

/** What a write policy may do with a request. */
export interface WriteContext {
  /** Sends `slot`'s query to the origin, `delay` ns from now plus the gateway → origin leg. */
  queryOrigin(slot: number, query: number, delay: number): void;
  /** Sends a FILL or DELETE of `slot`'s key to its node in every tier of its chain, `delay` ns from now. */
  commandChain(slot: number, cmd: number, delay: number): void;
  finish(slot: number, outcome: Outcome, why: Reason, extra: number): void;
}

export interface WritePolicy {
  /** A write enters the request path at the gateway, `delay` ns from now. */
  begin(slot: number, delay: number): void;
  /** The origin's acknowledgement of `slot`'s write reaches the gateway `delay` ns from now. */
  written(slot: number, delay: number): void;
}

class InvalidateOnWrite implements WritePolicy {
  constructor(private readonly ctx: WriteContext) {}

  begin(slot: number, delay: number): void {
    this.ctx.queryOrigin(slot, QUERY_WRITE, delay);
  }

  written(slot: number, delay: number): void {
    this.ctx.commandChain(slot, CMD_DELETE, delay);
    this.ctx.finish(slot, OUT_WRITE, WHY_NONE, delay);
  }
}

export function createWritePolicy(mode: 'invalidate', ctx: WriteContext): WritePolicy {
  switch (mode) {
    case 'invalidate':
      return new InvalidateOnWrite(ctx);
  }
}
