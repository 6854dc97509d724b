/**
 * Monotone trends the theory demands, each over three seeds (issue 5, Tests): a longer Kafka consumer
 * stall never gives fewer duplicates (an evicted consumer replays from its commit), less TTL jitter never
 * gives a lower origin peak (a synchronized expiry is a herd), and slower health checks never give fewer
 * cache timeouts (a dead node is asked until it is marked down). More replication lag → not fewer stale
 * reads is in replication.test.ts, more consumer lag → not fewer stale reads in kafka/invalidation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, run, ZERO } from './helpers.ts';

type Json = Record<string, unknown>;

const SEEDS = [1, 2, 3];

/** Each value of `xs` must be at least the one before; returns them. */
function nonDecreasing(xs: number[], label: string): number[] {
  for (let i = 1; i < xs.length; i++)
    expect(xs[i], `${label}: ${xs.join(', ')}`).toBeGreaterThanOrEqual(xs[i - 1]);
  return xs;
}

describe('monotone trends, over three seeds', () => {
  it('a longer consumer stall never gives fewer duplicates', () => {
    // 10k reads and writes at 5,000/s over Kafka; consumers commit every second and are evicted after a
    // 100 ms stall; the stall starts at 1.5 s.
    const config = (stall: number): Json =>
      baseConfig({
        workload: {
          generator: 'zipf',
          requests: 10_000,
          objects: 1_000,
          alpha: 1.0,
          ops: { get: 0.8, set: 0.15, delete: 0.05 },
        },
        clients: { mode: 'open', rate: 5_000 },
        origin: {
          read: { dist: 'exponential', mean: '2ms' },
          write: { dist: 'exponential', mean: '2ms' },
          pool: 64,
        },
        invalidation: {
          via: 'kafka',
          kafka: { consumers: { commitInterval: '1s', maxPollInterval: '100ms' } },
        },
        faults: [{ kind: 'consumer-stall', at: '1.5s', until: `${1500 + stall}ms` }],
      });
    for (const seed of SEEDS) {
      const runs = [50, 200, 400].map((stall) => run(config(stall), seed).metrics.invalidations);
      const dups = nonDecreasing(
        runs.map((i) => i?.duplicates as number),
        `duplicates, seed ${seed}`,
      );
      nonDecreasing(
        runs.map((i) => i?.lagMs.max as number),
        `lag max, seed ${seed}`,
      );
      // Within max.poll.interval the consumers carry on; beyond it they replay half a second of records.
      expect(dups[0], `seed ${seed}`).toBe(0);
      expect(dups[1], `seed ${seed}`).toBeGreaterThan(100);
    }
  });

  it('less TTL jitter never gives a lower origin peak', () => {
    // 2,000 keys warmed at t = 0 with a 3 s TTL, read at 2,000/s for 10 s; jitter ± 0 … 60% of the TTL.
    const peak = (jitter: number, seed: number): number =>
      run(
        baseConfig({
          workload: { generator: 'zipf', requests: 20_000, objects: 2_000, alpha: 0.9 },
          clients: { mode: 'open', rate: 2_000 },
          origin: { read: { dist: 'constant', value: '5ms' }, pool: 50 },
          preload: { requests: 20_000 },
          ttl: { base: '3s', jitter },
        }),
        seed,
      ).metrics.origin.peakQps;
    for (const seed of SEEDS) {
      const peaks = nonDecreasing(
        [0.6, 0.3, 0.1, 0].map((j) => peak(j, seed)),
        `origin peak by falling jitter, seed ${seed}`,
      );
      expect(peaks[3], `seed ${seed}`).toBeGreaterThan(1.5 * peaks[0]);
    }
  });

  it('slower health checks never give fewer cache timeouts', () => {
    // Three ketama shards, one dead from 1 s on; probes every 100 ms … 1 s, two failures mark it down.
    const timeouts = (interval: string, seed: number): number =>
      run(
        baseConfig({
          workload: { generator: 'zipf', requests: 10_000, objects: 1_000, alpha: 0.9 },
          clients: { mode: 'open', rate: 2_000 },
          tiers: {
            cache: {
              server: 'generic',
              nodes: 3,
              policy: 'lru',
              capacity: 'infinite',
              service: ZERO,
              sharding: { kind: 'ketama' },
            },
          },
          gateway: { healthCheck: { interval, failures: 2 } },
          faults: [{ kind: 'node-crash', at: '1s', node: 'cache-1' }],
        }),
        seed,
      ).metrics.faults?.cacheTimeouts as number;
    for (const seed of SEEDS) {
      const t = nonDecreasing(
        ['100ms', '300ms', '1s'].map((i) => timeouts(i, seed)),
        `cache timeouts, seed ${seed}`,
      );
      expect(t[0], `seed ${seed}`).toBeGreaterThan(0);
      expect(t[2], `seed ${seed}`).toBeGreaterThan(2 * t[0]);
    }
  });
});
