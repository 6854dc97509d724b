/**
 * Replication inside a cache tier (replication.ts, read-routing.ts): the ideal bound has no stale reads;
 * a replica that lags serves stale reads, more of them the longer the lag; a quorum read with W + R > N
 * never misses an acknowledged write; a primary crash loses exactly the acknowledged writes its promoted
 * replica lacked under async replication and none under sync or quorum; every request still ends once, and
 * a run is a pure function of its seed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { buildModel } from '../../src/topology/build.ts';
import type { ReplicationStats } from '../../src/topology/replication.ts';
import { topologySchema } from '../../src/topology/schema.ts';
import { baseConfig, cacheTier, constant, problems, run, ZERO } from './helpers.ts';

type Json = Record<string, unknown>;

/** Three zones, a tier of 2 shards with `replication`, a read/write workload; no latency but the lag. */
function replicated(replication: Json, over: Json = {}): Json {
  return baseConfig({
    workload: {
      generator: 'zipf',
      requests: 20_000,
      objects: 500,
      alpha: 1.0,
      sizes: { dist: 'constant', value: 100 },
      ops: { get: 0.8, set: 0.15, delete: 0.05 },
    },
    zones: ['a', 'b', 'c'],
    gateway: { instances: 3, routes: [{ chain: ['cache'] }] },
    tiers: {
      cache: cacheTier({ nodes: 2, replication }),
    },
    ...over,
  });
}

describe('replication', () => {
  it('ideal: zero lag, stale reads exactly 0 whatever copy serves, under every synchronous policy', () => {
    for (const policy of ['invalidate', 'update', 'write-through']) {
      for (const readFrom of ['any', 'nearest']) {
        const m = run(replicated({ mode: 'ideal', replicas: 2, readFrom }, { writes: { policy } })).metrics;
        const label = `${policy} ${readFrom}`;
        expect(m.outcomes.hits, label).toBeGreaterThan(5_000);
        expect(m.staleReadRatio, label).toBe(0);
        expect(m.replication?.cache.staleReads, label).toBe(0);
        expect(m.replication?.cache.replicated, label).toBeGreaterThan(1_000);
        // Replicas served reads: the 4 replica nodes (after the 2 primaries) had hits.
        expect(
          m.nodes.slice(2).reduce((a, n) => a + n.hits, 0),
          label,
        ).toBeGreaterThan(1_000);
      }
    }
  });

  it('names and places replicas in other zones than their primary', () => {
    const m = run(replicated({ mode: 'ideal', replicas: 2 })).metrics;
    expect(m.nodes.map((n) => `${n.name}@${n.zone}`)).toEqual([
      'cache-0@a',
      'cache-1@b',
      'cache-0-r1@b',
      'cache-0-r2@c',
      'cache-1-r1@c',
      'cache-1-r2@a',
    ]);
    // Reads from the primary leave the replicas without a lookup.
    expect(m.nodes.slice(2).every((n) => n.gets === 0)).toBe(true);
  });

  it('async: a lagging replica serves stale reads; quorum with W + R > N misses no acknowledged write', () => {
    const lag = constant('5ms');
    const clients = { clients: { mode: 'open', rate: 2_000 } };
    const async = run(replicated({ mode: 'async', replicas: 2, lag, readFrom: 'any' }, clients)).metrics;
    expect(async.replication?.cache.staleReads).toBeGreaterThan(100);
    expect(async.writes.staleReads).toBeGreaterThanOrEqual(async.replication?.cache.staleReads ?? 0);
    expect(async.replication?.cache.lagMs).toEqual({ p50: 5, p99: 5, max: 5 });
    // Replicas apply at different times, so an acknowledged write may be on one replica only.
    const spread = { dist: 'exponential', mean: '5ms' };
    const quorum = (w: number, r: number) =>
      run(
        replicated({ mode: 'quorum', replicas: 2, lag: spread, readFrom: 'any', quorum: { w, r } }, clients),
      ).metrics.replication?.cache.staleReads;
    expect(quorum(2, 2)).toBe(0);
    expect(quorum(3, 1)).toBe(0);
    expect(quorum(1, 3)).toBe(0);
    // W + R = N: a read can ask only the replicas the write has not reached.
    expect(quorum(2, 1)).toBeGreaterThan(0);
    expect(quorum(1, 2)).toBeGreaterThan(0);
  });

  it('more lag never gives fewer stale reads, over three seeds', () => {
    const config = (mean: string) =>
      replicated(
        { mode: 'async', replicas: 1, lag: { dist: 'exponential', mean }, readFrom: 'any' },
        { clients: { mode: 'open', rate: 5_000 } },
      );
    for (const seed of [1, 2, 3]) {
      const stale = ['0.2ms', '2ms', '20ms'].map((lag) => run(config(lag), seed).metrics.writes.staleReads);
      expect(stale[0], `seed ${seed}`).toBeGreaterThan(0);
      expect(stale[1], `seed ${seed}`).toBeGreaterThanOrEqual(stale[0]);
      expect(stale[2], `seed ${seed}`).toBeGreaterThanOrEqual(stale[1]);
    }
  });

  it('sync: a SET is answered once every replica has it', () => {
    const config = (mode: string) =>
      replicated(
        { mode, replicas: 2, lag: constant('3ms') },
        { writes: { policy: 'write-through' }, clients: { mode: 'open', rate: 500 } },
      );
    const sync = run(config('sync')).metrics.paths.write;
    const async = run(config('async')).metrics.paths.write;
    expect(async.max).toBe(0);
    expect(sync.p50).toBe(3);
    expect(sync.max).toBe(3);
  });

  it('every request ends once, and the same seed gives the same bytes', () => {
    const config = replicated(
      {
        mode: 'quorum',
        replicas: 2,
        lag: { dist: 'exponential', mean: '1ms' },
        quorum: { w: 2, r: 2 },
        readFrom: 'nearest',
      },
      {
        network: {
          sameHost: ZERO,
          sameZone: constant('0.1ms'),
          crossZone: constant('1ms'),
          bandwidthGbps: 'infinite',
        },
      },
    );
    const a = run(config);
    const o = a.metrics.outcomes;
    expect(o.hits + o.misses + o.writes + o.rejected + o.failed + o.inFlight).toBe(a.metrics.requests);
    expect(o.inFlight).toBe(0);
    expect(JSON.stringify(run(config))).toBe(JSON.stringify(a));
  });

  it('rejects impossible replication with the JSON pointer', () => {
    expect(problems(replicated({ mode: 'async', replicas: 1 }))).toEqual([
      'test.json: /tiers/cache/replication/lag: expected a lag distribution with mode "async"',
    ]);
    expect(
      problems(replicated({ mode: 'quorum', replicas: 1, lag: constant('1ms'), quorum: { w: 3, r: 1 } })),
    ).toEqual(['test.json: /tiers/cache/replication/quorum/w: expected at most 2 (the copies)']);
  });
});

/**
 * One shard, one replica 10 ms behind, no other latency; cache-aside deletes on writes of five keys at
 * 0, 1, 20, 21 and 22 ms (Twitter format, seconds replayed as ms), the primary crashing at 25 ms and a
 * replica promoted 5 ms later; a last GET at 100 ms keeps the run going. The deletes of 0 and 1 ms reached
 * the replica at 10 and 11 ms; those of 20, 21 and 22 ms were due at 30, 31 and 32 ms.
 */
function crashRun(replication: Json): ReplicationStats {
  const dir = mkdtempSync(join(tmpdir(), 'cachetopo-repl-'));
  const path = join(dir, 'writes.twitter.csv');
  const rows = [0, 1, 20, 21, 22].map((t, i) => `${t},k${i},2,100,1,set,0`);
  writeFileSync(path, `${[...rows, '100,k9,2,100,1,get,0'].join('\n')}\n`);
  const raw = baseConfig({
    workload: { trace: path, format: 'twitter' },
    clients: { mode: 'open', timeScale: 0.001 },
    tiers: {
      cache: cacheTier({
        replication: { lag: constant('10ms'), promotionDelay: '5ms', ...replication },
      }),
    },
  });
  const config = validateConfig({ raw, files: [{ file: 'test.json', json: raw }] }, topologySchema);
  const model = buildModel(config, { where: 'test.json', baseDir: '.' }, 1);
  const engine = model.engine;
  const primary = model.tiers[0].nodes[0];
  const crasher = engine.register({ handle: () => primary.crash(engine.now) }, 'crasher');
  engine.scheduleAt(25_000_000, crasher, 0);
  model.clients.start();
  engine.run();
  model.source.close();
  const rep = model.tiers[0].replication;
  if (rep === null) throw new Error('no replication');
  return rep.stats();
}

describe('promotion after a primary crash', () => {
  it('async loses exactly the acknowledged writes still in the lag window', () => {
    const s = crashRun({ mode: 'async', replicas: 1 });
    expect(s.promotions).toBe(1);
    expect(s.replicated).toBe(5);
    expect(s.lostWrites).toBe(3);
    expect(s.lostFills).toBe(0);
  });

  it('sync and quorum lose none, with the same crash', () => {
    expect(crashRun({ mode: 'sync', replicas: 1 })).toMatchObject({ promotions: 1, lostWrites: 0 });
    expect(crashRun({ mode: 'sync', replicas: 2 })).toMatchObject({ promotions: 1, lostWrites: 0 });
    expect(crashRun({ mode: 'quorum', replicas: 2, quorum: { w: 2, r: 2 } })).toMatchObject({
      promotions: 1,
      lostWrites: 0,
    });
  });

  it('ideal promotes at once and loses nothing', () => {
    expect(crashRun({ mode: 'ideal', replicas: 1 })).toMatchObject({ promotions: 1, lostWrites: 0 });
  });
});
