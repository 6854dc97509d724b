import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { EvictionPolicy, Random } from '../../src/policies/api.ts';
import { BucketSampler, bucketHash } from '../../src/policies/bucket-sampler.ts';
import { policies } from '../../src/policies/registry.ts';
import { Xoshiro128 } from '../../src/policies/xoshiro.ts';
import { checkResizesAndRemoves } from '../helpers/policy-fuzz.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

/** Letters of evicted keys, in eviction order. */
function evictions(p: EvictionPolicy): string[] {
  const out: string[] = [];
  p.onEvict = (k) => out.push(String.fromCharCode(97 + k));
  return out;
}

/**
 * A seed for the policy's draws. 64 samples from a cache of 3 objects miss one with probability
 * 3·(2/3)^64 ≈ 2·10^-11, so on these small traces every eviction takes the true lowest score.
 */
function seed(): Random {
  return seedrandom.alea('hyperbolic');
}

describe('hyperbolic', () => {
  for (const sampling of ['uniform', 'buckets']) {
    it(`evicts the lowest hits per request cached, not the fewest hits (sampling=${sampling})`, () => {
      // Capacity 3. d (request 8): a has 3 hits over 7 requests (0.43), b 3 over 4, c 1 over 1: a goes
      // although LFU would keep it. a (request 9): b 3/5, c 1/2, d 1/1: c goes, where LRU would evict b.
      const p = makePolicy(`hyperbolic(sampling=${sampling})`, 3, seed());
      const out = evictions(p);
      expect(feed(p, 'a a a b b b c d a')).toBe('MHHMHHMMM');
      expect(out).toEqual(['a', 'c']);
      expect(cached(p)).toBe('abd');
    });
  }

  it('byte mode: one sampling round per eviction until the object fits', () => {
    const p = makePolicy('hyperbolic', 10, seed());
    const out = evictions(p);
    // d (request 5, 7 units) needs two evictions: a (1 hit over 4 requests), then b (2 over 3) before
    // c (1 over 1).
    expect(feed(p, 'a b b c d', { a: 3, b: 3, c: 3, d: 7 })).toBe('MMHMM');
    expect(out).toEqual(['a', 'b']);
    expect(cached(p)).toBe('cd');
  });

  it('is randomised, reproducible for a seed, and checks its parameters', () => {
    expect(policies.find((e) => e.name === 'hyperbolic')?.randomized).toBe(true);
    const trace = Array(4).fill('a b c a d a e b f a c g b a d c e a f b').join(' ');
    const run = (seed: string): string => feed(makePolicy('hyperbolic', 4, seedrandom.alea(seed)), trace);
    expect(run('s1')).toBe(run('s1'));
    expect(() => makePolicy('hyperbolic(sampling=lru)', 4)).toThrow(InputError);
    expect(() => makePolicy('hyperbolic(samples=0)', 4)).toThrow(InputError);
  });

  it('makes the choices of a plain model of the algorithm (uniform sampling, objects and bytes)', () => {
    // The model: cached keys in an array (a leaving key replaced by the last), hits and admission request per
    // key, one draw per sample from a generator seeded like the policy's, and libCacheSim's score
    // 1e8·hits/age in doubles, the lower winning and the first drawn among equals.
    const random = seedrandom.alea('trace');
    for (const byteMode of [false, true]) {
      const capacity = byteMode ? 60 : 12;
      const p = makePolicy('hyperbolic(sampling=uniform,samples=8)', capacity, seedrandom.alea('draws'));
      p.reserve(80);
      const draw = new Xoshiro128(seedrandom.alea('draws'));
      const one = new Int32Array(1);
      const members: number[] = [];
      const hits = new Map<number, number>();
      const admitted = new Map<number, number>();
      const sizes = new Map<number, number>();
      let used = 0;
      for (let i = 1; i <= 4000; i++) {
        const key = Math.floor(random() ** 2 * 80);
        const size = byteMode ? 1 + (key % 9) : 1;
        const hit = hits.has(key);
        if (hit) hits.set(key, (hits.get(key) ?? 0) + 1);
        else {
          while (used + size > capacity) {
            let victim = -1;
            let best = Number.POSITIVE_INFINITY;
            for (let s = 0; s < 8; s++) {
              draw.indexes(one, 1, members.length);
              const k = members[one[0]];
              const score = (1e8 * (hits.get(k) ?? 0)) / (i - (admitted.get(k) ?? 0));
              if (best > score) {
                best = score;
                victim = k;
              }
            }
            const at = members.indexOf(victim);
            members[at] = members[members.length - 1];
            members.pop();
            hits.delete(victim);
            used -= sizes.get(victim) ?? 0;
          }
          members.push(key);
          hits.set(key, 1);
          admitted.set(key, i);
          sizes.set(key, size);
          used += size;
        }
        expect(p.access(key, size, i, -1), `request ${i}`).toBe(hit);
      }
      p.verify();
      expect(p.count).toBe(members.length);
    }
  });

  it('keeps its invariants when sizes change and objects are removed', () => {
    checkResizesAndRemoves('hyperbolic');
    checkResizesAndRemoves('hyperbolic(sampling=uniform)');
  });
});

/** The keys a draw can return. */
function drawable(s: BucketSampler): number[] {
  const keys: number[] = [];
  for (let r = 0; r < s.drawableCount; r++) keys.push(s.keyAt(r));
  return keys.sort((x, y) => x - y);
}

describe('BucketSampler (libCacheSim’s hash-table draw)', () => {
  it('only draws the newest key of a shared bucket', () => {
    const first = 1;
    let second = 2;
    while ((bucketHash(second) & 4095) !== (bucketHash(first) & 4095)) second++;
    const s = new BucketSampler(second + 1, 'buckets');
    s.add(first, 10, 0);
    s.add(second, 20, 0);
    s.add(0, 30, 0);
    expect(drawable(s)).toEqual([0, second]);
    s.verify();
    // first's numbers stay with it while it is hidden and when it surfaces again.
    s.delete(second);
    expect(drawable(s)).toEqual([0, first]);
    expect(s.stats[2 * s.record(first)]).toBe(10);
    expect(s.stats[2 * s.record(0)]).toBe(30);
    s.verify();
  });

  it('uniform mode draws every key', () => {
    const s = new BucketSampler(16, 'uniform');
    for (const k of [3, 1, 2]) s.add(k, k, 0);
    s.delete(1);
    expect(drawable(s)).toEqual([2, 3]);
    expect(s.stats[2 * s.record(3)]).toBe(3);
    s.verify();
  });

  it('doubles its table once it holds more keys than buckets, keeping every key and its numbers', () => {
    const s = new BucketSampler(16, 'buckets');
    s.reserve(9000);
    for (let k = 0; k < 9000; k++) s.add(k, k, 2 * k);
    s.verify();
    let n = 0;
    s.forEach(() => {
      n++;
    });
    expect(n).toBe(9000);
    for (let k = 0; k < 9000; k += 2) s.delete(k);
    s.verify();
    expect(s.size).toBe(4500);
    expect(s.has(1)).toBe(true);
    expect(s.has(2)).toBe(false);
    for (let k = 1; k < 9000; k += 2) {
      const r = s.record(k);
      expect([s.stats[2 * r], s.stats[2 * r + 1]]).toEqual([k, 2 * k]);
    }
    // 2^13 buckets hold 4500 keys: some share a bucket, so fewer are drawable than held.
    expect(s.drawableCount).toBeLessThan(4500);
  });
});
