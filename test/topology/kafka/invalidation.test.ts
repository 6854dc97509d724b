/**
 * Invalidation over Kafka in whole runs: with a bus of no latency it is the direct path (the same stale
 * reads, 0 in the zero-latency config), more consumer lag never gives fewer stale reads, every request
 * ends once and every record is applied, lost or pending, the Elasticsearch sink indexes every write, a
 * near cache on every gateway gets the invalidation, direct invalidation leaves results as they were,
 * and a run is a function of its seed.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, problems, run, ZERO } from '../helpers.ts';

type Json = Record<string, unknown>;

const WORKLOAD = {
  generator: 'zipf',
  requests: 10_000,
  objects: 1_000,
  alpha: 1.0,
  ops: { get: 0.8, set: 0.15, delete: 0.05 },
};

/** The staleness test's race config: a small cache, random origin latencies, 5000 requests/s. */
function raceConfig(over: Json = {}): Json {
  return baseConfig({
    workload: WORKLOAD,
    clients: { mode: 'open', rate: 5_000 },
    tiers: { cache: { server: 'generic', nodes: 1, policy: 'lru', capacity: '20KiB', service: ZERO } },
    origin: {
      read: { dist: 'exponential', mean: '2ms' },
      write: { dist: 'exponential', mean: '2ms' },
      pool: 64,
    },
    ...over,
  });
}

/** A bus that adds no time anywhere. */
const INSTANT = {
  via: 'kafka',
  kafka: { linger: 0, brokerAppend: ZERO, consumers: { processing: ZERO, pollInterval: 0 } },
};

function kafka(pollInterval: string, extra: Json = {}): Json {
  return { via: 'kafka', kafka: { consumers: { pollInterval } }, ...extra };
}

describe('invalidation over kafka', () => {
  it('with no latency on the bus gives the direct path’s stale reads, under delete, update and leases', () => {
    for (const policy of ['invalidate', 'update', 'lease']) {
      const direct = run(raceConfig({ writes: { policy } })).metrics;
      const bus = run(raceConfig({ writes: { policy }, invalidation: INSTANT })).metrics;
      // Leases remove the refill race; the other two leave some stale reads.
      if (policy !== 'lease') expect(direct.writes.staleReads, policy).toBeGreaterThan(0);
      expect(bus.writes.staleReads, policy).toBe(direct.writes.staleReads);
      expect(bus.outcomes, policy).toEqual(direct.outcomes);
      expect(bus.invalidations?.lagMs.max, policy).toBe(0);
      expect(bus.invalidations?.apply, policy).toBe(policy === 'update' ? 'update' : 'delete');
    }
  });

  it('with zero latency everywhere nothing is stale', () => {
    const zero = baseConfig({
      workload: { ...WORKLOAD, objects: 300 },
      tiers: {
        l1: { server: 'generic', nodes: 2, policy: 'lru', capacity: '4KiB', service: ZERO },
        l2: { server: 'generic', nodes: 3, policy: 'lru', capacity: 'infinite', service: ZERO },
      },
      gateway: { routes: [{ chain: ['l1', 'l2'] }] },
      invalidation: INSTANT,
    });
    const m = run(zero).metrics;
    expect(m.outcomes.hits).toBeGreaterThan(3_000);
    expect(m.staleReadRatio).toBe(0);
  });

  it('more consumer lag never gives fewer stale reads, over three seeds', () => {
    for (const seed of [1, 2, 3]) {
      const stale = ['0ms', '20ms', '200ms'].map((p) => {
        const m = run(raceConfig({ invalidation: kafka(p) }), seed).metrics;
        return [m.writes.staleReads, m.invalidations?.lagMs.p50 as number];
      });
      for (let i = 1; i < stale.length; i++) {
        expect(stale[i][0], `seed ${seed}`).toBeGreaterThanOrEqual(stale[i - 1][0]);
        expect(stale[i][1], `seed ${seed}`).toBeGreaterThan(stale[i - 1][1]);
      }
      expect(stale[2][0], `seed ${seed}`).toBeGreaterThan(stale[0][0]);
    }
  });

  it('conservation: every request ends once; every record is applied, lost or pending; every write is indexed or in the backlog', () => {
    const m = run(
      raceConfig({
        invalidation: kafka('20ms', { elasticsearch: { bulkSize: 200, refreshInterval: '1s' } }),
      }),
    ).metrics;
    const o = m.outcomes;
    expect(o.hits + o.misses + o.writes + o.rejected + o.failed + o.inFlight).toBe(m.requests);
    expect(o.inFlight).toBe(0);
    const inv = m.invalidations;
    if (inv === undefined) throw new Error('no invalidations block');
    // One record per write answered (cache-aside publishes before answering).
    expect(inv.published).toBe(o.writes);
    expect(inv.applied + inv.lost + inv.pending).toBe(inv.published);
    expect([inv.duplicates, inv.lost, inv.stops]).toEqual([0, 0, 0]);
    expect(inv.applied).toBeGreaterThan(0.9 * inv.published);
    expect(inv.peakLagByPartition.length).toBe(12);
    expect(Math.max(...inv.peakLagByPartition)).toBeLessThanOrEqual(inv.peakLag);
    const a = m.analytics;
    if (a === undefined) throw new Error('no analytics block');
    expect(a.indexed).toBeLessThanOrEqual(inv.published);
    expect(a.reindexed).toBe(0);
    // A document is searchable at a refresh after its bulk: fresher than that is impossible.
    expect(a.freshnessMs.max as number).toBeGreaterThan(0);
    expect(a.backlogMax).toBeGreaterThanOrEqual(inv.published - a.indexed);
    expect(m.series.consumerLag?.length).toBe(m.series.t.length);
    expect(m.series.indexingBacklog?.length).toBe(m.series.t.length);
    expect(Math.max(...(m.series.consumerLag as number[]))).toBe(inv.peakLag);
    expect(Math.max(...(m.series.indexingBacklog as number[]))).toBe(a.backlogMax);
  });

  it('reaches the near cache on every gateway, where the direct path reaches only the writer’s', () => {
    const config = (invalidation: Json | undefined) =>
      baseConfig({
        workload: { ...WORKLOAD, objects: 200 },
        clients: { mode: 'open', rate: 2_000 },
        gateway: { instances: 3, routes: [{ chain: ['near', 'cache'] }] },
        tiers: {
          near: {
            server: 'generic',
            nodes: 3,
            placement: 'gateway',
            policy: 'lru',
            capacity: 'infinite',
            service: ZERO,
          },
          cache: { server: 'generic', nodes: 1, policy: 'lru', capacity: 'infinite', service: ZERO },
        },
        ...(invalidation === undefined ? {} : { invalidation }),
      });
    const direct = run(config(undefined)).metrics;
    const bus = run(config(INSTANT)).metrics;
    expect(direct.tiers.near.staleReadRatio as number).toBeGreaterThan(0.05);
    expect(bus.staleReadRatio).toBe(0);
    expect(bus.tiers.near.deletes).toBe(3 * (bus.invalidations?.applied as number));
  });

  it('direct invalidation (the default) gives the result it gave before the bus existed', () => {
    const plain = run(raceConfig()).metrics;
    const direct = run(raceConfig({ invalidation: { via: 'direct', kafka: { partitions: 3 } } })).metrics;
    expect(JSON.stringify(direct)).toBe(JSON.stringify(plain));
    expect(plain.series.consumerLag).toBeUndefined();
    // The write path's own deletes: one per write per tier of the chain (one tier here), no Kafka figures.
    const inv = plain.invalidations;
    expect(inv?.via).toBe('direct');
    expect(inv?.published).toBe(plain.outcomes.writes);
    expect((inv?.applied ?? 0) + (inv?.lost ?? 0)).toBe(inv?.published);
    expect(inv?.applied).toBeGreaterThan(0.99 * (inv?.published ?? 0));
    expect(inv?.duplicates).toBe(0);
  });

  it('direct invalidation lag: the commit, the ack back to the gateway, the delete out to the node', () => {
    const ms = { dist: 'constant', value: '1ms' };
    const network = { sameHost: ms, sameZone: ms, crossZone: ms };
    const m = run(raceConfig({ network, origin: { read: ZERO, write: ZERO, pool: 64 } })).metrics;
    // origin → gateway 1 ms, gateway → node 1 ms: every delete lands 2 ms after its commit.
    expect(m.invalidations?.lagMs.p50).toBeCloseTo(2, 2);
    expect(m.invalidations?.lagMs.max).toBeCloseTo(2, 2);
  });

  it('direct invalidation with no latency anywhere: every delete applied at the commit instant', () => {
    const m = run(raceConfig({ origin: { read: ZERO, write: ZERO, pool: 64 } })).metrics;
    const inv = m.invalidations;
    expect(inv?.published).toBe(m.outcomes.writes);
    expect(inv?.applied).toBe(inv?.published);
    expect(inv?.lagMs.max).toBe(0);
  });

  it('a consumer restart in the failure schedule replays from the commit: duplicates, nothing lost', () => {
    const config = (commitInterval: string) =>
      raceConfig({
        invalidation: { via: 'kafka', kafka: { consumers: { commitInterval } } },
        faults: [{ kind: 'consumer-restart', at: '1.5s', until: '1.6s' }],
      });
    const m = run(config('1s')).metrics;
    const inv = m.invalidations;
    if (inv === undefined) throw new Error('no invalidations block');
    // Committed at about 1 s: the half second of records processed since is applied again.
    expect(inv.duplicates).toBeGreaterThan(300);
    expect(inv.stops).toBe(12);
    expect(inv.applied + inv.lost + inv.pending).toBe(inv.published);
    expect(inv.lost).toBe(0);
    // The consumers were down for 100 ms: what was published meanwhile waited at least that long.
    expect(inv.lagMs.max as number).toBeGreaterThan(100);
    // Committing after every record leaves nothing to replay.
    expect(run(config('0ms')).metrics.invalidations?.duplicates).toBe(0);
  });

  it('a mistake in the block is one line naming its JSON pointer', () => {
    const bad = problems(
      raceConfig({
        invalidation: { via: 'kafak', kafka: { linger: '5 parsecs', consumers: { polInterval: 0 } } },
      }),
    ).join('\n');
    expect(bad).toMatch(/\/invalidation\/via/);
    expect(bad).toMatch(/\/invalidation\/kafka\/linger: expected a duration/);
    expect(bad).toMatch(/\/invalidation\/kafka\/consumers.*polInterval/);
  });

  it('is a function of its seed', () => {
    const config = raceConfig({ invalidation: kafka('5ms', { elasticsearch: {} }) });
    const a = JSON.stringify(run(config, 7));
    expect(JSON.stringify(run(config, 7))).toBe(a);
    expect(JSON.stringify(run(config, 8))).not.toBe(a);
  });
});
