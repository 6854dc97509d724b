/**
 * `invalidation: {via: "ideal"}`: with real latencies, where the direct path shows the delete/refill race
 * and lagging replicas, the ideal leaves no read stale — the bound reports draw designs against.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, ended, mixed, run } from './helpers.ts';

type Json = Record<string, unknown>;

const SLOW = { dist: 'exponential', mean: '2ms' };

/** Random latencies everywhere, 20% writes, a small cache: races happen. */
function racy(over: Json = {}): Json {
  return baseConfig({
    ...mixed({ get: 0.75, set: 0.2, delete: 0.05 }),
    zones: ['a', 'b'],
    network: { sameHost: SLOW, sameZone: SLOW, crossZone: SLOW },
    tiers: {
      cache: {
        server: 'generic',
        nodes: 2,
        zones: ['a', 'b'],
        policy: 'lru',
        capacity: '40KiB',
        service: SLOW,
      },
    },
    origin: { read: SLOW, write: SLOW, pool: 64 },
    ...over,
  });
}

describe('ideal invalidation', () => {
  for (const policy of ['invalidate', 'update', 'write-through', 'lease']) {
    it(`${policy}: stale reads under direct invalidation, none under the ideal`, () => {
      const direct = run(racy({ writes: { policy } }));
      const ideal = run(racy({ writes: { policy }, invalidation: { via: 'ideal' } }));
      expect(direct.metrics.writes.staleReads, policy).toBeGreaterThan(0);
      expect(ideal.metrics.writes.staleReads, policy).toBe(0);
      expect(ideal.metrics.staleReadRatio, policy).toBe(0);
      expect(ended(ideal)).toBe(ideal.metrics.requests);
    });
  }

  it('with lagging async replicas read from any copy, stays exactly 0', () => {
    const tiers = {
      cache: {
        server: 'generic',
        nodes: 2,
        zones: ['a', 'b'],
        policy: 'lru',
        capacity: '40KiB',
        service: SLOW,
        replication: {
          mode: 'async',
          replicas: 1,
          lag: { dist: 'exponential', mean: '5ms' },
          readFrom: 'any',
        },
      },
    };
    expect(run(racy({ tiers })).metrics.writes.staleReads).toBeGreaterThan(0);
    expect(run(racy({ tiers, invalidation: { via: 'ideal' } })).metrics.writes.staleReads).toBe(0);
  });

  it('is deterministic', () => {
    const c = racy({ invalidation: { via: 'ideal' } });
    expect(JSON.stringify(run(c))).toBe(JSON.stringify(run(c)));
  });
});
