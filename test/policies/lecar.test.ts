import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { EvictionPolicy } from '../../src/policies/api.ts';
import { CountQueues } from '../../src/policies/count-queues.ts';
import type { LeCaR } from '../../src/policies/lecar.ts';
import { policies } from '../../src/policies/registry.ts';
import { checkResizesAndRemoves } from '../helpers/policy-fuzz.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

/** Letters of evicted keys, in eviction order. */
function evictions(p: EvictionPolicy): string[] {
  const out: string[] = [];
  p.onEvict = (k) => out.push(String.fromCharCode(97 + k));
  return out;
}

/** libCacheSim's weight update after a regret t requests after the eviction, at capacity c. */
function penalised(w: number, other: number, t: number, c: number): number {
  const r = (0.005 ** (1 / c)) ** t;
  const x = w * Math.exp(-0.45 * r) + 1e-10;
  return x / (x + other + 2e-10);
}

const ALWAYS_LRU = () => 0;
const ALWAYS_LFU = () => 0.999;

describe('lecar', () => {
  it('draws the LRU expert when r < w_lru; a request for its victim lowers w_lru', () => {
    // Capacity 2. c: LRU's victim is a (b is more recent), LFU's is b (count 1 < 2); the draw 0 < 0.5
    // picks LRU, so a goes to LRU's history. a again (t = 1 request later): a miss that costs LRU
    // weight; admitting it evicts b, which both experts name, so b is not remembered.
    const p = makePolicy('lecar', 2, ALWAYS_LRU) as LeCaR;
    const out = evictions(p);
    expect(feed(p, 'a a b c a')).toBe('MHMMM');
    expect(out).toEqual(['a', 'b']);
    expect(cached(p)).toBe('ac');
    expect(p.wLru).toBeCloseTo(penalised(0.5, 0.5, 1, 2), 15);
    expect(p.wLru).toBeCloseTo(0.492046, 6);
    // libCacheSim's 1e−10 terms leave the sum 1e−10 short of 1.
    expect(p.wLru + p.wLfu).toBeCloseTo(1, 9);
  });

  it('draws the LFU expert when r ≥ w_lru; a request for its victim lowers w_lfu', () => {
    // c: draw 0.99 ≥ 0.5 picks LFU's victim b. b again: LFU loses weight (w_lfu 0.492). Admitting b:
    // LRU names a, LFU names c (count 1 < a's 2); 0.99 ≥ w_lru 0.508 picks LFU again: c goes.
    const p = makePolicy('lecar', 2, ALWAYS_LFU) as LeCaR;
    const out = evictions(p);
    expect(feed(p, 'a a b c b')).toBe('MHMMM');
    expect(out).toEqual(['b', 'c']);
    expect(cached(p)).toBe('ab');
    expect(p.wLfu).toBeCloseTo(penalised(0.5, 0.5, 1, 2), 15);
    expect(p.wLru).toBeCloseTo(0.507954, 6);
  });

  it('remembers at most ⌊C/2⌋ units per history, forgetting the oldest', () => {
    // Capacity 4: histories hold 2. e, f, g evict a, b, c (LRU's choices; LFU names d, count 1).
    // a has been forgotten: no regret, weights stay. b is remembered: t = 12 − 9 = 3.
    const p = makePolicy('lecar', 4, ALWAYS_LRU) as LeCaR;
    const out = evictions(p);
    expect(feed(p, 'a a b b c c d e f g')).toBe('MHMHMHMMMM');
    expect(out).toEqual(['a', 'b', 'c']);
    expect(feed(p, 'a')).toBe('M');
    expect(p.wLru).toBe(0.5);
    expect(feed(p, 'b')).toBe('M');
    expect(p.wLru).toBeCloseTo(penalised(0.5, 0.5, 3, 4), 15);
  });

  it('learn=false keeps the weights; lruWeight sets the starting draw threshold', () => {
    const fixed = makePolicy('lecar(learn=false)', 2, ALWAYS_LRU) as LeCaR;
    feed(fixed, 'a a b c a');
    expect(fixed.wLru).toBe(0.5);
    // lruWeight 0: the draw 0 is not below it, so LFU's victim b goes, not a.
    const lfuOnly = makePolicy('lecar(lruWeight=0)', 2, ALWAYS_LRU);
    const out = evictions(lfuOnly);
    feed(lfuOnly, 'a a b c');
    expect(out).toEqual(['b']);
  });

  it('byte mode: evicts until the object fits; refuses objects larger than the cache', () => {
    const p = makePolicy('lecar', 10, ALWAYS_LRU);
    const out = evictions(p);
    expect(feed(p, 'a b c d', { a: 4, b: 4, c: 11, d: 7 })).toBe('MMMM');
    expect(out).toEqual(['a', 'b']);
    expect(cached(p)).toBe('d');
  });

  it('is randomised and reproducible for a seed', () => {
    expect(policies.find((e) => e.name === 'lecar')?.randomized).toBe(true);
    const trace = Array(3).fill('a b c a d a e b f a c g b a d c e a f b').join(' ');
    const run = (seed: string): string => feed(makePolicy('lecar', 3, seedrandom.alea(seed)), trace);
    expect(run('s1')).toBe(run('s1'));
  });

  it('rejects parameters out of range', () => {
    expect(() => makePolicy('lecar(lruWeight=2)', 2)).toThrow(InputError);
    expect(() => makePolicy('lecar(discount=0)', 2)).toThrow(InputError);
  });

  it('keeps its invariants when sizes change and objects are removed', () => {
    checkResizesAndRemoves('lecar');
  });
});

describe('CountQueues', () => {
  it('orders by count, ties by who reached the count first', () => {
    const q = new CountQueues(8);
    q.insert(1);
    q.insert(2);
    q.insert(3);
    expect(q.front()).toBe(1);
    q.bump(1);
    expect(q.front()).toBe(2);
    q.bump(2);
    q.bump(3);
    // All at 2: 1 got there first.
    expect(q.front()).toBe(1);
    expect(q.count(1)).toBe(2);
    q.bump(1);
    expect(q.front()).toBe(2);
    q.remove(2);
    q.remove(3);
    expect(q.front()).toBe(1);
    q.remove(1);
    expect(q.front()).toBe(-1);
    q.verify();
  });
});
