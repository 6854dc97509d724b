/**
 * Hyperbolic caching (Blankstein, Sen & Freedman, "Hyperbolic caching: flexible caching for web
 * applications", USENIX ATC 2017). An object's priority is its request rate while cached: hits since
 * admission (counting the admitting request) divided by the time it has been cached. Priorities change with
 * time in a way no ordered structure can track cheaply, so eviction samples: draw `samples` cached objects
 * at random (with replacement) and evict the one with the lowest priority, the first drawn among equals.
 *
 * As libCacheSim's Hyperbolic: 64 samples, time counted in requests (the request number now minus the one
 * that admitted it), priority 1e8·count/age, in byte mode one sampling round per eviction until the object
 * fits. libCacheSim's random draw is not uniform: it takes the head of a random non-empty hash bucket, so an
 * object sharing its bucket with a newer one is never a candidate (at 10k objects about a quarter are
 * hidden, in a table of 2^12 buckets and up). That bias moves its miss ratio by up to 0.009 on the sample
 * trace, so by default we model it (bucket-sampler.ts; `sampling=buckets`, within 0.002 of libCacheSim);
 * `sampling=uniform` draws uniformly from the cached objects, as the paper intends. Randomised
 * (ctx.random), so compared with libCacheSim within a tolerance.
 *
 * Parameters: samples (64), sampling (buckets | uniform).
 */

import { InputError } from '../errors.ts';
import type { EvictionPolicy, PolicyContext, PolicyEntry, Random } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { BucketSampler } from './bucket-sampler.ts';
import { integerParam } from './param-checks.ts';
import { KeySet } from './redis-sampling.ts';

export class Hyperbolic extends BasePolicy implements EvictionPolicy {
  /** The cached keys, drawn from as libCacheSim does (BucketSampler) or uniformly (KeySet). */
  private cached: BucketSampler | KeySet;
  /** Per cached key: requests since admission, and the request number that admitted it. */
  private hits: Float64Array;
  private admittedAt: Float64Array;
  private readonly samples: number;
  private readonly random: Random;
  private requests = 0;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.samples = integerParam('hyperbolic', ctx.params, 'samples', 1, 1 << 16);
    this.random = ctx.random;
    const n = Math.max(ctx.keySpace, 16);
    const sampling = ctx.params['sampling'];
    if (sampling === 'buckets') this.cached = new BucketSampler(n);
    else if (sampling === 'uniform') this.cached = new KeySet(n);
    else
      throw new InputError(
        `policy hyperbolic: sampling: expected buckets or uniform, got ${String(sampling)}`,
      );
    this.hits = new Float64Array(n);
    this.admittedAt = new Float64Array(n);
  }

  protected reserveMore(n: number): void {
    this.cached.reserve(n);
    this.hits = grown(this.hits, n, 0);
    this.admittedAt = grown(this.admittedAt, n, 0);
  }

  access(key: number, size: number): boolean {
    this.requests++;
    if (this.cached.has(key)) {
      this.hits[key]++;
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evictOne();
    this.cached.add(key);
    this.hits[key] = 1;
    this.admittedAt[key] = this.requests;
    this.charge(key, size);
    return false;
  }

  private evictOne(): void {
    const now = this.requests;
    let victim = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.samples; i++) {
      const k = this.cached.random(this.random);
      const score = (1e8 * this.hits[k]) / (now - this.admittedAt[k]);
      if (best > score) {
        best = score;
        victim = k;
      }
    }
    this.cached.delete(victim);
    this.evicted(victim);
  }

  contains(key: number): boolean {
    return this.cached.has(key);
  }

  remove(key: number): boolean {
    if (!this.cached.has(key)) return false;
    this.cached.delete(key);
    this.release(key);
    return true;
  }

  verify(): void {
    this.cached.verify();
    if (this.cached.size !== this.count)
      throw new Error(`Hyperbolic count ${this.count}, set ${this.cached.size}`);
    let sum = 0;
    this.cached.forEach((k) => {
      sum += this.sizeOf[k];
    });
    if (sum !== this.used) throw new Error(`Hyperbolic used ${this.used}, sizes sum to ${sum}`);
    this.checkCapacity();
  }
}

export const hyperbolicPolicy: PolicyEntry = {
  name: 'hyperbolic',
  description: 'Hyperbolic caching: evict the lowest hits/age among 64 random samples',
  defaults: { samples: 64, sampling: 'buckets' },
  randomized: true,
  create: (ctx) => new Hyperbolic(ctx),
};
