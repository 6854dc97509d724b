import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { DistanceHistogram, StackDistance } from '../../src/analysis/stack-distance.ts';
import { oracleGeneralReader } from '../../src/trace/readers/oracle-general.ts';
import { sharedFile } from '../helpers/shared.ts';

/** The definition, O(N·M): a list with the most recent key first; the distance is the key's index. */
function naiveDistances(keys: number[], sizes: number[]): { dist: number[]; bytes: number[] } {
  const stack: number[] = [];
  const sizeOf = new Map<number, number>();
  const dist: number[] = [];
  const bytes: number[] = [];
  keys.forEach((k, i) => {
    const idx = stack.indexOf(k);
    dist.push(idx);
    bytes.push(idx < 0 ? -1 : stack.slice(0, idx).reduce((s, x) => s + (sizeOf.get(x) ?? 0), 0));
    if (idx >= 0) stack.splice(idx, 1);
    stack.unshift(k);
    sizeOf.set(k, sizes[i]);
  });
  return { dist, bytes };
}

function engineDistances(keys: number[], sizes: number[], initialCapacity?: number) {
  const sd = new StackDistance({ bytes: true, initialCapacity });
  const dist: number[] = [];
  const bytes: number[] = [];
  keys.forEach((k, i) => {
    dist.push(sd.access(k, sizes[i]));
    bytes.push(sd.byteDistance);
  });
  return { dist, bytes, sd };
}

/** Reference LRU counting objects: a Map keeps insertion order, so its first key is the LRU one. */
function lruHits(keys: number[], capacity: number): number {
  const cache = new Map<number, true>();
  let hits = 0;
  for (const k of keys) {
    if (cache.delete(k)) hits++;
    else if (cache.size === capacity) cache.delete(cache.keys().next().value as number);
    if (capacity > 0) cache.set(k, true);
  }
  return hits;
}

/** Reference byte LRU: evict from the LRU end until the new object fits (as libCacheSim's LRU does). */
function byteLruHits(keys: number[], sizeOf: (k: number) => number, capacity: number): number {
  const cache = new Map<number, true>();
  let used = 0;
  let hits = 0;
  for (const k of keys) {
    if (cache.delete(k)) {
      hits++;
      cache.set(k, true);
      continue;
    }
    while (used + sizeOf(k) > capacity) {
      const victim = cache.keys().next().value as number;
      cache.delete(victim);
      used -= sizeOf(victim);
    }
    cache.set(k, true);
    used += sizeOf(k);
  }
  return hits;
}

/** Keys with a Zipf-like skew: key = floor(K · u^3). */
function skewedKeys(n: number, distinct: number, seed: string): number[] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => Math.floor(distinct * rng() ** 3));
}

describe('StackDistance', () => {
  it('gives hand-computed count and byte distances', () => {
    // a b c a b b d a with sizes a=10 b=20 c=5 d=1
    const keys = [0, 1, 2, 0, 1, 1, 3, 0];
    const size = [10, 20, 5, 1];
    const { dist, bytes } = engineDistances(
      keys,
      keys.map((k) => size[k]),
    );
    expect(dist).toEqual([-1, -1, -1, 2, 2, 0, -1, 2]);
    expect(bytes).toEqual([-1, -1, -1, 25, 15, 0, -1, 21]);
  });

  it('uses the latest size of each key in byte distances', () => {
    const sd = new StackDistance({ bytes: true });
    sd.access(0, 100);
    sd.access(1, 7);
    sd.access(0, 3); // key 0 shrinks to 3
    expect(sd.access(1, 7)).toBe(1);
    expect(sd.byteDistance).toBe(3);
  });

  it('reports byteDistance -1 when bytes are not tracked', () => {
    const sd = new StackDistance();
    sd.access(0, 5);
    expect(sd.access(0, 5)).toBe(0);
    expect(sd.byteDistance).toBe(-1);
  });

  it('agrees with the naive list on random traces, across compactions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(24), fc.integer({ min: 1, max: 1000 })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 9 }),
        (reqs, initialCapacity) => {
          const keys = reqs.map((r) => r[0]);
          const sizes = reqs.map((r) => r[1]);
          const got = engineDistances(keys, sizes, initialCapacity);
          const want = naiveDistances(keys, sizes);
          expect(got.dist).toEqual(want.dist);
          expect(got.bytes).toEqual(want.bytes);
        },
      ),
      { seed: 20240607, numRuns: 300 },
    );
  });

  it('agrees with the naive list on a longer skewed trace with sparse key ids', () => {
    const keys = skewedKeys(20_000, 3000, 'naive').map((k) => k * 7);
    const sizes = keys.map((k) => 1 + (k % 97));
    const got = engineDistances(keys, sizes, 16);
    const want = naiveDistances(keys, sizes);
    expect(got.dist).toEqual(want.dist);
    expect(got.bytes).toEqual(want.bytes);
  });

  it('keeps its window O(distinct keys), not O(accesses)', () => {
    const sd = new StackDistance({ initialCapacity: 4 });
    for (let i = 0; i < 200_000; i++) sd.access(i % 100, 1);
    expect(sd.distinctKeys).toBe(100);
    expect(sd.capacity).toBeGreaterThanOrEqual(200);
    expect(sd.capacity).toBeLessThanOrEqual(400);
    expect(sd.access(0, 1)).toBe(99);
  });

  it('forgets removed keys: later distances skip them and their next access is a first one', () => {
    // a b c, remove b, a: only c lies above a; b again is new; c sees a and b above it.
    const sd = new StackDistance({ bytes: true });
    sd.access(0, 10);
    sd.access(1, 20);
    sd.access(2, 5);
    sd.remove(1);
    sd.remove(7);
    expect(sd.distinctKeys).toBe(2);
    expect(sd.access(0, 10)).toBe(1);
    expect(sd.byteDistance).toBe(5);
    expect(sd.access(1, 20)).toBe(-1);
    expect(sd.access(2, 5)).toBe(2);
    expect(sd.byteDistance).toBe(30);
  });

  it('agrees with the naive list under removals, across compactions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(12), fc.integer({ min: 1, max: 100 }), fc.boolean()), { maxLength: 300 }),
        fc.integer({ min: 1, max: 9 }),
        (ops, initialCapacity) => {
          const sd = new StackDistance({ bytes: true, initialCapacity });
          const stack: number[] = [];
          const sizeOf = new Map<number, number>();
          for (const [k, size, remove] of ops) {
            const idx = stack.indexOf(k);
            if (remove) {
              sd.remove(k);
              if (idx >= 0) stack.splice(idx, 1);
              expect(sd.distinctKeys).toBe(stack.length);
              continue;
            }
            const bytes = idx < 0 ? -1 : stack.slice(0, idx).reduce((a, x) => a + sizeOf.get(x)!, 0);
            expect(sd.access(k, size)).toBe(idx);
            expect(sd.byteDistance).toBe(bytes);
            if (idx >= 0) stack.splice(idx, 1);
            stack.unshift(k);
            sizeOf.set(k, size);
          }
        },
      ),
      { seed: 20240608, numRuns: 300 },
    );
  });
});

describe('DistanceHistogram', () => {
  it('counts, percentiles and the miss-ratio curve on hand values', () => {
    const h = new DistanceHistogram();
    for (const d of [-1, -1, 0, 0, 1, 3, 3, 3, 7, -1]) h.add(d);
    expect(h.total).toBe(10);
    expect(h.infinite).toBe(3);
    expect(h.finite).toBe(7);
    expect(h.maxDistance).toBe(7);
    expect([h.count(0), h.count(1), h.count(2), h.count(3), h.count(7), h.count(8)]).toEqual([
      2, 1, 0, 3, 1, 0,
    ]);
    // Sorted finite: 0 0 1 3 3 3 7. Nearest rank: p10 → rank 1, p50 → 4, p75 → 6, p90 → 7.
    expect([
      h.percentile(10),
      h.percentile(50),
      h.percentile(75),
      h.percentile(90),
      h.percentile(100),
    ]).toEqual([0, 3, 3, 7, 7]);
    expect(h.hitCurve([0, 1, 2, 4, 100, 2.9])).toEqual([0, 2, 3, 6, 7, 3]);
    expect(h.missRatioCurve([0, 1, 4, 8])).toEqual([1, 0.8, 0.4, 0.3]);
  });

  it('has no percentile without finite distances', () => {
    const h = new DistanceHistogram();
    h.add(-1);
    expect(h.percentile(50)).toBeNull();
    expect(h.missRatioCurve([5])).toEqual([1]);
  });

  it('predicts LRU hits exactly at every size', () => {
    const keys = skewedKeys(30_000, 2000, 'curve');
    const sd = new StackDistance({ initialCapacity: 64 });
    const h = new DistanceHistogram();
    for (const k of keys) h.add(sd.access(k, 1));
    const sizes = [1, 2, 3, 10, 100, 500, 1999, 5000];
    expect(h.hitCurve(sizes)).toEqual(sizes.map((c) => lruHits(keys, c)));
    expect(h.missRatioCurve([10])[0]).toBeCloseTo(1 - lruHits(keys, 10) / keys.length, 12);
  });

  it('predicts byte-capacity LRU hits via byteDistance + size ≤ capacity', () => {
    const keys = skewedKeys(20_000, 1500, 'bytes');
    const sizeOf = (k: number): number => 1 + ((k * 2654435761) % 1000);
    const sd = new StackDistance({ bytes: true, initialCapacity: 32 });
    const depth: number[] = [];
    for (const k of keys) {
      sd.access(k, sizeOf(k));
      depth.push(sd.byteDistance < 0 ? Number.POSITIVE_INFINITY : sd.byteDistance + sizeOf(k));
    }
    for (const capacity of [1000, 5000, 40_000, 300_000]) {
      const predicted = depth.filter((d) => d <= capacity).length;
      expect(predicted).toBe(byteLruHits(keys, sizeOf, capacity));
    }
  });
});

describe('LRU from stack distances on the CloudPhysics sample (../shared)', () => {
  const trace = sharedFile('traces/cloudPhysicsIO.oracleGeneral.bin');
  const expected = sharedFile('expected/libcachesim-cloudPhysicsIO.tsv');
  it.skipIf(trace === null || expected === null)(
    "equals libCacheSim's LRU misses in objects and bytes",
    () => {
      const [header, ...rows] = readFileSync(expected as string, 'utf8')
        .trim()
        .split('\n');
      const col = (name: string): number => header.split('\t').indexOf(name);
      const lru = rows
        .map((r) => r.split('\t'))
        .filter((r) => r[col('reader')] === 'oracleGeneral' && r[col('policy')] === 'lru')
        .map((r) => ({
          unit: r[col('size_unit')],
          size: Number(r[col('cache_size')]),
          misses: Number(r[col('misses')]),
          bytesMissed: Number(r[col('bytes_missed')]),
        }));
      expect(lru.length).toBe(10);

      const src = oracleGeneralReader.open(trace as string, {});
      const sd = new StackDistance({ bytes: true });
      const hist = new DistanceHistogram();
      const depth: number[] = [];
      const sizes: number[] = [];
      for (let b = src.next(); b !== null; b = src.next()) {
        for (let i = 0; i < b.length; i++) {
          hist.add(sd.access(b.key[i], b.size[i]));
          depth.push(sd.byteDistance < 0 ? Number.POSITIVE_INFINITY : sd.byteDistance + b.size[i]);
          sizes.push(b.size[i]);
        }
      }
      src.close();

      for (const row of lru) {
        if (row.unit === 'objects') {
          expect(hist.total - hist.hitCurve([row.size])[0]).toBe(row.misses);
        } else {
          let misses = 0;
          let bytesMissed = 0;
          depth.forEach((d, i) => {
            if (d > row.size) {
              misses++;
              bytesMissed += sizes[i];
            }
          });
          expect([misses, bytesMissed]).toEqual([row.misses, row.bytesMissed]);
        }
      }
    },
  );
});
