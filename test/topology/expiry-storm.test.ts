/**
 * Expiry storms in whole runs (topology/expiry.ts, refresh.ts, preload.ts): a cache warmed at t=0 whose
 * copies expire together sends a burst of reads to the origin; jitter spreads it over time; XFetch and
 * stale-while-revalidate stop each hot key's herd; requests are still conserved and runs reproducible.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseConfig, cacheTier, mixed, problems, run } from './helpers.ts';

type Json = Record<string, unknown>;

/** A twitter-format trace of GETs of one key at `ms` (replayed at timeScale 0.001: seconds → ms). */
function getsAt(ms: readonly number[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cachetopo-ttl-')), 'gets.twitter.csv');
  writeFileSync(path, ms.map((t) => `${t},k1,2,100,1,get,0\n`).join(''));
  return path;
}

/**
 * 2,000 objects (Zipf 0.9) read at 2,000/s for 10 s, all warmed at t=0 with a TTL of 3 s: the copies
 * expire in the window starting at 3 s, unless jittered.
 */
function warmStart(ttl: Json, seed: number) {
  return run(
    baseConfig({
      workload: { generator: 'zipf', requests: 20_000, objects: 2_000, alpha: 0.9 },
      clients: { mode: 'open', rate: 2_000 },
      origin: { read: { dist: 'constant', value: '5ms' }, pool: 50 },
      preload: { requests: 20_000 },
      ttl: { base: '3s', ...ttl },
    }),
    seed,
  ).metrics;
}

/**
 * 20 hot keys (200 reads/s each) behind a slow origin (50 ms reads, never queued), warmed at t=0 with a
 * TTL of 2 s, in 100 ms windows: when they expire together, each key's reads in the 50 ms before its
 * refill all miss — a herd of about 10 origin reads per key.
 */
function hotKeys(ttl: Json, seed = 1) {
  return run(
    baseConfig({
      workload: { generator: 'zipf', requests: 16_000, objects: 20, alpha: 0.5 },
      clients: { mode: 'open', rate: 4_000 },
      origin: { read: { dist: 'constant', value: '50ms' }, pool: 1000 },
      preload: { requests: 16_000 },
      metrics: { window: '100ms' },
      ttl: { base: '2s', ...ttl },
    }),
    seed,
  ).metrics;
}

describe('expiry in a run', () => {
  it('expires a copy exactly one TTL after its fill; stale-while-revalidate serves it and refreshes once', () => {
    // Origin reads take 5 ms. GET at 0 misses and fills at 5 (expires at 15); 12 hits; 16 finds it
    // expired: served, refresh 16 → 21 (expires at 31); 18 served without another refresh; 25 hits; 32
    // finds it expired again: served, second refresh.
    const m = run(
      baseConfig({
        workload: { trace: getsAt([0, 12, 16, 18, 25, 32]), format: 'twitter' },
        clients: { mode: 'open', timeScale: 0.001 },
        origin: { read: { dist: 'constant', value: '5ms' }, pool: 4 },
        ttl: { base: '10ms', staleWhileRevalidate: '100ms' },
      }),
    ).metrics;
    expect(m.outcomes).toEqual({ hits: 5, misses: 1, writes: 0, rejected: 0, failed: 0, inFlight: 0 });
    expect(m.origin.reads).toBe(3);
    expect(m.expiry).toMatchObject({
      expirations: 2,
      swrServed: 3,
      backgroundRefreshes: 2,
      earlyRefreshes: 0,
    });
    // Nothing was written: the old copies served were the origin's current version.
    expect(m.staleReadRatio).toBe(0);
  });

  it('without stale-while-revalidate the read at the expiry instant misses', () => {
    // Fill at 5 (expires at 15): 15 misses and refills at 20 (expires at 30); 29 hits; 30 misses.
    const m = run(
      baseConfig({
        workload: { trace: getsAt([0, 14, 15, 29, 30]), format: 'twitter' },
        clients: { mode: 'open', timeScale: 0.001 },
        origin: { read: { dist: 'constant', value: '5ms' }, pool: 4 },
        ttl: { base: '10ms' },
      }),
    ).metrics;
    expect([m.outcomes.hits, m.outcomes.misses, m.expiry?.expirations]).toEqual([2, 3, 2]);
  });

  it('mode "trace": a copy written by a set lives as long as the TTL the set carried', () => {
    // A set at 0 s with a 5 s TTL stores the value (update on write); GETs at 4 s hit, at 6 s miss.
    const path = join(mkdtempSync(join(tmpdir(), 'cachetopo-ttl-')), 'set.twitter.csv');
    writeFileSync(path, '0,k1,2,100,1,set,5\n4,k1,2,100,1,get,0\n6,k1,2,100,1,get,0\n');
    const m = (mode: string) =>
      run(
        baseConfig({
          workload: { trace: path, format: 'twitter' },
          clients: { mode: 'open' },
          writes: { policy: 'update' },
          ttl: { base: '60s', mode },
        }),
      ).metrics;
    expect([m('trace').outcomes.hits, m('trace').expiry?.expirations]).toEqual([1, 1]);
    expect([m('fixed').outcomes.hits, m('fixed').expiry?.expirations]).toEqual([2, 0]);
  });

  it('a warm start without TTLs never misses; with a TTL the warmed copies expire together', () => {
    const warm = run(
      baseConfig({
        workload: { generator: 'zipf', requests: 5_000, objects: 500, alpha: 0.9 },
        preload: { requests: 5_000 },
      }),
    ).metrics;
    expect(warm.outcomes.misses).toBe(0);
    const m = warmStart({}, 1);
    expect(m.expiry?.preloaded).toBe(m.simulation.keys);
    // Nothing reaches the origin before 3 s; the busiest window is the one the copies expire in.
    expect(m.series.originQps.slice(0, 3)).toEqual([0, 0, 0]);
    expect(m.origin.peakQps).toBe(m.series.originQps[3]);
  });

  it('jitter lowers the origin peak of a synchronized expiry, on every seed', () => {
    for (const seed of [1, 2, 3]) {
      const sync = warmStart({}, seed).origin.peakQps;
      const jittered = warmStart({ jitter: 0.5 }, seed).origin.peakQps;
      expect(jittered).toBeLessThan(0.7 * sync);
    }
  });

  it('XFetch refreshes hot keys before they expire, and the herd and the peak shrink', () => {
    for (const seed of [1, 2]) {
      const sync = hotKeys({}, seed);
      const xfetch = hotKeys({ xfetch: { beta: 1, delta: '50ms' } }, seed);
      expect(sync.expiry?.earlyRefreshes).toBe(0);
      expect(xfetch.expiry?.earlyRefreshes).toBeGreaterThan(0);
      // Every key expires at 2 s without XFetch; with it, reads refresh them early instead.
      expect(sync.expiry?.expirations).toBe(20);
      expect(xfetch.expiry?.expirations).toBeLessThan(5);
      expect(xfetch.origin.peakQps).toBeLessThan(0.5 * sync.origin.peakQps);
      expect(xfetch.origin.reads).toBeLessThan(sync.origin.reads);
    }
  });

  it('stale-while-revalidate sends exactly one background read per key per expiry and no client waits', () => {
    const m = hotKeys({ staleWhileRevalidate: '1s' });
    const e = m.expiry as NonNullable<typeof m.expiry>;
    expect(e.expirations).toBe(20);
    expect(e.backgroundRefreshes).toBe(20);
    expect(m.origin.reads).toBe(20);
    expect(m.outcomes.misses).toBe(0);
    // Each key's reads during its 50 ms refresh were served the old copy.
    expect(e.swrServed).toBeGreaterThan(5 * e.backgroundRefreshes);
    expect(m.origin.peakQps).toBeLessThan(0.2 * hotKeys({}).origin.peakQps);
  });

  it('under memcache leases a background refresh holds the lease, so its fill is stored', () => {
    // Were the refreshes' fills refused, each copy would be dropped at its window's end (3 s) and missed.
    const m = run(
      baseConfig({
        workload: { generator: 'zipf', requests: 16_000, objects: 20, alpha: 0.5 },
        clients: { mode: 'open', rate: 4_000 },
        origin: { read: { dist: 'constant', value: '50ms' }, pool: 1000 },
        preload: { requests: 16_000 },
        writes: { policy: 'lease' },
        ttl: { base: '2s', staleWhileRevalidate: '1s' },
      }),
    ).metrics;
    expect([m.expiry?.expirations, m.expiry?.backgroundRefreshes, m.outcomes.misses]).toEqual([20, 20, 0]);
  });
});

describe('expiry: conservation and determinism', () => {
  /** Two tiers, writes, a small origin queue and a timeout, every mitigation on at once. */
  function everything(seed: number, over: Json = {}) {
    return run(
      baseConfig({
        ...mixed({ get: 0.9, set: 0.1 }),
        tiers: {
          l1: cacheTier({ nodes: 2, capacity: '20KiB', service: { dist: 'exponential', mean: '20us' } }),
          l2: cacheTier({ nodes: 2, service: { dist: 'exponential', mean: '20us' } }),
        },
        gateway: { routes: [{ chain: ['l1', 'l2'] }] },
        origin: {
          read: { dist: 'exponential', mean: '2ms' },
          write: { dist: 'exponential', mean: '2ms' },
          pool: 4,
          queueLimit: 10,
          timeout: '20ms',
        },
        coalescing: true,
        preload: { requests: 10_000 },
        ttl: { base: '1s', jitter: 0.2, staleWhileRevalidate: '200ms', xfetch: { beta: 1 } },
        ...over,
      }),
      seed,
    );
  }

  it('every request ends exactly once with every mitigation on', () => {
    const m = everything(1).metrics;
    const o = m.outcomes;
    expect(o.inFlight).toBe(0);
    expect(o.hits + o.misses + o.writes + o.rejected + o.failed).toBe(20_000);
    expect(o.failed).toBeGreaterThan(0);
    const e = m.expiry as NonNullable<typeof m.expiry>;
    expect(e.expirations).toBeGreaterThan(0);
    expect(e.earlyRefreshes).toBeGreaterThan(0);
    expect(e.backgroundRefreshes).toBeGreaterThan(0);
    expect(m.series.requests.reduce((a, b) => a + b, 0)).toBe(20_000);
  });

  it('origin reads are the client reads that went there plus the background refreshes', () => {
    // The same with a roomy origin, so no read fails: reads + coalesced = misses + refreshes.
    const m = everything(2, {
      origin: {
        read: { dist: 'exponential', mean: '2ms' },
        write: { dist: 'exponential', mean: '2ms' },
        pool: 64,
      },
    }).metrics;
    expect(m.outcomes.failed).toBe(0);
    expect(m.origin.reads + m.origin.coalesced).toBe(
      m.outcomes.misses + (m.expiry?.backgroundRefreshes ?? Number.NaN),
    );
  });

  it('the same seed gives identical results; another seed other jitter draws', () => {
    const a = JSON.stringify(everything(7));
    expect(JSON.stringify(everything(7))).toBe(a);
    expect(JSON.stringify(everything(8))).not.toBe(a);
  });

  it('refuses a TTL block it cannot honour, naming every field at once', () => {
    const bad = baseConfig({ ttl: { base: '0s', jitter: 1, xfetch: { beta: 0 } }, preload: { requests: 0 } });
    expect(problems(bad)).toEqual([
      'test.json: /ttl/base: expected a duration > 0',
      'test.json: /ttl/jitter: expected < 1, got 1',
      'test.json: /ttl/xfetch/beta: expected > 0, got 0',
      'test.json: /preload/requests: expected a whole number >= 1, got 0',
    ]);
  });

  it('without a ttl block there is no expiry block and nothing expires', () => {
    const m = run(baseConfig({})).metrics;
    expect(Object.hasOwn(m, 'expiry')).toBe(false);
  });
});
