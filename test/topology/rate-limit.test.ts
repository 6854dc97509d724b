/** Token buckets by hand, and the gateway's rate limit refusing exactly the excess of a steady stream. */
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/topology/rate-limiter.ts';
import { baseConfig, run } from './helpers.ts';

describe('token buckets', () => {
  it('start full, refill at the rate, never above the burst', () => {
    // 1000 tokens/s = one per ms; burst 3.
    const b = new TokenBuckets(2, 1000, 3);
    expect([0, 0, 0, 0].map(() => b.take(0, 0))).toEqual([true, true, true, false]);
    expect(b.take(0, 500_000)).toBe(false); // half a token after 0.5 ms
    expect(b.take(0, 1_000_000)).toBe(true); // one token after 1 ms
    expect(b.take(0, 1_000_000)).toBe(false);
    // A long idle refills to the burst, not beyond.
    const after = [0, 0, 0, 0].map(() => b.take(0, 1e9));
    expect(after).toEqual([true, true, true, false]);
    // Buckets are independent.
    expect(b.take(1, 1e9)).toBe(true);
  });
});

describe('gateway rate limiting', () => {
  it('a global limit admits rate·T + burst of a stream twice as fast, and refuses the rest as 429s', () => {
    const requests = 20_000;
    const m = run(
      baseConfig({
        workload: { generator: 'uniform', requests, objects: 100 },
        clients: { mode: 'open', rate: 2_000 },
        gateway: { rateLimit: { scope: 'global', rate: 1_000, burst: 10 } },
      }),
    ).metrics;
    const admitted = requests - m.rejected.rateLimit;
    const t = m.simulation.simulatedSeconds;
    expect(m.outcomes.rejected).toBe(m.rejected.rateLimit);
    // Never more than the bucket allows; and the bucket is never idle while requests queue at twice its rate.
    expect(admitted).toBeLessThanOrEqual(1_000 * t + 10);
    expect(admitted).toBeGreaterThan(1_000 * t * 0.97);
    expect(m.rejected.rateLimit / requests).toBeCloseTo(0.5, 1);
  });

  it('per-client limits refuse only the clients above their own rate', () => {
    // Two client ids share 300 requests/s: ~150/s each, under a per-client limit of 200/s.
    const under = run(
      baseConfig({
        workload: { generator: 'uniform', requests: 6_000, objects: 100 },
        clients: { mode: 'open', rate: 300, count: 2 },
        gateway: { rateLimit: { scope: 'client', rate: 200, burst: 20 } },
      }),
    ).metrics;
    expect(under.rejected.rateLimit).toBe(0);
    // The same stream with one client id is 300/s against 200/s: a third is refused.
    const over = run(
      baseConfig({
        workload: { generator: 'uniform', requests: 6_000, objects: 100 },
        clients: { mode: 'open', rate: 300, count: 1 },
        gateway: { rateLimit: { scope: 'client', rate: 200, burst: 20 } },
      }),
    ).metrics;
    expect(over.rejected.rateLimit / 6_000).toBeCloseTo(1 / 3, 1);
  });
});
