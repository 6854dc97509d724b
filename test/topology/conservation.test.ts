/**
 * Every request that arrives ends exactly once — a hit, a miss served by the origin, a write, a rejection
 * or a failure — or is still in flight when a run is cut short by `until`. A request finished twice would
 * push the sum above the requests issued; a lost one would leave it below.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, ended, run, seedTopology, ZERO } from './helpers.ts';

describe('conservation of requests', () => {
  it('the seed topology: every request ends once, with writes, two tiers and fills', () => {
    const r = run(seedTopology(50_000));
    const m = r.metrics;
    expect(m.requests).toBe(50_000);
    expect(m.outcomes.inFlight).toBe(0);
    expect(ended(r)).toBe(50_000);
    expect(m.outcomes.writes).toBeGreaterThan(0);
    expect(m.latencyMs.count).toBe(m.outcomes.hits + m.outcomes.misses + m.outcomes.writes);
    // Reads reach the first tier; each lookup that misses it goes to the second.
    const t = m.tiers;
    expect(t.memcached.lookups).toBe(m.outcomes.hits + m.outcomes.misses);
    expect(t.redis.lookups).toBe(t.memcached.lookups - t.memcached.hits);
    expect(t.memcached.hits + t.redis.hits).toBe(m.outcomes.hits);
    expect(m.origin.reads).toBe(m.outcomes.misses);
    expect(m.origin.writes).toBe(m.outcomes.writes);
    // The time series accounts for the same requests.
    expect(m.series.requests.reduce((a, b) => a + b, 0)).toBe(50_000);
  });

  it('with rejections (rate limit, no upstream) and failures (origin queue full, timeouts)', () => {
    const r = run(
      baseConfig({
        workload: {
          generator: 'zipf',
          requests: 20_000,
          objects: 5_000,
          alpha: 0.8,
          ops: { get: 0.8, set: 0.2 },
        },
        clients: { mode: 'open', rate: 4_000, count: 50 },
        loadBalancer: { maxConnsPerUpstream: 10 },
        gateway: { rateLimit: { scope: 'client', rate: 60, burst: 5 } },
        origin: {
          read: { dist: 'exponential', mean: '2ms' },
          write: { dist: 'exponential', mean: '4ms' },
          pool: 4,
          queueLimit: 8,
          timeout: '5ms',
        },
      }),
    );
    const m = r.metrics;
    expect(m.rejected.rateLimit).toBeGreaterThan(0);
    expect(m.rejected.noUpstream).toBeGreaterThan(0);
    expect(m.origin.failedQueueFull).toBeGreaterThan(0);
    expect(m.origin.timedOut).toBeGreaterThan(0);
    expect(m.outcomes.failed).toBe(m.origin.failedQueueFull + m.origin.timedOut);
    expect(m.outcomes.inFlight).toBe(0);
    expect(ended(r)).toBe(20_000);
  });

  it('a run cut short by `until` counts the requests still in flight', () => {
    const r = run(
      baseConfig({
        until: '1s',
        tiers: {
          cache: {
            server: 'generic',
            nodes: 1,
            capacity: 'infinite',
            service: { dist: 'constant', value: '50us' },
          },
        },
        origin: { read: { dist: 'constant', value: '3ms' }, write: ZERO, pool: 100 },
      }),
    );
    const m = r.metrics;
    expect(m.simulation.simulatedSeconds).toBe(1);
    expect(m.outcomes.inFlight).toBeGreaterThan(0);
    expect(m.requests).toBeLessThan(20_000);
    expect(ended(r)).toBe(m.requests);
  });
});
