import { describe, expect, it } from 'vitest';
import { BloomFilter, FrequencySketch } from '../../src/policies/sketch.ts';

const sketch = (over: Partial<ConstructorParameters<typeof FrequencySketch>[0]> = {}): FrequencySketch =>
  new FrequencySketch({ entries: 1000, error: 0.001, counterBits: 32, doorkeeper: false, ...over });

describe('FrequencySketch', () => {
  it('sizes itself with libCacheSim’s formulas, the width rounded to the nearest power of two', () => {
    const s = sketch();
    // bpe = −ln(0.001)/ln²2 = 14.378: depth ⌈0.693 · 14.378⌉ = 10, width 14,378 → 16,384.
    expect(s.depth).toBe(10);
    expect(s.width).toBe(16384);
    expect(sketch({ entries: 1100 }).width).toBe(16384);
    expect(sketch({ entries: 800 }).width).toBe(8192);
    // Tiny: at least two counters per hash.
    expect(sketch({ entries: 1 }).width).toBe(32);
  });

  it('counts exactly while keys do not collide, and halves on age()', () => {
    const s = sketch();
    for (let i = 0; i < 5; i++) s.add(7);
    s.add(8);
    expect(s.estimate(7)).toBe(5);
    expect(s.estimate(8)).toBe(1);
    expect(s.estimate(9)).toBe(0);
    s.age();
    expect(s.estimate(7)).toBe(2);
    expect(s.estimate(8)).toBe(0);
  });

  it('never undercounts, even when overfilled', () => {
    const s = sketch({ entries: 10 });
    const truth = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const k = (i * 7919) % 97;
      s.add(k);
      truth.set(k, (truth.get(k) ?? 0) + 1);
    }
    for (const [k, n] of truth) expect(s.estimate(k)).toBeGreaterThanOrEqual(n);
  });

  it('saturates small counters (the paper’s 4 bits)', () => {
    const s = sketch({ counterBits: 4 });
    for (let i = 0; i < 20; i++) s.add(3);
    expect(s.estimate(3)).toBe(15);
  });

  it('doorkeeper: a first sighting stays out of the counters; age() forgets it', () => {
    const s = sketch({ doorkeeper: true });
    s.add(5);
    expect(s.estimate(5)).toBe(1);
    s.add(5);
    s.add(5);
    // doorkeeper 1 + counters 2
    expect(s.estimate(5)).toBe(3);
    s.age();
    expect(s.estimate(5)).toBe(1);
    s.add(6);
    s.age();
    expect(s.estimate(6)).toBe(0);
  });
});

describe('BloomFilter', () => {
  it('holds what was added, rounds its size up to a power of two, and clears', () => {
    const b = new BloomFilter(1000, 0.01);
    // 9.59 bits per key · 1000 = 9,586 → 16,384; round(0.693 · 9.59) = 7 hashes.
    expect(b.bits).toBe(16384);
    expect(b.hashes).toBe(7);
    for (let k = 0; k < 1000; k++) b.add(k * 3);
    for (let k = 0; k < 1000; k++) expect(b.has(k * 3)).toBe(true);
    expect(b.added).toBe(1000);
    b.clear();
    expect(b.has(0)).toBe(false);
    expect(b.added).toBe(0);
  });

  it('keeps false positives near the target rate', () => {
    const b = new BloomFilter(10000, 0.01);
    for (let k = 0; k < 10000; k++) b.add(k);
    let fp = 0;
    for (let k = 10000; k < 110000; k++) if (b.has(k)) fp++;
    // Sized up to 131,072 bits for 95,851 needed, so below 1%.
    expect(fp / 100000).toBeLessThan(0.01);
    expect(fp).toBeGreaterThan(0);
  });
});
