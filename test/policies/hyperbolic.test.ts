import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { EvictionPolicy, Random } from '../../src/policies/api.ts';
import { BucketSampler, bucketHash } from '../../src/policies/bucket-sampler.ts';
import { policies } from '../../src/policies/registry.ts';
import { checkResizesAndRemoves } from '../helpers/policy-fuzz.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

/** Letters of evicted keys, in eviction order. */
function evictions(p: EvictionPolicy): string[] {
  const out: string[] = [];
  p.onEvict = (k) => out.push(String.fromCharCode(97 + k));
  return out;
}

/** Draws that walk through every slot of a set of n in turn, so 64 samples see all of a small cache. */
function cycle(n: number): Random {
  let i = 0;
  return () => ((i++ % n) + 0.5) / n;
}

describe('hyperbolic', () => {
  for (const sampling of ['uniform', 'buckets']) {
    it(`evicts the lowest hits per request cached, not the fewest hits (sampling=${sampling})`, () => {
      // Capacity 3. d (request 8): a has 3 hits over 7 requests (0.43), b 3 over 4, c 1 over 1: a goes
      // although LFU would keep it. a (request 9): b 3/5, c 1/2, d 1/1: c goes, where LRU would evict b.
      const p = makePolicy(`hyperbolic(sampling=${sampling})`, 3, cycle(3));
      const out = evictions(p);
      expect(feed(p, 'a a a b b b c d a')).toBe('MHHMHHMMM');
      expect(out).toEqual(['a', 'c']);
      expect(cached(p)).toBe('abd');
    });
  }

  it('byte mode: one sampling round per eviction until the object fits', () => {
    const p = makePolicy('hyperbolic', 10, cycle(3));
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

  it('keeps its invariants when sizes change and objects are removed', () => {
    checkResizesAndRemoves('hyperbolic');
    checkResizesAndRemoves('hyperbolic(sampling=uniform)');
  });
});

describe('BucketSampler (libCacheSim’s hash-table draw)', () => {
  it('only draws the newest key of a shared bucket', () => {
    const first = 1;
    let second = 2;
    while ((bucketHash(second) & 4095) !== (bucketHash(first) & 4095)) second++;
    const s = new BucketSampler(second + 1);
    s.add(first);
    s.add(second);
    s.add(0);
    const random = seedrandom.alea('draws');
    const drawn = new Set<number>();
    for (let i = 0; i < 200; i++) drawn.add(s.random(random));
    expect([...drawn].sort((x, y) => x - y)).toEqual([0, second]);
    s.delete(second);
    for (let i = 0; i < 200; i++) drawn.add(s.random(random));
    expect(drawn.has(first)).toBe(true);
    s.verify();
  });

  it('doubles its table once it holds more keys than buckets, keeping every key', () => {
    const s = new BucketSampler(16);
    s.reserve(9000);
    for (let k = 0; k < 9000; k++) s.add(k);
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
  });
});
