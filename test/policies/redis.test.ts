import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { Random } from '../../src/policies/api.ts';
import {
  idleSeconds,
  lfuDecayed,
  lfuIncrement,
  lruClock,
  type RedisPolicy,
} from '../../src/policies/redis.ts';
import { DictTable, jemallocSize, RedisObjectCost } from '../../src/policies/redis-memory.ts';
import { EvictionPool, KeySet } from '../../src/policies/redis-sampling.ts';
import { resolvePolicy } from '../../src/policies/registry.ts';

const SEC = 1e6;

/** A random stream that returns the given values in order and fails when asked for more. */
function script(values: number[]): Random {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error(`random stream exhausted after ${values.length} draws`);
    return values[i++];
  };
}

function make(
  name: string,
  capacity: number,
  opts: { byteMode?: boolean; random?: Random; params?: Record<string, unknown> } = {},
): RedisPolicy {
  const spec = resolvePolicy(name, opts.params ?? {});
  const p = spec.entry.create({
    capacity,
    keySpace: 16,
    random: opts.random ?? seedrandom.alea('redis'),
    params: spec.params,
    byteMode: opts.byteMode,
  });
  return p as RedisPolicy;
}

/** Runs (key, second) requests and returns 'h'/'m' per request. */
function run(p: RedisPolicy, reqs: [number, number][], size = 1): string {
  return reqs.map(([k, s]) => (p.access(k, size, s * SEC) ? 'h' : 'm')).join('');
}

describe('Redis memory model', () => {
  it('rounds to jemalloc size classes for both quanta', () => {
    const q16 = [1, 9, 17, 24, 33, 40, 56, 65, 129, 4097].map((n) => jemallocSize(n, 16));
    expect(q16).toEqual([8, 16, 32, 32, 48, 48, 64, 80, 160, 5120]);
    const q8 = [1, 9, 17, 24, 33, 40, 56, 65, 129, 4097].map((n) => jemallocSize(n, 8));
    expect(q8).toEqual([8, 16, 24, 24, 40, 40, 56, 80, 160, 5120]);
  });

  it('costs a 12-byte key with a 10-byte value 80 B (Debian) or 72 B (bundled jemalloc), as in the notes', () => {
    expect(new RedisObjectCost(12, 16).keyCost(10)).toBe(32 + 16 + 32);
    expect(new RedisObjectCost(12, 8).keyCost(10)).toBe(24 + 16 + 32);
    // embstr up to 44 bytes (44 → exactly 64), then robj + separate sds.
    expect(new RedisObjectCost(12, 16).valueBytes(44)).toBe(64);
    expect(new RedisObjectCost(12, 16).valueBytes(45)).toBe(16 + 64);
  });

  it('matches the ≈ 91 B/key measured on Debian for 100,000 12-byte keys with 10-byte values', () => {
    const p = make('redis-lru', 1e9, { byteMode: true, params: { keyBytes: 12, baseBytes: 0 } });
    for (let k = 0; k < 100_000; k++) p.access(k, 10, k);
    // 80 B per key + a 131,072-slot bucket array (1 MiB).
    expect(p.used).toBe(100_000 * 80 + 131_072 * 8);
    const measured = (10_037_368 - 914_728) / 100_000;
    expect(Math.abs(p.used / 100_000 - measured)).toBeLessThan(1);
  });

  it('grows bucket arrays at powers of two unless that would pass maxmemory below load 1.618, and shrinks them', () => {
    const t = new DictTable();
    expect(t.growthFor(0, 0, 1e9)).toBe(4);
    t.slots = 4;
    expect(t.growthFor(3, 0, 1e9)).toBe(4);
    expect(t.growthFor(4, 0, 1e9)).toBe(8);
    // Over the budget: refused at load 1 and 1.5, forced at 1.75.
    expect(t.growthFor(4, 1000, 1000)).toBe(4);
    expect(t.growthFor(6, 1000, 1000)).toBe(4);
    expect(t.growthFor(7, 1000, 1000)).toBe(8);
    t.slots = 1024;
    expect(t.shrink(103)).toBe(0);
    expect(t.shrink(102)).toBe((1024 - 128) * 8);
    expect(t.slots).toBe(128);
    expect(t.shrink(0)).toBe(128 * 8);
  });

  it('keeps the 4-slot array when doubling it would pass maxmemory', () => {
    // Room for the 4-slot array and four 80-byte keys, no more.
    const p = make('redis-lru', 32 + 4 * 80, { byteMode: true, params: { keyBytes: 12, baseBytes: 0 } });
    for (let k = 0; k < 10; k++) p.access(k, 10, k * SEC);
    expect(p.memory()).toMatchObject({ mainSlots: 4, keys: 4, datasetBytes: 352 });
    p.verify();
  });

  it('rejects an allocator quantum other than 8 or 16 with an InputError', () => {
    expect(() => make('redis-lru', 1e9, { byteMode: true, params: { allocator: 12 } })).toThrow(InputError);
    expect(() => make('redis-lfu', 1e9, { params: { samples: 0 } })).toThrow(/samples/);
  });

  it('counts baseBytes against maxmemory', () => {
    const tiny = make('redis-lru', 800_000, { byteMode: true });
    expect(tiny.access(1, 10, 0)).toBe(false);
    expect(tiny.contains(1)).toBe(false);
    const p = make('redis-lru', 876 * 1024 + 32 + 2 * 96, { byteMode: true });
    for (let k = 0; k < 5; k++) p.access(k, 10, k * SEC);
    // keyBytes 16: 32 entry + 32 key sds (16+2 → 32) + 32 value = 96 B each.
    expect(p.count).toBe(2);
    expect(p.used).toBe(32 + 2 * 96);
  });
});

describe('LFU counter', () => {
  it('grows roughly as redis.conf tabulates for lfu-log-factor 10', () => {
    const r = seedrandom.alea('lfu');
    const mean = (hits: number): number => {
      let sum = 0;
      for (let t = 0; t < 20; t++) {
        let c = 5;
        for (let i = 0; i < hits; i++) c = lfuIncrement(c, 10, r);
        sum += c;
      }
      return sum / 20;
    };
    // redis.conf: 10 after 100 hits, 18 after 1K; the increment rule's own expectation is ≈ 9.9 and ≈ 19.5.
    expect(mean(100)).toBeGreaterThanOrEqual(8.5);
    expect(mean(100)).toBeLessThanOrEqual(11.5);
    expect(mean(1000)).toBeGreaterThanOrEqual(16);
    expect(mean(1000)).toBeLessThanOrEqual(21);
    expect(lfuIncrement(255, 10, () => 0)).toBe(255);
    expect(lfuIncrement(5, 10, () => 0.999)).toBe(6);
    // At 6, p = 1/11: 0.09 increments, 0.091 does not.
    expect(lfuIncrement(6, 10, () => 0.09)).toBe(7);
    expect(lfuIncrement(6, 10, () => 0.091)).toBe(6);
  });

  it('decays by one per elapsed period since the last access, across the 16-bit minute wrap', () => {
    const field = (ldt: number, c: number) => (ldt << 8) | c;
    expect(lfuDecayed(field(10, 20), 13, 1)).toBe(17);
    expect(lfuDecayed(field(10, 20), 13, 2)).toBe(19);
    expect(lfuDecayed(field(10, 20), 13, 0)).toBe(20);
    expect(lfuDecayed(field(10, 2), 13, 1)).toBe(0);
    expect(lfuDecayed(field(65530, 20), 5, 1)).toBe(10);
  });

  it('LRU idle time uses the 24-bit second clock and handles one wrap', () => {
    expect(lruClock(5.9 * SEC)).toBe(5);
    expect(lruClock(0x1000005 * SEC)).toBe(5);
    expect(idleSeconds(3, 10)).toBe(7);
    expect(idleSeconds(0xfffffe, 2)).toBe(3);
  });
});

describe('eviction pool', () => {
  it('keeps entries sorted, puts a new tie left of older ones, and drops the lowest when full', () => {
    const pool = new EvictionPool();
    pool.insert(1, 5);
    pool.insert(2, 3);
    pool.insert(3, 5);
    expect(Array.from(pool.keys.slice(0, pool.length))).toEqual([2, 3, 1]);
    for (let k = 10; k < 23; k++) pool.insert(k, 10 + k);
    expect(pool.length).toBe(16);
    pool.insert(99, 1); // below every entry of a full pool: skipped
    expect(Array.from(pool.keys)).not.toContain(99);
    pool.insert(98, 4); // above the lowest (3): the lowest (key 2) is dropped
    expect(pool.keys[0]).toBe(98);
    expect(Array.from(pool.keys)).not.toContain(2);
    expect(pool.keys[15]).toBe(22);
  });

  it('takes the best live entry and discards ghosts on the way', () => {
    const pool = new EvictionPool();
    const live = new KeySet(8);
    live.add(1);
    live.add(3);
    pool.insert(1, 1);
    pool.insert(2, 2);
    pool.insert(3, 3);
    pool.insert(4, 4);
    expect(pool.takeBest(live)).toBe(3); // 4 is a ghost
    expect(pool.length).toBe(2);
    expect(pool.takeBest(live)).toBe(1); // 2 is a ghost
    expect(pool.takeBest(live)).toBe(-1);
  });

  it('samples without replacement and never more than the set holds', () => {
    const s = new KeySet(8);
    for (const k of [5, 6, 7]) s.add(k);
    const out = new Int32Array(5);
    expect(s.sample(out, 5, seedrandom.alea('s'))).toBe(3);
    expect(Array.from(out.slice(0, 3)).sort()).toEqual([5, 6, 7]);
    s.delete(6);
    s.verify();
    expect(s.has(6)).toBe(false);
  });
});

describe('redis policies on tiny traces (object mode)', () => {
  it('redis-lru evicts a stale pool entry even though the key was touched since', () => {
    // samples=2. At t=10 the sample is C (idle 8) and B (idle 9): B goes, C stays in the pool scored 8.
    // C is hit at t=11. At t=12 the sample is D (idle 2) and E (idle 0): the pool's stale C (8) ranks
    // highest and C is evicted, while A (idle 12, never sampled) survives.
    const p = make('redis-lru', 3, { random: script([0.5, 0, 0.25, 0.999]), params: { samples: 2 } });
    const A = 0;
    const B = 1;
    const C = 2;
    const D = 3;
    const E = 4;
    const got = run(p, [
      [A, 0],
      [B, 1],
      [C, 2],
      [D, 10],
      [C, 11],
      [E, 12],
    ]);
    expect(got).toBe('mmmmhm');
    expect([A, B, C, D, E].map((k) => p.contains(k))).toEqual([true, false, false, true, true]);
    expect(p.evictions).toBe(2);
    p.verify();
  });

  it('redis-lru with samples ≥ keys is LRU at one-second resolution', () => {
    const p = make('redis-lru', 3, { params: { samples: 5 } });
    // A B C, A hit, D evicts B (idle 3), B evicts C, C evicts A, A evicts D.
    expect(
      run(p, [
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 3],
        [3, 4],
        [1, 5],
        [2, 6],
        [0, 7],
      ]),
    ).toBe('mmmhmmmm');
    expect([0, 1, 2, 3].map((k) => p.contains(k))).toEqual([true, true, true, false]);
  });

  it('redis-lfu keeps the key with the higher counter; ties go to the earlier-sampled key', () => {
    // A hit once (5 → 6, one draw). C's admission samples A, B, C (draws 0,0,0): B and C tie at 250, and B,
    // inserted first, sits right of C, so B goes. B's return samples A, C, B: C (sampled before B) goes.
    const p = make('redis-lfu', 2, { random: script([0.5, 0, 0, 0, 0, 0, 0]) });
    expect(
      run(p, [
        [0, 0],
        [0, 1],
        [1, 2],
        [2, 3],
        [1, 4],
      ]),
    ).toBe('mhmmm');
    expect([0, 1, 2].map((k) => p.contains(k))).toEqual([true, true, false]);
    p.verify();
  });

  it('redis-random evicts the drawn key', () => {
    // Members [A, B]; C joins → [A, B, C]; draw 0.4 → index 1 → B.
    const p = make('redis-random', 2, { random: script([0.4]) });
    expect(
      run(p, [
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toBe('mmm');
    expect([0, 1, 2].map((k) => p.contains(k))).toEqual([true, false, true]);
  });

  it('redis-volatile-lru refuses a write when no key has a TTL, and evicts only keys with one', () => {
    const p = make('redis-volatile-lru', 2);
    expect(
      run(p, [
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toBe('mmm');
    expect(p.contains(2)).toBe(false);
    expect(p.refused).toBe(1);
    p.setExpiry?.(1, 100 * SEC);
    expect(run(p, [[2, 3]])).toBe('m');
    expect([0, 1, 2].map((k) => p.contains(k))).toEqual([true, false, true]);
    p.verify();
  });

  it('redis-volatile-ttl evicts the soonest expiry', () => {
    const p = make('redis-volatile-ttl', 2);
    run(p, [[0, 0]]);
    p.setExpiry?.(0, 100 * SEC);
    run(p, [[1, 1]]);
    p.setExpiry?.(1, 50 * SEC);
    run(p, [[2, 2]]);
    expect([0, 1, 2].map((k) => p.contains(k))).toEqual([true, false, true]);
  });
});

describe('byte mode keeps memory within maxmemory', () => {
  const base = 876 * 1024;
  for (const name of ['redis-lru', 'redis-lfu', 'redis-random', 'redis-volatile-lru', 'redis-volatile-ttl']) {
    it(`${name}: used_memory ≤ maxmemory after every request, TTLs and deletes included`, () => {
      const capacity = base + 40_000;
      const p = make(name, capacity, { byteMode: true });
      p.reserve(400);
      const r = seedrandom.alea(`trace-${name}`);
      for (let i = 0; i < 5000; i++) {
        const k = Math.floor(r() * 400);
        const now = i * 0.3 * SEC;
        if (r() < 0.05) p.remove(k);
        else {
          p.access(k, 1 + ((k * 7919) % 600), now);
          if (r() < 0.5) p.setExpiry?.(k, now + Math.floor(r() * 100) * SEC);
        }
        expect(base + p.used).toBeLessThanOrEqual(capacity);
        if (i % 50 === 0) p.verify();
      }
      p.verify();
      expect(p.evictions).toBeGreaterThan(0);
    });
  }
});
