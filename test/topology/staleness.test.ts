/**
 * Versions and staleness: a hit on a copy older than the origin's version is a stale read, aged from the
 * commit of the first newer version. With no latency anywhere every request ends before the next begins,
 * so nothing can be stale under any write policy that reaches the origin before answering (issue 5's
 * ideal). The race of cache-aside with delete
 * on write — a read that took its value at the origin before a write committed fills it after the delete
 * — shows up as stale reads when a slow origin read allows it, and Memcache leases remove it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseConfig, mixed, run, ZERO } from './helpers.ts';
import { race, raceTrace } from './race.ts';

/** Write-behind is left out: its queue is a lag by design (write-policies.test.ts). */
const SYNCHRONOUS = ['invalidate', 'update', 'write-through', 'lease'] as const;

describe('staleness', () => {
  it('is exactly 0 with zero latency everywhere, under every synchronous write policy', () => {
    for (const policy of SYNCHRONOUS) {
      const m = run(
        baseConfig({
          workload: {
            generator: 'zipf',
            requests: 20_000,
            objects: 500,
            alpha: 1.0,
            sizes: { dist: 'constant', value: 100 },
            ops: { get: 0.7, set: 0.2, delete: 0.1 },
          },
          writes: { policy },
          tiers: {
            l1: { server: 'generic', nodes: 2, policy: 'lru', capacity: '4KiB', service: ZERO },
            l2: { server: 'generic', nodes: 3, policy: 'lru', capacity: 'infinite', service: ZERO },
          },
          gateway: { routes: [{ chain: ['l1', 'l2'] }] },
        }),
      ).metrics;
      expect(m.outcomes.hits, policy).toBeGreaterThan(5_000);
      expect(m.tiers.l2.hits, policy).toBeGreaterThan(500);
      expect(m.outcomes.writes, policy).toBeGreaterThan(5_000);
      expect(m.staleReadRatio, policy).toBe(0);
      expect(m.writes.staleReads, policy).toBe(0);
      expect(m.staleAgeMs, policy).toEqual({ p50: null, p99: null, max: null });
      expect(m.tiers.l1.staleReadRatio, policy).toBe(0);
      expect(m.tiers.l2.staleReadRatio, policy).toBe(0);
      expect(
        m.series.staleReadRatio.every((r) => r === 0 || r === null),
        policy,
      ).toBe(true);
    }
  });

  it('delete on write: a slow origin read refills the old value after the delete (the race)', () => {
    const m = race('invalidate');
    expect(m.outcomes).toEqual({ hits: 1, misses: 1, writes: 1, rejected: 0, failed: 0, inFlight: 0 });
    // One stale read of the two reads served; the tier's one hit was stale.
    expect(m.staleReadRatio).toBe(0.5);
    expect(m.tiers.cache.staleReadRatio).toBe(1);
    expect(m.staleAgeMs).toEqual({ p50: 18, p99: 18, max: 18 });
    expect(m.tiers.cache.staleAgeMs).toEqual({ p50: 18, p99: 18, max: 18 });
    expect(m.nodes[0].staleHits).toBe(1);
    expect(m.series.staleReadRatio).toEqual([0.5]);
  });

  it('leases remove the race: the delete revokes the slow reader’s lease and its fill is refused', () => {
    const m = race('lease');
    expect(m.outcomes).toEqual({ hits: 0, misses: 2, writes: 1, rejected: 0, failed: 0, inFlight: 0 });
    expect(m.staleReadRatio).toBe(0);
    expect(m.staleAgeMs.max).toBeNull();
    expect(m.nodes[0].fills).toBe(1);
    expect(m.nodes[0].ignored).toBe(1);
    expect(m.nodes[0].deletes).toBe(1);
  });

  it('the race needs the latency: with a read faster than the write’s commit there is none', () => {
    const m = run(
      baseConfig({
        workload: { trace: raceTrace(), format: 'twitter' },
        clients: { mode: 'open', timeScale: 0.001 },
        origin: {
          read: { dist: 'constant', value: '0.5ms' },
          write: { dist: 'constant', value: '1ms' },
          pool: 4,
        },
      }),
    ).metrics;
    // The fill (0.5 ms) lands before the SET arrives (1 ms); its delete then empties the cache.
    expect(m.outcomes.misses).toBe(2);
    expect(m.staleReadRatio).toBe(0);
  });

  it('ages are measured from the first newer version: two writes, the copy one behind the second', () => {
    // GET 0 (snapshot v0, fills at 10 ms), SET 1 (commits v1 at 2 ms), SET 3 (commits v2 at 4 ms), GET 30.
    const dir = mkdtempSync(join(tmpdir(), 'cachetopo-race-'));
    const path = join(dir, 'two.twitter.csv');
    writeFileSync(path, '0,k1,2,100,1,get,0\n1,k1,2,100,1,set,0\n3,k1,2,100,1,set,0\n30,k1,2,100,1,get,0\n');
    const m = run(
      baseConfig({
        workload: { trace: path, format: 'twitter' },
        clients: { mode: 'open', timeScale: 0.001 },
        origin: {
          read: { dist: 'constant', value: '10ms' },
          write: { dist: 'constant', value: '1ms' },
          pool: 4,
        },
      }),
    ).metrics;
    // Version 0 went out of date when v1 committed at 2 ms, not when v2 did at 4 ms: 30 − 2 = 28 ms.
    expect(m.staleAgeMs).toEqual({ p50: 28, p99: 28, max: 28 });
    expect(m.writes.staleAgesBounded).toBe(0);
  });

  it('grows with the race window: slower origin reads never give fewer stale reads, over three seeds', () => {
    const config = (read: string) =>
      baseConfig({
        ...mixed({ get: 0.8, set: 0.15, delete: 0.05 }),
        tiers: { cache: { server: 'generic', nodes: 1, policy: 'lru', capacity: '20KiB', service: ZERO } },
        origin: {
          read: { dist: 'exponential', mean: read },
          write: { dist: 'exponential', mean: '2ms' },
          pool: 64,
        },
      });
    for (const seed of [1, 2, 3]) {
      const stale = ['0.5ms', '2ms', '8ms'].map((r) => run(config(r), seed).metrics.writes.staleReads);
      expect(stale[0], `seed ${seed}`).toBeGreaterThan(0);
      expect(stale[1], `seed ${seed}`).toBeGreaterThanOrEqual(stale[0]);
      expect(stale[2], `seed ${seed}`).toBeGreaterThanOrEqual(stale[1]);
    }
  });
});
