/**
 * The L7 load balancer (NGINX `upstream` block) in front of the gateway instances. A client's requests go
 * to one load-balancer instance (client id mod instances, as DNS pins a client), which picks a gateway
 * instance by one of NGINX's methods (nginx.org/en/docs/http/ngx_http_upstream_module.html):
 *
 * - round_robin: each instance cycles through the upstreams;
 * - least_conn: the upstream with the fewest active requests from this instance (ties: round-robin order);
 * - ip_hash: a hash of the client id, so a client sticks to one upstream;
 * - consistent_hash: `hash $key consistent`, ketama over the upstreams' names, keyed by the cache key.
 *
 * `max_conns` bounds the active requests per (instance, upstream); an upstream at its bound is skipped as
 * NGINX does, trying the next in order, and when every upstream is full the request gets a 502 (counted as
 * rejected). The per-request overhead (parsing, proxying) is a delay, not a queue: NGINX's event loop is
 * far from saturation at these rates (deployment-numbers.md §2).
 */
import { makeSampler, type Sampler } from '../sim/distributions.ts';
import type { RandomStreams } from '../sim/rng.ts';
import { OP_SET } from '../trace/api.ts';
import { type Entry, type Finisher, type Forward, OUT_REJECTED, WHY_NO_UPSTREAM } from './api.ts';
import type { Network } from './network.ts';
import type { RequestPool } from './request-pool.ts';
import type { LoadBalancerConfig } from './schema.ts';
import type { Sharder } from './sharding/api.ts';
import { keyHash } from './sharding/key-hash.ts';
import { createSharder } from './sharding/registry.ts';

const ROUND_ROBIN = 0;
const LEAST_CONN = 1;
const IP_HASH = 2;
const CONSISTENT_HASH = 3;
const METHODS: Readonly<Record<LoadBalancerConfig['method'], number>> = {
  round_robin: ROUND_ROBIN,
  least_conn: LEAST_CONN,
  ip_hash: IP_HASH,
  consistent_hash: CONSISTENT_HASH,
};

/** Where the instances and their upstreams run (zone and host indexes). */
export interface LoadBalancerPlaces {
  readonly zone: Int32Array;
  readonly host: Int32Array;
  readonly upstreamZone: Int32Array;
  readonly upstreamHost: Int32Array;
  readonly upstreamNames: readonly string[];
}

export class LoadBalancer implements Entry {
  readonly instances: number;
  readonly upstreams: number;
  /** Active requests per (instance, upstream), instance-major. */
  readonly active: Int32Array;
  /** Requests sent to each upstream, over all instances. */
  readonly sent: Float64Array;
  private readonly method: number;
  private readonly next: Int32Array;
  private readonly maxConns: number;
  private readonly overhead: Sampler;
  private readonly ring: Sharder | null;
  /** Set once the gateway and the request path exist (they are built after the load balancer). */
  forward: Forward | null = null;
  finisher: Finisher | null = null;

  constructor(
    private readonly pool: RequestPool,
    private readonly network: Network,
    private readonly places: LoadBalancerPlaces,
    spec: LoadBalancerConfig,
    rng: RandomStreams,
  ) {
    this.instances = spec.instances;
    this.upstreams = places.upstreamNames.length;
    this.active = new Int32Array(this.instances * this.upstreams);
    this.sent = new Float64Array(this.upstreams);
    this.next = new Int32Array(this.instances);
    this.method = METHODS[spec.method];
    this.maxConns = spec.maxConnsPerUpstream ?? Number.POSITIVE_INFINITY;
    this.overhead = makeSampler(spec.overhead, rng.get('loadBalancer/overhead'));
    this.ring =
      this.method === CONSISTENT_HASH ? createSharder({ kind: 'ketama' }, places.upstreamNames) : null;
  }

  accept(slot: number): void {
    const pool = this.pool;
    const lb = pool.client[slot] % this.instances;
    pool.lb[slot] = lb;
    const u = this.choose(lb, slot);
    if (u < 0) {
      (this.finisher as Finisher).finish(slot, OUT_REJECTED, WHY_NO_UPSTREAM, 0);
      return;
    }
    pool.upstream[slot] = u;
    this.active[lb * this.upstreams + u]++;
    this.sent[u]++;
    const p = this.places;
    const bytes = pool.op[slot] === OP_SET ? pool.size[slot] : 0;
    const leg = this.network.delay(p.zone[lb], p.host[lb], p.upstreamZone[u], p.upstreamHost[u], bytes);
    const delay = this.overhead.sample() + leg;
    (this.forward as Forward).forward(slot, delay);
  }

  /** The response to `slot` has passed back through its instance. */
  release(slot: number): void {
    this.active[this.pool.lb[slot] * this.upstreams + this.pool.upstream[slot]]--;
  }

  /** The upstream for a request arriving at instance `lb`, or -1 when all are at max_conns. */
  private choose(lb: number, slot: number): number {
    const n = this.upstreams;
    const base = lb * n;
    let first: number;
    switch (this.method) {
      case ROUND_ROBIN:
        first = this.next[lb];
        this.next[lb] = first + 1 === n ? 0 : first + 1;
        break;
      case LEAST_CONN: {
        const start = this.next[lb];
        this.next[lb] = start + 1 === n ? 0 : start + 1;
        let best = -1;
        for (let k = 0; k < n; k++) {
          const u = start + k < n ? start + k : start + k - n;
          const a = this.active[base + u];
          if (a < this.maxConns && (best < 0 || a < this.active[base + best])) best = u;
        }
        return best;
      }
      case IP_HASH:
        first = keyHash(this.pool.client[slot]) % n;
        break;
      default:
        first = (this.ring as Sharder).shardOf(this.pool.key[slot]);
    }
    for (let k = 0; k < n; k++) {
      const u = first + k < n ? first + k : first + k - n;
      if (this.active[base + u] < this.maxConns) return u;
    }
    return -1;
  }
}
