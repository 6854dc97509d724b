/**
 * Quorum reads (quorum-reads.ts): a GET asks R copies, waits for the slowest, takes the answer of the one
 * furthest along the replication stream, and every copy asked does the work of a lookup.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, cacheTier, constant, run, ZERO } from './helpers.ts';

type Json = Record<string, unknown>;

/**
 * One shard of quorum N = 2: its primary in zone a with the gateway (no latency), its replica in zone b,
 * `crossZone` away each way. Reads ask the nearest copies; 5,000 reads and writes over 200 keys at 2,000/s.
 */
function quorum(replication: Json, crossZone = '1ms', over: Json = {}) {
  return run(
    baseConfig({
      workload: {
        generator: 'zipf',
        requests: 5_000,
        objects: 200,
        alpha: 0.9,
        sizes: { dist: 'constant', value: 100 },
        ops: { get: 0.9, set: 0.1 },
      },
      clients: { mode: 'open', rate: 2_000 },
      zones: ['a', 'b'],
      network: { sameHost: ZERO, sameZone: ZERO, crossZone: constant(crossZone), bandwidthGbps: 'infinite' },
      tiers: {
        cache: cacheTier({
          replication: { mode: 'quorum', replicas: 1, readFrom: 'nearest', ...replication },
        }),
      },
      ...over,
    }),
  ).metrics;
}

describe('quorum reads', () => {
  it('R = 2 waits for the slower copy: every read takes the replica round trip, R = 1 the primary’s', () => {
    const lag = constant('0.5ms');
    for (const crossZone of ['1ms', '2ms']) {
      const trip = 2 * Number.parseFloat(crossZone);
      const two = quorum({ lag, quorum: { w: 1, r: 2 } }, crossZone);
      const one = quorum({ lag, quorum: { w: 2, r: 1 } }, crossZone);
      // The nearest copy (the primary, in the gateway's zone) answers in 0 ms; the replica in `trip`.
      expect(one.paths.hit.cache.max, crossZone).toBe(0);
      expect(two.paths.hit.cache.p50, crossZone).toBe(trip);
      expect(two.paths.hit.cache.max, crossZone).toBe(trip);
      expect(two.paths.miss.max, crossZone).toBeGreaterThanOrEqual(trip);
      expect(two.latencyMs.p50, crossZone).toBeGreaterThanOrEqual(trip);
    }
  });

  it('every copy asked looks the key up; the request counts one hit or miss', () => {
    const lag = constant('0.5ms');
    const two = quorum({ lag, quorum: { w: 1, r: 2 } });
    const one = quorum({ lag, quorum: { w: 2, r: 1 } });
    const reads = two.outcomes.hits + two.outcomes.misses;
    expect(two.nodes.map((n) => n.gets)).toEqual([reads, reads]);
    expect(one.nodes.map((n) => n.gets)).toEqual([one.outcomes.hits + one.outcomes.misses, 0]);
    // The tier's lookups are its nodes' work: two per read.
    expect(two.tiers.cache.lookups).toBe(2 * reads);
  });

  it('takes the copy furthest along: with W + R > N no read lacks an acknowledged write', () => {
    // Whichever copy answers first, the primary is asked too and its answer, the furthest along, is taken.
    const spread = { dist: 'exponential', mean: '5ms' };
    for (const readFrom of ['any', 'nearest']) {
      const m = quorum({ lag: spread, quorum: { w: 1, r: 2 }, readFrom }, '0ms');
      expect(m.replication?.cache.staleReads, readFrom).toBe(0);
      expect(m.writes.staleReads, readFrom).toBe(0);
    }
    // Reading one copy of two with W = 1 finds the lagging replica's old versions.
    const single = quorum({ lag: spread, quorum: { w: 1, r: 1 }, readFrom: 'any' }, '0ms');
    expect(single.replication?.cache.staleReads).toBeGreaterThan(0);
  });

  it('a dead copy is waited for until the client timeout, unless the health checks have marked it down', () => {
    const crash = [{ kind: 'node-crash', at: '1s', node: 'cache-0-r1' }];
    const over = (healthCheck: Json | undefined): Json => ({
      faults: crash,
      gateway: { upstreamTimeout: '50ms', ...(healthCheck === undefined ? {} : { healthCheck }) },
    });
    const lag = constant('0.5ms');
    const blind = quorum({ lag, quorum: { w: 1, r: 2 }, promotionDelay: '100s' }, '1ms', over(undefined));
    const checked = quorum({ lag, quorum: { w: 1, r: 2 }, promotionDelay: '100s' }, '1ms', {
      ...over({ interval: '100ms', failures: 2 }),
    });
    // Blind: every read after 1 s waits the 50 ms timeout, the primary's answer taken.
    expect(blind.paths.hit.cache.max).toBe(50);
    expect(blind.faults?.cacheTimeouts).toBeGreaterThan(1_000);
    // Checked: marked down at 1.1 s, after which reads ask the primary alone.
    expect(checked.faults?.healthChecks.map((h) => h.t)).toEqual([1.1]);
    expect(checked.faults?.cacheTimeouts).toBeLessThan(blind.faults?.cacheTimeouts as number);
    expect(checked.faults?.cacheTimeouts).toBeLessThan(250);
    const o = checked.outcomes;
    expect(o.hits + o.misses + o.writes + o.rejected + o.failed + o.inFlight).toBe(checked.requests);
  });
});
