/**
 * The failure schedule (src/topology/faults.ts): a crash's effect on hits and origin load, the health
 * checks' timing on a hand-built config, the share of keys a markdown moves under ketama and modulo,
 * conservation and determinism with every kind of fault on, markers in the series, bad schedules.
 */
import { describe, expect, it } from 'vitest';
import { createSharder } from '../../src/topology/sharding/registry.ts';
import { movedFraction } from '../../src/topology/sharding/skew.ts';
import { baseConfig, ended, problems, run, ZERO } from './helpers.ts';

type Json = Record<string, unknown>;

/** `nodes` cache nodes sharded by `kind`, probed every second (2 failures), with a fault schedule. */
function sharded(kind: string, nodes: number, faults: Json[], over: Json = {}): Json {
  return baseConfig({
    tiers: {
      cache: {
        server: 'generic',
        nodes,
        policy: 'lru',
        capacity: 'infinite',
        service: ZERO,
        sharding: { kind },
      },
    },
    gateway: { healthCheck: { interval: '1s', failures: 2 } },
    faults,
    ...over,
  });
}

const sum = (xs: (number | null)[], from: number, to: number): number =>
  xs.slice(from, to).reduce<number>((a, x) => a + (x ?? 0), 0);

describe('node crash', () => {
  it('hits drop and origin load rises while a node is down, and recover after', () => {
    // 10k requests/s over 2,000 keys for 3 s, in 100 ms windows; cache-1 is down from 1.5 s to 2.5 s.
    const r = run(
      sharded('ketama', 3, [{ kind: 'node-crash', at: '1.5s', until: '2.5s', node: 'cache-1' }], {
        workload: { generator: 'zipf', requests: 30_000, objects: 2_000, alpha: 0.9 },
        metrics: { window: '100ms' },
        gateway: { healthCheck: { interval: '10s', failures: 2 } },
      }),
    );
    const s = r.metrics.series;
    const hits = (from: number, to: number) => sum(s.hitRatio, from, to) / (to - from);
    const qps = (from: number, to: number) => sum(s.originQps, from, to) / (to - from);
    expect(hits(15, 25)).toBeLessThan(hits(10, 15) - 0.15);
    expect(qps(15, 25)).toBeGreaterThan(1.5 * qps(10, 15));
    // Back cold at 2.5 s: its keys are refilled, so the hit ratio climbs again.
    expect(hits(27, 30)).toBeGreaterThan(hits(15, 25));
    const f = r.metrics.faults;
    expect(f?.schedule[0].affected).toBe(f?.cacheTimeouts);
    expect(f?.cacheTimeouts).toBeGreaterThan(0);
    // A lookup that met the dead node waited the 50 ms timeout, with no latency anywhere else.
    expect(r.metrics.paths.miss.max).toBe(50);
  });
});

describe('health checks', () => {
  // One closed-loop client, a request every 10 ms, no latency: probes at whole seconds, 2 failures.
  const closed = (faults: Json[], over: Json = {}) =>
    sharded('ketama', 3, faults, {
      clients: { mode: 'closed', clients: 1, think: { dist: 'constant', value: '10ms' } },
      workload: { generator: 'zipf', requests: 1_000, objects: 100, alpha: 0.9 },
      ...over,
    });
  const crash = { kind: 'node-crash', at: '1.5s', until: '5.2s', node: 'cache-1' };

  it('marks a node down at the 2nd failed probe after its crash and up at the first probe after restart', () => {
    const r = run(closed([crash]));
    const f = r.metrics.faults;
    expect(f?.healthChecks).toEqual([
      { t: 3, node: 'cache-1', down: true, gateways: 1 },
      { t: 6, node: 'cache-1', down: false, gateways: 1 },
    ]);
    expect(r.metrics.series.faults).toEqual([
      { t: 1.5, until: 5.2, kind: 'node-crash', label: 'cache-1 crashes, back cold' },
      { t: 3, until: 6, kind: 'marked-down', label: 'cache-1 marked down by 1 gateway' },
    ]);
    // Timeouts only before the mark: a run cut at 3 s (the mark included) has them all, and no lookup
    // rerouted yet.
    const cut = run(closed([crash], { until: '3s' }));
    expect(cut.metrics.faults?.cacheTimeouts).toBe(f?.cacheTimeouts);
    expect(cut.metrics.faults?.rerouting.cache.rerouted).toBe(0);
    expect(f?.rerouting.cache.rerouted).toBeGreaterThan(0);
    expect(f?.rerouting.cache.changes.map((c) => [c.t, c.down])).toEqual([[3, ['cache-1']]]);
  });

  it('a crash at a probe instant fails that probe; a restart before the mark resets the count', () => {
    const onGrid = run(closed([{ ...crash, at: '2s' }]));
    expect(onGrid.metrics.faults?.healthChecks.map((h) => h.t)).toEqual([3, 6]);
    const short = run(closed([{ ...crash, until: '2.5s' }]));
    expect(short.metrics.faults?.healthChecks).toEqual([]);
  });

  it('without health checks a dead node is never routed around', () => {
    const r = run(closed([crash], { gateway: {} }));
    expect(r.metrics.faults?.healthChecks).toEqual([]);
    expect(r.metrics.faults?.rerouting).toEqual({});
  });
});

describe('rerouting moves keys as the sharding function says', () => {
  const names = ['cache-0', 'cache-1', 'cache-2', 'cache-3'];
  for (const [kind, low, high] of [
    ['ketama', 0.15, 0.35],
    ['modulo', 0.7, 0.8],
  ] as const) {
    it(`${kind}: the share moved is exact over the keys seen, and about ${kind === 'ketama' ? '1/n' : '(n-1)/n'}`, () => {
      const r = run(
        sharded(kind, 4, [{ kind: 'node-crash', at: '0.5s', node: 'cache-2' }], {
          workload: { generator: 'zipf', requests: 20_000, objects: 2_000, alpha: 0.6 },
        }),
      );
      const f = r.metrics.faults;
      const keys = r.metrics.simulation.keys;
      expect(f?.keys).toBe(keys);
      const before = createSharder({ kind }, names);
      const after = createSharder({ kind }, ['cache-0', 'cache-1', 'cache-3']);
      const share = f?.rerouting.cache.changes[0].movedKeyShare as number;
      expect(share).toBe(movedFraction(before, after, keys));
      expect(share).toBeGreaterThan(low);
      expect(share).toBeLessThan(high);
    });
  }
});

describe('every kind of fault at once', () => {
  const allFaults = (): Json =>
    baseConfig({
      workload: {
        generator: 'zipf',
        requests: 20_000,
        objects: 2_000,
        alpha: 0.9,
        ops: { get: 0.9, set: 0.1 },
      },
      zones: ['a', 'b'],
      network: {
        sameZone: { dist: 'constant', value: '50us' },
        crossZone: { dist: 'constant', value: '400us' },
      },
      gateway: {
        instances: 2,
        healthCheck: { interval: '200ms', failures: 2 },
        routes: [{ chain: ['l1', 'l2'] }],
      },
      tiers: {
        l1: {
          server: 'memcached',
          nodes: 2,
          capacity: '2MiB',
          service: { dist: 'exponential', mean: '10us' },
        },
        l2: { server: 'redis', nodes: 3, capacity: 'infinite', sharding: { kind: 'modulo' }, service: ZERO },
      },
      faults: [
        { kind: 'node-crash', at: '0.2s', until: '0.6s', node: 'l2-1', restart: 'warm' },
        { kind: 'tier-restart', at: '1s', tier: 'l1' },
        { kind: 'partition', at: '0.8s', until: '1.1s', zones: ['a', 'b'] },
        { kind: 'latency-spike', at: '1.2s', until: '1.4s', link: 'crossZone', delay: '5ms' },
        { kind: 'origin-slowdown', at: '1.5s', until: '1.7s', factor: 10 },
      ],
    });
  const raw = allFaults();
  (raw.origin as Json).read = { dist: 'constant', value: '100us' };

  it('every request ends once, and each fault is reported with what it hit', () => {
    const r = run(raw);
    const m = r.metrics;
    expect(m.outcomes.inFlight).toBe(0);
    expect(ended(r)).toBe(20_000);
    expect(m.series.requests.reduce((a, b) => a + b, 0)).toBe(20_000);
    const f = m.faults;
    expect(f?.schedule.map((x) => [x.kind, x.hit])).toEqual([
      ['node-crash', ['l2-1']],
      ['tier-restart', ['l1']],
      ['partition', ['a', 'b']],
      ['latency-spike', ['crossZone']],
      ['origin-slowdown', ['origin']],
    ]);
    for (const x of f?.schedule ?? []) if (x.kind !== 'tier-restart') expect(x.affected).toBeGreaterThan(0);
    // The gateway in zone b cannot reach the origin in zone a during the partition: its misses fail.
    expect(f?.originUnreachable).toBeGreaterThan(0);
    expect(m.outcomes.failed).toBe(
      m.origin.failedQueueFull + m.origin.timedOut + (f?.originUnreachable ?? 0),
    );
    const kinds = new Set(m.series.faults?.map((x) => x.kind));
    for (const k of [
      'node-crash',
      'tier-restart',
      'partition',
      'latency-spike',
      'origin-slowdown',
      'marked-down',
    ])
      expect(kinds.has(k)).toBe(true);
  });

  it('same seed, same bytes', () => {
    expect(JSON.stringify(run(raw, 3))).toBe(JSON.stringify(run(raw, 3)));
  });

  it('a run without faults has no faults block', () => {
    const r = run(baseConfig());
    expect(r.metrics.faults).toBeUndefined();
    expect(r.metrics.series.faults).toBeUndefined();
  });
});

describe('bad schedules exit 2 naming the fault', () => {
  const one = (fault: Json) => problems(sharded('ketama', 2, [fault]));
  it('unknown node, zone or tier; until before at; spike without a target', () => {
    expect(one({ kind: 'node-crash', at: '1s', node: 'nope' })[0]).toBe(
      'test.json: /faults/0/node: no cache node "nope"; nodes are cache-0, cache-1',
    );
    expect(one({ kind: 'partition', at: '1s', zones: ['a', 'z'] })[0]).toBe(
      'test.json: /faults/0/zones/1: no zone "z"; zones are a',
    );
    expect(one({ kind: 'tier-restart', at: '1s', tier: 'x' })[0]).toMatch(/\/faults\/0\/tier: no tier "x"/);
    expect(one({ kind: 'node-crash', at: '2s', until: '1s', node: 'cache-0' })[0]).toBe(
      'test.json: /faults/0/until: expected a time after "at"',
    );
    expect(one({ kind: 'latency-spike', at: '1s', delay: '1ms' })[0]).toMatch(
      /exactly one of "link" or "zones"/,
    );
    expect(one({ kind: 'meteor', at: '1s' }).join('\n')).toMatch(/faults\/0/);
  });
});
