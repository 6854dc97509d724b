import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { Memcached } from '../../src/policies/memcached.ts';
import { itemTotal, slabClassSizes } from '../../src/policies/memcached-slabs.ts';
import { resolvePolicy } from '../../src/policies/registry.ts';

const MiB = 1 << 20;

function make(capacity: number, byteMode: boolean, params: Record<string, unknown> = {}): Memcached {
  const spec = resolvePolicy('memcached', params);
  return spec.entry.create({
    capacity,
    keySpace: 16,
    random: seedrandom.alea('memcached'),
    params: spec.params,
    byteMode,
  }) as Memcached;
}

function run(p: Memcached, keys: number[], size = 1, second = 0): string {
  return keys.map((k) => (p.access(k, size, second * 1e6) ? 'h' : 'm')).join('');
}

const stats = (p: Memcached, id: number) => p.slabStats()[id - 1];

describe('memcached slab classes', () => {
  it('match `memcached -vv` for -n 48 -f 1.25 (39 classes, 96 … 524288)', () => {
    const sizes = slabClassSizes({
      chunkSize: 48,
      growthFactor: 1.25,
      pageBytes: MiB,
      slabChunkMax: MiB / 2,
      itemSizeMax: MiB,
    });
    expect(sizes).toEqual([
      96, 120, 152, 192, 240, 304, 384, 480, 600, 752, 944, 1184, 1480, 1856, 2320, 2904, 3632, 4544, 5680,
      7104, 8880, 11104, 13880, 17352, 21696, 27120, 33904, 42384, 52984, 66232, 82792, 103496, 129376,
      161720, 202152, 252696, 315872, 394840, 524288,
    ]);
    const p = make(64 * MiB, true);
    expect(
      p
        .slabStats()
        .map((s) => s.perSlab)
        .slice(0, 4),
    ).toEqual([10922, 8738, 6898, 5461]);
    expect(stats(p, 39).perSlab).toBe(2);
  });

  it('rejects a growth factor that gives more slab classes than the model supports', () => {
    expect(() => make(64 * MiB, true, { growthFactor: 1.01 })).toThrow(InputError);
  });

  it('puts an item in the first class whose chunk holds 48 + key + 1 + value + 2 + 8 bytes', () => {
    expect(itemTotal(10, 10)).toBe(79);
    const p = make(64 * MiB, true, { keyBytes: 10 });
    p.access(1, 10, 0); // 79 → class 1 (96)
    p.access(2, 38, 0); // 107 → class 2 (120)
    p.access(3, 25, 0); // 94 → class 1
    expect([1, 2, 3].map((id) => stats(p, id).usedChunks)).toEqual([2, 1, 0]);
    expect(stats(p, 1).bytes).toBe(79 + 94);
    p.verify();
  });

  it('refuses items above itemSizeMax and splits items above slabChunkMax into chunks', () => {
    const p = make(64 * MiB, true);
    expect(p.access(1, MiB, 0)).toBe(false);
    expect(p.contains(1)).toBe(false);
    // 600,000 B: header 16+1+48+48+8 = 121 → class 3; one 512 KiB chunk holding 524,240 data bytes; the
    // other 75,762 (+48 chunk header) → class 31 (82,792). Linked in the largest class's LRU.
    p.access(2, 600_000, 0);
    expect(p.contains(2)).toBe(true);
    const used = p.slabStats().filter((s) => s.usedChunks > 0);
    expect(used.map((s) => [s.id, s.usedChunks, s.items])).toEqual([
      [3, 1, 0],
      [31, 1, 0],
      [39, 1, 1],
    ]);
    expect(p.used).toBe(3 * MiB);
    p.remove(2);
    expect(p.slabStats().every((s) => s.usedChunks === 0)).toBe(true);
    p.verify();
  });
});

describe('memcached segmented LRU (object mode: one class of `capacity` items)', () => {
  it('protects an item hit twice from a scan that flushes plain LRU', () => {
    // All at one second, so only the byte limits act (HOT 20 %, WARM 40 % of the class's items).
    // A…E fill the cache (HOT keeps one item, the rest drain to COLD); A hit twice moves COLD → WARM;
    // the scan F…J evicts from COLD's tail only, so A still hits. LRU of 5 would miss A at the end.
    const A = 0;
    const p = make(5, false);
    const got = run(p, [A, 1, 2, 3, 4, A, A, 5, 6, 7, 8, 9, A]);
    expect(got).toBe('mmmmmhhmmmmmh');
    expect(stats(p, 1).evictions).toBe(5);
    expect([1, 2, 3, 4, 5].some((k) => p.contains(k))).toBe(false);
    expect([6, 7, 8, 9].every((k) => p.contains(k))).toBe(true);
    expect(p.used).toBe(5);
    p.verify();
  });

  it('evicts an item hit only once like any other', () => {
    const p = make(3, false);
    // A hit once is only FETCHED: it stays in COLD and is evicted in order.
    expect(run(p, [0, 1, 2, 0, 3, 4, 0])).toBe('mmmhmmm');
  });

  it('drains WARM items older than 2 × the COLD tail age to COLD, where they get evicted', () => {
    // A is hit twice at t=0 and sits alone in WARM. New items arrive each second from t=1000; once COLD's
    // tail is 3 s old (t=1003), warm_age is 6 s and A (1003 s old) drains to COLD; it is evicted at t=1007.
    const trace = (p: Memcached): string =>
      run(p, [0, 1, 2, 3, 4, 0, 0], 1, 0) +
      [5, 6, 7, 8, 9, 10, 11, 12].map((k, i) => run(p, [k], 1, 1000 + i)).join('') +
      run(p, [0], 1, 1008);
    expect(trace(make(5, false))).toBe('mmmmmhhmmmmmmmmm');
    // With an unbounded warm age only the 40 % byte share could move A, and it never exceeds it.
    expect(trace(make(5, false, { warmMaxFactor: 1e6 }))).toBe('mmmmmhhmmmmmmmmh');
  });
});

describe('memcached memory and calcification (byte mode)', () => {
  it('exceeds the page budget by at most one page per class, and counts pages as used', () => {
    const capacity = 4 * MiB;
    const p = make(capacity, true);
    p.reserve(3000);
    const r = seedrandom.alea('mc');
    for (let i = 0; i < 20_000; i++) {
      const k = Math.floor(r() * 3000);
      p.access(k, 1 + ((k * 7919) % 200_000), i * 1e5);
      const inUse = p.slabStats().filter((s) => s.pages > 0).length;
      expect(p.used).toBeLessThanOrEqual(capacity + inUse * MiB);
      if (i % 500 === 0) p.verify();
    }
    p.verify();
    expect(p.slabStats().reduce((n, s) => n + s.evictions, 0)).toBeGreaterThan(0);
  });

  it('small items take every page; large items later evict within their own single page', () => {
    const p = make(4 * MiB, true);
    p.reserve(60_000);
    // Phase 1: 50,000 small items (16 B keys, 10 B values → 85 B → class 1, 10,922 per page).
    for (let k = 0; k < 50_000; k++) p.access(k, 10, k);
    expect(stats(p, 1).pages).toBe(4);
    expect(stats(p, 1).items).toBe(4 * 10_922);
    const smallEvictions = stats(p, 1).evictions;
    expect(smallEvictions).toBe(50_000 - 4 * 10_922);
    // Phase 2: 2,000 items of 100,000 B → class 32 (103,496 B, 10 per page). Its first page comes past the
    // limit; no second page, so it recycles its 10 chunks while class 1 keeps all four pages.
    for (let k = 50_000; k < 52_000; k++) p.access(k, 100_000, 1e9 + k);
    expect(stats(p, 32).pages).toBe(1);
    expect(stats(p, 32).evictions).toBe(1_990);
    expect(stats(p, 1).pages).toBe(4);
    expect(stats(p, 1).evictions).toBe(smallEvictions);
    expect(p.used).toBe(5 * MiB);
    // Only the last 10 large items survive.
    let hits = 0;
    for (let k = 51_999; k >= 51_980; k--) if (p.access(k, 100_000, 2e9)) hits++;
    expect(hits).toBe(10);
    p.verify();
  });

  it('reclaims expired items found at a tail instead of evicting', () => {
    const p = make(3, false);
    run(p, [0, 1, 2], 1, 0);
    p.setExpiry(0, 5e6);
    p.setExpiry(1, 5e6);
    // At t=10 s keys 0 and 1 are expired: storing key 3 finds both at COLD's tail and reclaims them.
    run(p, [3], 1, 10);
    expect(stats(p, 1).reclaimed).toBe(2);
    expect(stats(p, 1).evictions).toBe(0);
    expect([0, 1, 2, 3].map((k) => p.contains(k))).toEqual([false, false, true, true]);
  });
});
