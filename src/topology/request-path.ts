/**
 * The request path behind the gateway: cache-aside reads along a lookup chain, writes through the write
 * policy, and the end of every request.
 *
 * A read asks the first tier of its route's chain (L1) for the key; a miss asks the next tier, and so on.
 * A hit answers the client and fills, without waiting, every tier before it in the chain (they all
 * missed). A read that misses every tier queries the origin — unless coalescing is on and a read of the
 * same key is already on its way there, in which case it waits for that one (coalescing.ts) — and the
 * origin's answer fills every tier of the chain. A fill carries the version of the value it stores (the
 * copy that hit, or what the origin read) and the lease token the request was granted on its misses, if
 * any. Every message crosses the network between the gateway instance and the node or origin, in both
 * directions.
 *
 * The gateway does not queue, so what it does with an answer depends only on the answer: the path acts
 * when the node or origin sends it, and adds the network leg back to the gateway to every delay that
 * follows (the next lookup, the fills, the response). This saves an event per step; the one effect is
 * that a coalescing check and a load-balancer release happen one network leg early.
 *
 * A GET that missed while another request holds the key's lease (leases on; F_WAIT) asks the same tier
 * again after `leaseRetry`.
 *
 * With TTLs (expiry.ts) every origin read reports how long it took (XFetch's recompute time), and a
 * stale-while-revalidate refresh (refresh.ts: a slot marked F_INTERNAL that reads) fills the chain up to
 * the tier that served the expired copy and ends without a client.
 *
 * Every GET, SET and origin query records when the gateway sent it (`sent`): a node that is down, or a
 * node or origin cut off by a partition, answers nothing, and the gateway gives up a timeout after that
 * (cache-node.ts, origin.ts). A fill, delete or update sent across a partition is lost.
 *
 * A gateway whose health checks have marked a replicated shard's primary down sends it nothing (a cluster
 * client's circuit breaker): its fills, deletes and updates are dropped, and a SET is not sent — the
 * request is marked F_REJECTED and fails once the chain's other tiers have answered, at once when there
 * are none (write-policy.ts). Before the mark, writes go to the dead primary and time out as above.
 *
 * finish() is the one place a request ends: it releases the load balancer's connection, records the
 * outcome and latency (which includes the gateway → load balancer leg back) and a stale hit's age, tells
 * the client and frees the slot, except while the origin still holds a timed-out query (origin.ts frees
 * it then).
 */

import type { Engine } from '../sim/engine.ts';
import { OP_GET, OP_SET } from '../trace/api.ts';
import {
  type Clients,
  type Finisher,
  OUT_FAILED,
  OUT_HIT,
  OUT_MISS,
  type Outcome,
  type Reason,
  WHY_NO_UPSTREAM,
  WHY_NONE,
} from './api.ts';
import type { GatewayPlaces, NodeReplies } from './cache-node.ts';
import type { SingleFlight } from './coalescing.ts';
import { CMD_FILL, type Commands, valueBytes } from './commands.ts';
import type { SimEvents } from './events.ts';
import type { ExpiryShared } from './expiry.ts';
import type { PathStart } from './gateway.ts';
import type { LoadBalancer } from './load-balancer.ts';
import type { Metrics } from './metrics.ts';
import type { Network } from './network.ts';
import { type Origin, type OriginReplies, QUERY_READ } from './origin.ts';
import type { RefreshContext, Refresher } from './refresh.ts';
import {
  F_ABANDONED,
  F_HIT,
  F_INTERNAL,
  F_REJECTED,
  F_STALE,
  F_WAIT,
  type RequestPool,
} from './request-pool.ts';
import type { Routes } from './routes.ts';
import type { Tier } from './tier.ts';
import type { WriteContext, WritePolicy } from './write-policy.ts';

/** Everything the path sends requests to. */
export interface PathParts {
  readonly engine: Engine;
  readonly pool: RequestPool;
  readonly network: Network;
  readonly tiers: readonly Tier[];
  readonly routes: Routes;
  readonly origin: Origin;
  readonly gateways: GatewayPlaces;
  /** Zone and host of each load balancer instance: the last leg of every answer. */
  readonly balancers: GatewayPlaces;
  readonly loadBalancer: LoadBalancer;
  readonly metrics: Metrics;
  readonly singleFlight: SingleFlight | null;
  readonly commands: Commands;
  /** Pause before a GET told to wait for a lease asks again (ns). */
  readonly leaseRetry: number;
  /** TTLs (expiry.ts): told how long each origin read took; null without TTLs. */
  readonly expiry: ExpiryShared | null;
  /** Stale-while-revalidate's background refreshes (refresh.ts); null without TTLs. */
  readonly refresher: Refresher | null;
}

export class RequestPath
  implements PathStart, Finisher, NodeReplies, OriginReplies, WriteContext, RefreshContext
{
  private readonly engine: Engine;
  readonly pool: RequestPool;
  private readonly chains: readonly Int32Array[];
  /** Set after construction: the clients and the write policy are built around the path. */
  clients: Clients | null = null;
  writes: WritePolicy | null = null;
  /** DELETEs and UPDATEs the write path sent to nodes (direct invalidation). */
  invalidationsSent = 0;
  /** An event exporter's listener (events.ts); null when nothing is exported. */
  events: SimEvents | null = null;

  constructor(private readonly parts: PathParts) {
    this.engine = parts.engine;
    this.pool = parts.pool;
    this.chains = parts.routes.chains;
  }

  begin(slot: number, delay: number): void {
    if (this.pool.op[slot] === OP_GET) this.ask(slot, delay);
    else (this.writes as WritePolicy).begin(slot, delay);
  }

  /** Sends `slot`'s GET to the tier at its chain position, `delay` ns from now plus the network leg. */
  private ask(slot: number, delay: number): void {
    const pool = this.pool;
    const u = pool.upstream[slot];
    const tier = this.parts.tiers[this.chains[pool.route[slot]][pool.pos[slot]]];
    pool.sent[slot] = this.engine.now + delay;
    if (tier.quorum !== null) {
      tier.askQuorum(slot, pool.key[slot], u, delay);
      return;
    }
    const node = tier.readNode(pool.key[slot], u);
    const g = this.parts.gateways;
    node.get(slot, delay + this.parts.network.delay(g.zone[u], g.host[u], node.zone, node.host, 0));
  }

  /**
   * A node's answer to `slot`'s GET (or SET) reaches the gateway `delay` ns from now: act on it now, or,
   * under quorum reads, once the last copy asked has answered (quorum-reads.ts).
   */
  nodeReplied(slot: number, delay: number): void {
    const pool = this.pool;
    const quorum =
      pool.op[slot] === OP_GET
        ? this.parts.tiers[this.chains[pool.route[slot]][pool.pos[slot]]].quorum
        : null;
    if (quorum === null) this.answered(slot, delay);
    else {
      const last = quorum.replied(slot, delay);
      if (last >= 0) this.answered(slot, last);
    }
  }

  private answered(slot: number, delay: number): void {
    const pool = this.pool;
    if (pool.op[slot] !== OP_GET) (this.writes as WritePolicy).acked(slot, delay);
    else if (pool.flags[slot] & F_WAIT) {
      pool.flags[slot] &= ~F_WAIT;
      this.ask(slot, delay + this.parts.leaseRetry);
    } else if (pool.flags[slot] & F_HIT) {
      this.fillChain(slot, pool.pos[slot], delay);
      this.finish(slot, OUT_HIT, WHY_NONE, delay);
    } else if (pool.pos[slot] + 1 < this.chains[pool.route[slot]].length) {
      pool.pos[slot]++;
      this.ask(slot, delay);
    } else if (this.parts.singleFlight === null || !this.parts.singleFlight.join(slot)) {
      // Not a follower (those wait for their leader's answer): query the origin.
      this.queryOrigin(slot, QUERY_READ, delay);
    }
  }

  /** The origin's answer to `slot` reaches the gateway `delay` ns from now: act on it now. */
  originReplied(slot: number, delay: number): void {
    const pool = this.pool;
    if (pool.op[slot] !== OP_GET) (this.writes as WritePolicy).written(slot, delay);
    else {
      this.parts.expiry?.recomputed(pool.key[slot], this.engine.now + delay - pool.mark[slot]);
      if (pool.flags[slot] & F_INTERNAL) (this.parts.refresher as Refresher).replied(slot, delay);
      else {
        this.fillChain(slot, this.chains[pool.route[slot]].length, delay);
        this.endFlight(slot, OUT_MISS, WHY_NONE, delay);
      }
    }
  }

  originFailed(slot: number, why: Reason): void {
    if (this.pool.flags[slot] & F_INTERNAL) {
      if (this.pool.op[slot] === OP_GET) (this.parts.refresher as Refresher).failedQuery(slot);
      else (this.writes as WritePolicy).internalFailed(slot);
    } else if (this.pool.op[slot] === OP_GET) this.endFlight(slot, OUT_FAILED, why, 0);
    else this.finish(slot, OUT_FAILED, why, 0);
  }

  /** Ends a leader read and every follower waiting on it, alike. */
  private endFlight(slot: number, outcome: Outcome, why: Reason, delay: number): void {
    let f = this.parts.singleFlight === null ? -1 : this.parts.singleFlight.release(slot);
    this.finish(slot, outcome, why, delay);
    while (f >= 0) {
      const next = this.pool.follower[f];
      this.finish(f, outcome, why, delay);
      f = next;
    }
  }

  queryOrigin(slot: number, query: number, delay: number): void {
    const u = this.pool.upstream[slot];
    const g = this.parts.gateways;
    const o = this.parts.origin;
    const bytes = this.pool.op[slot] === OP_SET ? this.pool.size[slot] : 0;
    this.pool.sent[slot] = this.engine.now + delay;
    o.query(slot, query, delay + this.parts.network.delay(g.zone[u], g.host[u], o.zone, o.host, bytes));
  }

  /** Stores `slot`'s value in the tiers at chain positions 0..upTo-1, sent `delay` ns from now. */
  fillChain(slot: number, upTo: number, delay: number): void {
    const chain = this.chains[this.pool.route[slot]];
    for (let p = 0; p < upTo; p++) this.command(slot, chain[p], CMD_FILL, delay);
  }

  commandChain(slot: number, cmd: number, delay: number): void {
    const chain = this.chains[this.pool.route[slot]];
    this.invalidationsSent += chain.length;
    for (let p = 0; p < chain.length; p++) this.command(slot, chain[p], cmd, delay);
  }

  setChain(slot: number, delay: number): number {
    const pool = this.pool;
    const chain = this.chains[pool.route[slot]];
    const u = pool.upstream[slot];
    const g = this.parts.gateways;
    pool.sent[slot] = this.engine.now + delay;
    let sent = 0;
    for (let p = 0; p < chain.length; p++) {
      const node = this.parts.tiers[chain[p]].writeNode(pool.key[slot], u, true);
      if (node === null) {
        pool.flags[slot] |= F_REJECTED;
        continue;
      }
      node.set(
        slot,
        delay + this.parts.network.delay(g.zone[u], g.host[u], node.zone, node.host, pool.size[slot]),
      );
      sent++;
    }
    return sent;
  }

  private command(slot: number, tier: number, cmd: number, delay: number): void {
    const pool = this.pool;
    const key = pool.key[slot];
    const u = pool.upstream[slot];
    const node = this.parts.tiers[tier].writeNode(key, u, false);
    if (node === null) return;
    const g = this.parts.gateways;
    const net = this.parts.network;
    if (net.partitioned && net.isCut(g.zone[u], node.zone)) {
      net.lost++;
      return;
    }
    const leg = net.delay(g.zone[u], g.host[u], node.zone, node.host, valueBytes(cmd, pool.size[slot]));
    const token = cmd === CMD_FILL ? pool.token[slot] : 0;
    node.command(
      this.parts.commands.alloc(cmd, key, pool.size[slot], pool.version[slot], token),
      delay + leg,
    );
  }

  finish(slot: number, outcome: Outcome, why: Reason, extra: number): void {
    const pool = this.pool;
    const p = this.parts;
    let back = extra;
    if (why !== WHY_NO_UPSTREAM) {
      p.loadBalancer.release(slot);
      const u = pool.upstream[slot];
      const l = pool.lb[slot];
      const bytes = outcome === OUT_HIT || outcome === OUT_MISS ? pool.size[slot] : 0;
      back += p.network.delay(
        p.gateways.zone[u],
        p.gateways.host[u],
        p.balancers.zone[l],
        p.balancers.host[l],
        bytes,
      );
    }
    const now = this.engine.now;
    const tier = outcome === OUT_HIT ? this.chains[pool.route[slot]][pool.pos[slot]] : 0;
    p.metrics.record(outcome, why, tier, pool.op[slot] === OP_GET, now + back - pool.start[slot], now);
    if (outcome === OUT_HIT && pool.flags[slot] & F_STALE) p.metrics.staleRead(tier, pool.age[slot], now);
    if (this.events !== null)
      this.events.request(
        now + back,
        now + back - pool.start[slot],
        pool.key[slot],
        pool.op[slot] !== OP_GET,
        outcome,
        outcome === OUT_HIT ? p.tiers[tier].name : null,
        outcome === OUT_HIT && (pool.flags[slot] & F_STALE) !== 0,
      );
    (this.clients as Clients).done(slot, back);
    if (!(pool.flags[slot] & F_ABANDONED)) pool.release(slot);
  }
}
