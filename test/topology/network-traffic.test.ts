/**
 * Traffic per link class (network.ts, the result's `network` block): counted by hand on a four-request
 * trace, zero across zones when there is one zone, the replication stream counted without changing a
 * draw, and the same seed giving the same bytes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkLines } from '../../src/topology/network-summary.ts';
import type { NetworkResult } from '../../src/topology/result.ts';
import { baseConfig, cacheTier, constant, run } from './helpers.ts';

type Json = Record<string, unknown>;

/**
 * One key of 100 bytes (the Twitter reader's object size: a 20-byte key and an 80-byte value), a second
 * apart: GET (a miss), GET (a hit), SET (cache-aside: the origin, then a DELETE to the node), GET (a miss
 * again), GET (a hit).
 */
function fiveRequests(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachetopo-network-'));
  const path = join(dir, 'five.twitter.csv');
  const ops = ['get', 'get', 'set', 'get', 'get'];
  writeFileSync(path, ops.map((op, t) => `${t},k1,20,80,1,${op},0\n`).join(''));
  return path;
}

/** Load balancer, gateway and origin in zone a (a host each); the cache node in `cacheZone`. */
function handCounted(cacheZone: string, cache: Json = {}): Json {
  return baseConfig({
    workload: { trace: fiveRequests(), format: 'twitter' },
    clients: { mode: 'open' },
    zones: ['a', 'b'],
    network: { sameHost: constant('10us'), sameZone: constant('100us'), crossZone: constant('1ms') },
    loadBalancer: { zones: ['a'] },
    gateway: { zones: ['a'] },
    tiers: { cache: cacheTier({ zones: [cacheZone], ...cache }) },
    origin: { zone: 'a' },
  });
}

const traffic = (messages: number[], bytes: number[]): NetworkResult => ({
  messages: { sameHost: messages[0], sameZone: messages[1], crossZone: messages[2] },
  bytes: { sameHost: bytes[0], sameZone: bytes[1], crossZone: bytes[2] },
});

describe('network traffic per link class', () => {
  it('counts every message and its value bytes by hand: the cache node in the other zone', () => {
    const m = run(handCounted('b')).metrics;
    expect([m.outcomes.hits, m.outcomes.misses, m.outcomes.writes]).toEqual([2, 2, 1]);
    // A miss: LB→gateway, gateway→origin, origin→gateway (100 B), gateway→LB (100 B) in zone a;
    //   GET, its answer and the FILL (100 B) across. Twice.
    // A hit: LB→gateway, gateway→LB (100 B) in zone a; GET and its answer (100 B) across. Twice.
    // The SET: LB→gateway (100 B), gateway→origin (100 B), origin→gateway, gateway→LB in zone a; the
    //   DELETE (no value) across.
    // Same zone: 2·4 + 2·2 + 4 = 16 messages, 2·200 + 2·100 + 200 = 800 B; across: 2·3 + 2·2 + 1 = 11,
    // 2·100 + 2·100 = 400 B.
    expect(m.network).toEqual(traffic([0, 16, 11], [0, 800, 400]));
    // Constant latencies: the hit took LB→gateway + GET + answer + gateway→LB = 0.1 + 1 + 1 + 0.1 ms.
    expect(m.paths.hit.cache.max).toBe(2.2);
  });

  it('one zone: the same messages and bytes, none of them across zones', () => {
    const m = run(handCounted('a')).metrics;
    expect(m.network).toEqual(traffic([0, 27, 0], [0, 1200, 0]));
  });

  it('a near cache on the gateway host: its GETs, answers and FILLs stay on the host', () => {
    const m = run(handCounted('a', { placement: 'gateway', zones: undefined })).metrics;
    expect(m.network).toEqual(traffic([11, 16, 0], [400, 800, 0]));
  });

  it('counts the replication stream (a FILL or a DELETE per replica), drawing nothing more', () => {
    const primaryOnly = run(handCounted('a')).metrics;
    const replicated = run(
      handCounted('a', {
        zones: undefined,
        replication: { mode: 'async', replicas: 1, lag: constant('1ms') },
      }),
    ).metrics;
    // The primary is in zone a, its replica in b: two FILLs (100 B each) and one DELETE cross to it.
    expect(replicated.replication?.cache.replicated).toBe(3);
    expect(replicated.network).toEqual(traffic([0, 27, 3], [0, 1200, 200]));
    expect(replicated.latencyMs).toEqual(primaryOnly.latencyMs);
  });

  it('two zones vs one on a generated workload: the same traffic, across zones > 0 vs exactly 0', () => {
    const config = (zones: string[]): Json =>
      baseConfig({
        workload: {
          generator: 'zipf',
          requests: 5_000,
          objects: 500,
          alpha: 1.0,
          sizes: { dist: 'constant', value: 1_000 },
          ops: { get: 0.9, set: 0.1 },
        },
        zones,
        loadBalancer: { instances: 2 },
        gateway: { instances: 2 },
        tiers: { cache: cacheTier({ nodes: 3 }) },
      });
    const two = run(config(['a', 'b'])).metrics.network;
    const one = run(config(['a'])).metrics.network;
    expect(two.bytes.crossZone).toBeGreaterThan(0);
    expect(two.messages.crossZone).toBeGreaterThan(0);
    expect(one.bytes.crossZone).toBe(0);
    expect(one.messages.crossZone).toBe(0);
    const sum = (x: { sameHost: number; sameZone: number; crossZone: number }) =>
      x.sameHost + x.sameZone + x.crossZone;
    expect(sum(two.messages)).toBe(sum(one.messages));
    expect(sum(two.bytes)).toBe(sum(one.bytes));
  });

  it('same seed: byte-identical documents, network block included', () => {
    const raw = baseConfig({
      workload: { generator: 'zipf', requests: 3_000, objects: 300, alpha: 0.9, ops: { get: 0.9, set: 0.1 } },
      zones: ['a', 'b', 'c'],
      network: {
        sameZone: { dist: 'lognormal', median: '50us', p99: '150us' },
        crossZone: { dist: 'lognormal', median: '400us', p99: '1ms' },
        bandwidthGbps: 10,
      },
      gateway: { instances: 3 },
      tiers: { cache: cacheTier({ nodes: 3 }) },
    });
    const a = JSON.stringify(run(raw, 5));
    expect(JSON.stringify(run(raw, 5))).toBe(a);
    expect(JSON.parse(a).metrics.network.bytes.crossZone).toBeGreaterThan(0);
  });

  it('summarises as one line of the run table', () => {
    const m = run(handCounted('b')).metrics;
    expect(networkLines(m)).toEqual([
      'network: 27 messages, 1.17 KiB; cross-zone 33.3% of bytes (400 B in 11 messages)',
    ]);
  });
});
