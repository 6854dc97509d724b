/**
 * A replicated shard's primary crashing (replication.ts, read-routing.ts, faults/health-check.ts): until
 * the promotion its writes are lost on the dead node (a write-through SET answered at the client's
 * timeout), a delete lost so leaves the promoted replica serving the old value, and the gateways' health
 * checks steer reads to the replica long before the promotion.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failoverLines } from '../../src/topology/failover-summary.ts';
import type { ResultDocument } from '../../src/topology/result.ts';
import { baseConfig, cacheTier, constant, run, ZERO } from './helpers.ts';

type Json = Record<string, unknown>;

/**
 * One key, replayed at timeScale 0.001 (seconds as ms): GETs at 0, 5, 32, 45, 60, 150 and 170 ms, SETs at
 * 50 and 160 ms. cache-0 (the primary, in zone a with the gateway) crashes at 30 ms for good; its replica
 * cache-0-r1 (zone b, 1 ms away each way) is 1 ms behind and promoted at 130 ms; reads go to the nearest
 * copy. With health checks every 10 ms (2 failures) the gateway marks cache-0 down at 40 ms.
 */
const trace = join(mkdtempSync(join(tmpdir(), 'cachetopo-failover-')), 'k1.twitter.csv');
{
  const ops: [number, string][] = [
    [0, 'get'],
    [5, 'get'],
    [32, 'get'],
    [45, 'get'],
    [50, 'set'],
    [60, 'get'],
    [150, 'get'],
    [160, 'set'],
    [170, 'get'],
  ];
  writeFileSync(trace, ops.map(([t, op]) => `${t},k1,2,100,1,${op},0\n`).join(''));
}

function failover(over: Json = {}): ResultDocument {
  return run(
    baseConfig({
      workload: { trace, format: 'twitter' },
      clients: { mode: 'open', timeScale: 0.001 },
      zones: ['a', 'b'],
      network: { sameHost: ZERO, sameZone: ZERO, crossZone: constant('1ms'), bandwidthGbps: 'infinite' },
      gateway: { upstreamTimeout: '50ms', healthCheck: { interval: '10ms', failures: 2 } },
      tiers: {
        cache: cacheTier({
          replication: {
            mode: 'async',
            replicas: 1,
            lag: constant('1ms'),
            readFrom: 'nearest',
            promotionDelay: '100ms',
          },
        }),
      },
      faults: [{ kind: 'node-crash', at: '30ms', node: 'cache-0' }],
      ...over,
    }),
  );
}

describe('a replicated primary crashes', () => {
  it('its writes are lost until the promotion; the lost delete leaves the promoted replica stale', () => {
    const m = failover().metrics;
    const r = m.replication?.cache;
    expect(r?.promotions).toBe(1);
    // The fill after the 32 ms read (at its 82 ms timeout) and the delete of the 50 ms set: the gateway
    // marked cache-0 down at 40 ms, so it does not send them (without health checks they are lost on it).
    expect(r?.writesToDownPrimary).toBe(0);
    expect(r?.writesWithheld).toBe(2);
    expect(m.faults?.lostCommands).toBe(0);
    const blind = failover({ gateway: { upstreamTimeout: '50ms' } }).metrics;
    expect(blind.replication?.cache.writesToDownPrimary).toBe(4);
    expect(blind.faults?.lostCommands).toBe(4);
    // The replica kept version 0 of k1: the reads at 60 and 150 ms are stale — not the replication's lag
    // (the primary never applied the delete), a write lost in the failover.
    expect(m.writes.staleReads).toBe(2);
    expect(r?.staleReads).toBe(0);
    // Hits at 5, 45, 60, 150 ms; misses at 0, 32 (timed out), 170 ms.
    expect(m.outcomes).toMatchObject({ hits: 4, misses: 3, writes: 2, failed: 0 });
  });

  it('the health checks mark it down at 40 ms and reads go to the replica; without them they time out', () => {
    const checked = failover().metrics;
    expect(checked.faults?.healthChecks).toEqual([{ t: 0.04, node: 'cache-0', down: true, gateways: 1 }]);
    // Only the 32 ms read met the dead primary (and timed out there, never looked up); the replica
    // served the 45 and 60 ms reads, and every read after the promotion.
    expect(checked.faults?.cacheTimeouts).toBe(1);
    expect(checked.nodes.map((n) => [n.name, n.gets])).toEqual([
      ['cache-0', 2],
      ['cache-0-r1', 4],
    ]);
    // The replica's answers cross zones: 2 ms; the timed-out read waited 50 ms.
    expect(checked.paths.hit.cache.max).toBe(2);
    expect(checked.paths.miss.max).toBe(50);
    const blind = failover({ gateway: { upstreamTimeout: '50ms' } }).metrics;
    // Reads at 32, 45 and 60 ms went to the dead primary until the promotion at 130 ms.
    expect(blind.faults?.cacheTimeouts).toBe(3);
    expect(blind.outcomes.hits).toBe(2);
  });

  it('write-through: a SET to the dead primary is answered at the client timeout, the next at the new one', () => {
    const m = failover({ writes: { policy: 'write-through' }, gateway: { upstreamTimeout: '50ms' } }).metrics;
    // The fills after the reads at 32, 45 and 60 ms, and the 50 ms SET.
    expect(m.replication?.cache.writesToDownPrimary).toBe(4);
    expect(m.outcomes.writes).toBe(2);
    // 50 ms: the timeout; the 160 ms set is stored on the promoted replica, one zone away: 2 ms.
    expect(m.paths.write.max).toBe(50);
    expect(m.paths.write.p50).toBe(2);
  });

  it('write-through: once the health checks mark the primary down, a SET to it fails at once', () => {
    const m = failover({ writes: { policy: 'write-through' } }).metrics;
    expect(m.replication?.cache).toMatchObject({
      writesToDownPrimary: 0,
      writesRejected: 1,
      writesWithheld: 1,
    });
    expect(m.outcomes).toMatchObject({ writes: 1, failed: 1 });
    expect(m.paths.failed.max).toBe(0);
    expect(m.paths.write.max).toBe(2);
  });

  it('cachetopo run prints the replication and the faults in a few lines', () => {
    expect(failoverLines(failover().metrics)).toEqual([
      'replication cache (async, 1 replica, reads from nearest): 2 writes replicated, lag p50 1 ms p99 1 ms; ' +
        '1 promotions, 0 writes and 0 fills lost, 0 reads from lagging copies, 0 writes sent to a dead primary; ' +
        'at a primary marked down: 0 SETs failed, 2 writes not sent',
      'fault at 0.03 s: cache-0 crashes; 1 affected',
      '  0.04 s: cache-0 marked down by 1 gateway(s)',
      'faults: 1 cache timeouts, 0 commands lost, 0 origin queries unreachable',
    ]);
  });

  it('every request ends once, and the same seed gives the same bytes', () => {
    const a = failover();
    const o = a.metrics.outcomes;
    expect(o.hits + o.misses + o.writes + o.rejected + o.failed + o.inFlight).toBe(a.metrics.requests);
    expect(JSON.stringify(failover())).toBe(JSON.stringify(a));
  });
});
