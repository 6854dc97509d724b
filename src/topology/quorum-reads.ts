/**
 * Quorum reads (replication.ts, mode "quorum" with R > 1, reading from `any` or `nearest` copies): a GET
 * asks R copies of its shard at once (read-routing.ts picks them), each over its own network leg and
 * through its own workers, and the gateway acts on it when the last of them has replied — a copy that is
 * down or cut off "replies" at the client's timeout — with the answer of the copy furthest along the
 * replication stream when it looked the key up (a hit before a miss, then the newer version, among copies
 * equally far): with W + R > N that copy holds every acknowledged write. This is Dynamo's read quorum
 * (DeCandia et al., SOSP 2007, §4.5): the coordinator waits for R replies and returns the latest version.
 *
 * Every copy's lookup is a real one: it costs worker time, counts as a GET (and a hit) of that node and
 * refreshes the key's recency there. Only the answer taken counts as the request's hit or miss, and only
 * its staleness. The lookups share the request's slot, so each copy's answer is kept here as it is made
 * (replication.ts read()) and the one taken is written back when the last reply arrives. A copy that is
 * down, cut off or refused at its connection limit gives no answer, and the read takes the best of those
 * it got: while a copy it asks is down and not yet marked down, the quorum's guarantee lapses (stale
 * reads are possible again). When no copy looked the key up the read is a miss.
 *
 * Our simplifications: the size of a copy's reply on the wire is that of the best answer so far, and under
 * TTLs each copy that serves an expired value starts its own stale-while-revalidate refresh.
 */
import { resized } from '../policies/arrays.ts';
import type { Engine } from '../sim/engine.ts';
import type { GatewayPlaces } from './cache-node.ts';
import type { Network } from './network.ts';
import type { ReadRouting } from './read-routing.ts';
import type { Replication } from './replication.ts';
import { F_HIT, F_STALE, type RequestPool } from './request-pool.ts';

const ANSWER = F_HIT | F_STALE;

export interface QuorumParts {
  readonly engine: Engine;
  readonly pool: RequestPool;
  readonly network: Network;
  readonly gateways: GatewayPlaces;
  readonly replication: Replication;
  readonly routing: ReadRouting;
}

export class QuorumReads {
  /** Per request slot: replies still awaited, and when the last so far reaches the gateway (ns). */
  private waiting = new Uint8Array(0);
  private latest = new Float64Array(0);
  /** The answer kept so far: the copy's stream position (−1: none yet), flags, version, staleness age. */
  private position = new Float64Array(0);
  private flags = new Uint8Array(0);
  private version = new Uint32Array(0);
  private age = new Float64Array(0);
  /** Whether the answer kept lacks an acknowledged write (replication.ts `staleReads`). */
  private lagging = new Uint8Array(0);

  constructor(private readonly parts: QuorumParts) {}

  /** Sends request `slot`'s GET of a key of shard `s` to the copies it asks, `delay` ns from now + each leg. */
  ask(slot: number, s: number, delay: number): void {
    const { pool, network, gateways: g, replication, routing } = this.parts;
    if (slot >= this.waiting.length) this.grow(pool.key.length);
    const u = pool.upstream[slot];
    const n = routing.readers(s, u);
    this.waiting[slot] = n;
    this.latest[slot] = 0;
    this.position[slot] = -1;
    this.flags[slot] = 0;
    this.lagging[slot] = 0;
    for (let i = 0; i < n; i++) {
      const node = replication.copies[routing.chosen[i]];
      node.get(slot, delay + network.delay(g.zone[u], g.host[u], node.zone, node.host, 0));
    }
  }

  /**
   * A copy at stream `position` has just looked up `slot`'s key (the pool holds its answer; `lagging`:
   * it lacks an acknowledged write of the key): keep the answer if it is the best so far.
   */
  looked(slot: number, position: number, lagging: boolean): void {
    const pool = this.parts.pool;
    const hit = pool.flags[slot] & F_HIT;
    const kept = this.position[slot];
    const better =
      position > kept ||
      (position === kept &&
        hit !== 0 &&
        ((this.flags[slot] & F_HIT) === 0 || pool.version[slot] > this.version[slot]));
    if (!better) return;
    this.position[slot] = position;
    this.flags[slot] = pool.flags[slot] & ANSWER;
    this.version[slot] = pool.version[slot];
    this.age[slot] = pool.age[slot];
    this.lagging[slot] = lagging ? 1 : 0;
  }

  /**
   * A copy's reply to `slot` reaches the gateway `delay` ns from now. Returns −1 while other replies are
   * awaited; at the last, writes the answer taken into the request and returns the delay until the latest
   * reply reaches the gateway.
   */
  replied(slot: number, delay: number): number {
    const now = this.parts.engine.now;
    if (now + delay > this.latest[slot]) this.latest[slot] = now + delay;
    if (--this.waiting[slot] > 0) return -1;
    const pool = this.parts.pool;
    pool.flags[slot] = (pool.flags[slot] & ~ANSWER) | this.flags[slot];
    if (this.flags[slot] & F_HIT) {
      pool.version[slot] = this.version[slot];
      pool.age[slot] = this.age[slot];
    }
    if (this.lagging[slot]) this.parts.replication.staleReads++;
    return this.latest[slot] - now;
  }

  private grow(n: number): void {
    this.waiting = resized(this.waiting, n);
    this.latest = resized(this.latest, n);
    this.position = resized(this.position, n);
    this.age = resized(this.age, n);
    this.flags = resized(this.flags, n);
    this.version = resized(this.version, n);
    this.lagging = resized(this.lagging, n);
  }
}
