/**
 * The API gateway (Kong) instances behind the load balancer. A request arriving at an instance is first
 * checked by the rate limiter (a token bucket, global or per client; a refusal is a 429, counted as
 * rejected), then given its route (routes.ts: which chain of cache tiers serves the key) and handed to the
 * request path after the gateway's own overhead — the plugins' and proxying time, a distribution
 * (deployment-numbers.md §3: ~1 ms median). Like the load balancer's, the overhead is a delay, not a queue.
 *
 * Having no queue, the gateway needs no event of its own: what it does depends only on the request and
 * its rate limiter, so it acts as the load balancer forwards the request, with the rate limiter asked at
 * the time the request reaches the gateway (`delay` later), and every later step delayed by that much.
 * Token buckets take those times slightly out of order (requests overtake each other on the way by the
 * jitter of one hop, well under a millisecond); a bucket never refills backwards (rate-limiter.ts).
 */
import { makeSampler, type Sampler } from '../sim/distributions.ts';
import type { Engine } from '../sim/engine.ts';
import type { RandomStreams } from '../sim/rng.ts';
import { type Finisher, type Forward, OUT_REJECTED, WHY_RATE_LIMIT } from './api.ts';
import { TokenBuckets } from './rate-limiter.ts';
import type { RequestPool } from './request-pool.ts';
import type { Routes } from './routes.ts';
import type { GatewayConfig } from './schema.ts';

/** What the gateway hands an admitted request to: the cache-aside request path. */
export interface PathStart {
  begin(slot: number, delay: number): void;
}

export class Gateway implements Forward {
  private readonly overhead: Sampler;
  private readonly buckets: TokenBuckets | null;
  private readonly perClient: boolean;

  constructor(
    private readonly engine: Engine,
    private readonly pool: RequestPool,
    private readonly routes: Routes,
    private readonly path: PathStart & Finisher,
    spec: GatewayConfig,
    clientIds: number,
    rng: RandomStreams,
  ) {
    this.overhead = makeSampler(spec.overhead, rng.get('gateway/overhead'));
    const rl = spec.rateLimit;
    this.perClient = rl?.scope === 'client';
    this.buckets =
      rl === undefined ? null : new TokenBuckets(this.perClient ? clientIds : 1, rl.rate, rl.burst);
  }

  /** A request leaves the load balancer for its gateway instance, arriving `delay` ns from now. */
  forward(slot: number, delay: number): void {
    const pool = this.pool;
    const overhead = this.overhead.sample();
    const arrival = this.engine.now + delay;
    if (this.buckets !== null && !this.buckets.take(this.perClient ? pool.client[slot] : 0, arrival)) {
      this.path.finish(slot, OUT_REJECTED, WHY_RATE_LIMIT, delay + overhead);
      return;
    }
    pool.route[slot] = this.routes.routeOf(pool.key[slot], pool.size[slot]);
    this.path.begin(slot, delay + overhead);
  }
}
