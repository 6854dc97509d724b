/**
 * A partition between a primary's zone and its replica's (replication.ts): the stream to the replica is
 * held, reads of the replica serve its old data, the replica catches up at the heal from the backlog or
 * with a full copy, and a SET whose mode needs the held replica waits for the heal or times out. And
 * writes to a primary the gateway has marked down fail at once (request-path.ts, write-policy.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failoverLines } from '../../src/topology/failover-summary.ts';
import type { ResultDocument } from '../../src/topology/result.ts';
import { baseConfig, cacheTier, constant, run, ZERO } from './helpers.ts';

type Json = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-partition-'));

/** A trace of key k1 (102 bytes: a 2-byte key, a 100-byte value), one line per [ms, op], at timeScale 0.001. */
function trace(name: string, ops: [number, string][]): string {
  const file = join(dir, `${name}.twitter.csv`);
  writeFileSync(file, ops.map(([t, op]) => `${t},k1,2,100,1,${op},0\n`).join(''));
  return file;
}

/**
 * Requests alternate between gateway 0 (zone a, next to the primary cache-0) and gateway 1 (zone b, next
 * to the replica cache-0-r1, which it reads: nearest). No network latency; the replica lags 1 ms.
 * Zones a and b are cut apart from 10 to 40 ms.
 *   0 get (gw0: miss, filled on the primary, replicated at 1)   2 get (gw1: replica hit)
 *   20 set (gw0: the delete is held)   25 get (gw1: replica hit, the deleted value)
 *   30 get (gw0: miss, the fill is held)   35 get (gw1: replica hit, the old value)
 *   50 get (gw0: primary hit)   60 get (gw1: replica hit, caught up)
 */
const reads = trace('reads', [
  [0, 'get'],
  [2, 'get'],
  [20, 'set'],
  [25, 'get'],
  [30, 'get'],
  [35, 'get'],
  [50, 'get'],
  [60, 'get'],
]);

function cut(replication: Json, over: Json = {}): ResultDocument {
  return run(
    baseConfig({
      workload: { trace: reads, format: 'twitter' },
      clients: { mode: 'open', timeScale: 0.001 },
      zones: ['a', 'b'],
      gateway: { instances: 2, upstreamTimeout: '50ms' },
      tiers: {
        cache: cacheTier({
          replication: {
            mode: 'async',
            replicas: 1,
            lag: constant('1ms'),
            readFrom: 'nearest',
            ...replication,
          },
        }),
      },
      faults: [{ kind: 'partition', at: '10ms', until: '40ms', zones: ['a', 'b'] }],
      ...over,
    }),
  );
}

describe('a partition cuts the replication stream', () => {
  it('an async replica in the cut zone falls behind, serves old data, and catches up from the backlog', () => {
    const m = cut({}).metrics;
    const r = m.replication?.cache;
    expect(r?.partition).toEqual({
      heldWrites: 2,
      writesBlocked: 0,
      writesTimedOut: 0,
      partialResyncs: 1,
      fullResyncs: 0,
    });
    // The hits at 25 and 35 ms lacked the acknowledged delete (and then the fill): stale by the replication.
    expect(r?.staleReads).toBe(2);
    expect(m.writes.staleReads).toBe(2);
    // Lags: the fill at 0 (1 ms), the held delete (20 → 41 ms) and fill (30 → 41 ms, after it in order).
    expect(r?.lagMs.max).toBe(21);
    expect(r?.replicated).toBe(3);
    const replica = m.nodes.find((n) => n.name === 'cache-0-r1');
    expect(replica?.gets).toBe(4);
    expect(replica?.hits).toBe(4);
    expect(m.outcomes).toMatchObject({ hits: 5, misses: 2, writes: 1, failed: 0 });
  });

  it('held writes beyond the backlog force a full resync: the replica takes the primary copy one lag after', () => {
    const m = cut({ backlog: 50 }).metrics;
    expect(m.replication?.cache.partition).toEqual({
      heldWrites: 2,
      writesBlocked: 0,
      writesTimedOut: 0,
      partialResyncs: 0,
      fullResyncs: 1,
    });
    // The held fill (102 bytes) overflowed the 50-byte backlog; at 41 ms the replica copied k1's new value,
    // so the 60 ms read hits it, fresh.
    expect(m.replication?.cache.staleReads).toBe(2);
    expect(m.writes.staleReads).toBe(2);
    expect(m.outcomes.hits).toBe(5);
    // Only the fill at 0 went down the stream; nothing was applied from the backlog.
    expect(m.replication?.cache.lagMs.max).toBe(1);
    // The held writes fit a 102-byte backlog exactly (the delete carries no value).
    expect(cut({ backlog: 102 }).metrics.replication?.cache.partition?.partialResyncs).toBe(1);
    expect(cut({ backlog: 101 }).metrics.replication?.cache.partition?.fullResyncs).toBe(1);
  });

  it('a resync crosses the zones: the held writes one by one, or the copy as one transfer', () => {
    const partial = cut({}).metrics.network;
    const full = cut({ backlog: 50 }).metrics.network;
    // The held delete (no value) and fill (102 bytes), or one copy of what the primary holds: k1, 102 bytes.
    expect(partial.messages.crossZone - full.messages.crossZone).toBe(1);
    expect(partial.bytes.crossZone).toBe(full.bytes.crossZone);
    expect(partial.bytes.crossZone).toBeGreaterThanOrEqual(102);
  });

  it('sync: the held writes are not acknowledged, so reads of the held replica do not count as lagging', () => {
    const m = cut({ mode: 'sync' }).metrics;
    // The same two hits on the old value (the versions count them) lack no acknowledged write.
    expect(m.writes.staleReads).toBe(2);
    expect(m.replication?.cache.staleReads).toBe(0);
    expect(m.replication?.cache.partition?.partialResyncs).toBe(1);
  });

  it('ideal replication ignores the partition', () => {
    const m = cut({ mode: 'ideal', lag: undefined }).metrics;
    expect(m.replication?.cache.partition?.heldWrites).toBe(0);
    expect(m.replication?.cache.staleReads).toBe(0);
    expect(m.writes.staleReads).toBe(0);
  });

  it('cachetopo run prints what the partition did to the stream', () => {
    // Lags 1, 11 and 21 ms: the median is the histogram's estimate of 11 ms.
    expect(failoverLines(cut({}).metrics).slice(0, 2)).toEqual([
      'replication cache (async, 1 replica, reads from nearest): 3 writes replicated, lag p50 10.977 ms p99 21 ms; ' +
        '0 promotions, 0 writes and 0 fills lost, 2 reads from lagging copies, 0 writes sent to a dead primary',
      '  partitions: 2 writes held, 0 SETs blocked (0 timed out), 1 partial and 0 full resyncs',
    ]);
  });

  it('every request ends once, and the same seed gives the same bytes', () => {
    const a = cut({ backlog: 50 });
    const o = a.metrics.outcomes;
    expect(o.hits + o.misses + o.writes + o.rejected + o.failed + o.inFlight).toBe(a.metrics.requests);
    expect(JSON.stringify(cut({ backlog: 50 }))).toBe(JSON.stringify(a));
  });
});

/**
 * Write-through SETs from one gateway in zone a; each shard copy in a zone of its own (a, b, c), the
 * replicas 1 ms behind, the client's timeout 50 ms. Zones a and b are cut apart from 10 ms to `until`.
 */
const sets = trace('sets', [
  [0, 'set'],
  [20, 'set'],
]);

function syncSet(replication: Json, until: string): ResultDocument {
  return run(
    baseConfig({
      workload: { trace: sets, format: 'twitter' },
      clients: { mode: 'open', timeScale: 0.001 },
      zones: ['a', 'b', 'c'],
      gateway: { upstreamTimeout: '50ms' },
      writes: { policy: 'write-through' },
      tiers: { cache: cacheTier({ replication: { lag: constant('1ms'), ...replication } }) },
      faults: [{ kind: 'partition', at: '10ms', until, zones: ['a', 'b'] }],
    }),
  );
}

describe('a SET whose acknowledgement needs a replica behind the cut', () => {
  it('sync: times out when the partition outlasts the client timeout', () => {
    const m = syncSet({ mode: 'sync', replicas: 1 }, '200ms').metrics;
    expect(m.replication?.cache.partition).toMatchObject({ writesBlocked: 1, writesTimedOut: 1 });
    // The 0 ms SET waits for the replica: 1 ms; the 20 ms one for the client timeout.
    expect(m.paths.write.max).toBe(50);
    expect(m.paths.write.p50).toBe(1);
    expect(m.outcomes.writes).toBe(2);
  });

  it('sync: is acknowledged at the heal when it comes first (heal 40 ms + 1 ms lag)', () => {
    const m = syncSet({ mode: 'sync', replicas: 1 }, '40ms').metrics;
    expect(m.replication?.cache.partition).toMatchObject({
      writesBlocked: 1,
      writesTimedOut: 0,
      partialResyncs: 1,
    });
    expect(m.paths.write.max).toBe(21);
  });

  it('quorum: W copies on the reachable side acknowledge it; W beyond them blocks it', () => {
    // Copies in a (primary), b (cut) and c: W = 2 is the primary and the replica in c.
    const w2 = syncSet({ mode: 'quorum', replicas: 2, quorum: { w: 2, r: 1 } }, '200ms').metrics;
    expect(w2.replication?.cache.partition).toMatchObject({ heldWrites: 1, writesBlocked: 0 });
    expect(w2.paths.write.max).toBe(1);
    const w3 = syncSet({ mode: 'quorum', replicas: 2, quorum: { w: 3, r: 1 } }, '200ms').metrics;
    expect(w3.replication?.cache.partition).toMatchObject({ writesBlocked: 1, writesTimedOut: 1 });
    expect(w3.paths.write.max).toBe(50);
  });

  it('sync: a primary crash strands the blocked SET, answered once, at the client timeout', () => {
    const doc = run(
      baseConfig({
        workload: { trace: sets, format: 'twitter' },
        clients: { mode: 'open', timeScale: 0.001 },
        zones: ['a', 'b'],
        gateway: { upstreamTimeout: '50ms' },
        writes: { policy: 'write-through' },
        tiers: {
          cache: cacheTier({ replication: { mode: 'sync', replicas: 1, lag: constant('1ms') } }),
        },
        faults: [
          { kind: 'partition', at: '10ms', until: '40ms', zones: ['a', 'b'] },
          { kind: 'node-crash', at: '30ms', node: 'cache-0' },
        ],
      }),
    );
    const m = doc.metrics;
    expect(m.replication?.cache.partition).toMatchObject({
      writesBlocked: 1,
      writesTimedOut: 1,
      partialResyncs: 0,
    });
    expect(m.outcomes).toMatchObject({ writes: 2, failed: 0, inFlight: 0 });
    expect(m.paths.write.max).toBe(50);
  });

  it('async: is acknowledged by the primary alone, held or not', () => {
    const m = syncSet({ mode: 'async', replicas: 1 }, '200ms').metrics;
    expect(m.replication?.cache.partition).toMatchObject({ heldWrites: 1, writesBlocked: 0 });
    expect(m.paths.write.max).toBe(0);
  });
});

/**
 * The primary cache-0 (zone a, with the gateway) crashes at 30 ms for good; the gateway's health checks
 * (every 10 ms, 2 failures) mark it down at 40 ms; its replica is promoted at 130 ms. Every network leg
 * within a zone takes 1 ms.
 */
const writes = trace('writes', [
  [0, 'get'],
  [32, 'set'],
  [50, 'set'],
  [60, 'get'],
]);

function marked(over: Json = {}): ResultDocument {
  return run(
    baseConfig({
      workload: { trace: writes, format: 'twitter' },
      clients: { mode: 'open', timeScale: 0.001 },
      zones: ['a', 'b'],
      network: {
        sameHost: ZERO,
        sameZone: constant('1ms'),
        crossZone: constant('1ms'),
        bandwidthGbps: 'infinite',
      },
      gateway: { upstreamTimeout: '50ms', healthCheck: { interval: '10ms', failures: 2 } },
      writes: { policy: 'write-through' },
      tiers: {
        cache: cacheTier({
          replication: { mode: 'async', replicas: 1, lag: constant('1ms'), promotionDelay: '100ms' },
        }),
      },
      faults: [{ kind: 'node-crash', at: '30ms', node: 'cache-0' }],
      ...over,
    }),
  );
}

describe('a primary the gateway has marked down', () => {
  it('a SET to it fails at once: one round trip, not the timeout; before the mark it times out', () => {
    const m = marked().metrics;
    const r = m.replication?.cache;
    // 50 ms: load balancer → gateway → origin → gateway → load balancer, 1 ms each, and no cache leg.
    expect(m.outcomes).toMatchObject({ writes: 1, failed: 1 });
    expect(m.paths.failed.max).toBe(4);
    // 32 ms, inside the detection window: sent to the dead primary, answered at the 50 ms timeout.
    expect(m.paths.write.max).toBe(1 + 2 + 50 + 1);
    expect(r?.writesRejected).toBe(1);
    expect(r?.writesToDownPrimary).toBe(1);
  });

  it('no fill is sent to it either', () => {
    // The 60 ms read misses (its primary is dead; reads from the primary) after the timeout: its fill is
    // withheld, as is nothing else.
    const m = marked().metrics;
    expect(m.replication?.cache.writesWithheld).toBe(1);
    expect(m.faults?.lostCommands).toBe(0);
  });

  it('write-behind: the failed SET is not queued for the origin', () => {
    const m = marked({ writes: { policy: 'write-behind', flushInterval: '10ms' } }).metrics;
    expect(m.outcomes).toMatchObject({ writes: 1, failed: 1 });
    expect(m.writes.writeBehind).toEqual({ flushed: 1, retried: 0, unflushed: 0 });
  });

  it('without health checks every write goes to the dead primary and the counts are absent', () => {
    const m = marked({ gateway: { upstreamTimeout: '50ms' } }).metrics;
    const r = m.replication?.cache;
    expect(m.outcomes).toMatchObject({ writes: 2, failed: 0 });
    expect(r?.writesToDownPrimary).toBe(3);
    expect(r && 'writesRejected' in r).toBe(false);
    expect(r && 'partition' in r).toBe(false);
  });
});

describe('without faults', () => {
  it('a replicated run is the same with the default backlog spelt out, and has no partition block', () => {
    const plain = (backlog: Json): ResultDocument =>
      run(
        baseConfig({
          workload: {
            generator: 'zipf',
            requests: 3_000,
            objects: 300,
            alpha: 0.9,
            ops: { get: 0.8, set: 0.2 },
          },
          zones: ['a', 'b'],
          network: { sameHost: ZERO, sameZone: ZERO, crossZone: constant('1ms'), bandwidthGbps: 'infinite' },
          writes: { policy: 'write-through' },
          tiers: {
            cache: cacheTier({
              replication: { mode: 'sync', replicas: 1, lag: constant('1ms'), readFrom: 'any', ...backlog },
            }),
          },
        }),
      );
    const a = plain({});
    const r = a.metrics.replication?.cache as unknown as Json;
    expect(Object.keys(r)).toEqual([
      'mode',
      'replicas',
      'readFrom',
      'replicated',
      'lagMs',
      'promotions',
      'lostWrites',
      'lostFills',
      'staleReads',
      'writesToDownPrimary',
    ]);
    expect(JSON.stringify(plain({ backlog: '1MiB' }).metrics)).toBe(JSON.stringify(a.metrics));
  });
});
