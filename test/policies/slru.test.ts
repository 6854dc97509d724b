import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { EvictionPolicy } from '../../src/policies/api.ts';
import { checkResizesAndRemoves } from '../helpers/policy-fuzz.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

/** Letters of evicted keys, in eviction order. */
function evictions(p: EvictionPolicy): string[] {
  const out: string[] = [];
  p.onEvict = (k) => out.push(String.fromCharCode(97 + k));
  return out;
}

describe('slru', () => {
  it('fills the lowest segment with room, promotes hits one segment up and pushes overflow down', () => {
    // 2 segments of 2. a b -> S0, c d -> S1 (S0 full). e, a: evict S0's tail (a, then b). c: hit in the
    // top segment (to its head). f evicts e. a: S0 -> S1 = [a c d], over 2: d is pushed down to S0's
    // head, so b evicts f (S0's tail), not d.
    const p = makePolicy('slru(segments=2)', 4);
    const out = evictions(p);
    expect(feed(p, 'a b c d e a c f a b')).toBe('MMMMMMHMHM');
    expect(out).toEqual(['a', 'b', 'e', 'f']);
    expect(cached(p)).toBe('abcd');
  });

  it('S4LRU: segments of floor(capacity / 4); when all are full a miss overfills segment 0', () => {
    // Capacity 5: four segments of 1. a b c d take one segment each; e goes into S0 beyond its share
    // (5 units in all). f evicts a (S0's tail) and overfills S0 again. e: S0 -> S1, pushing b down to
    // S0, which is then over by 1: its tail f is evicted. f is a miss again.
    const p = makePolicy('slru', 5);
    const out = evictions(p);
    expect(feed(p, 'a b c d e f e f')).toBe('MMMMMMHM');
    expect(out).toEqual(['a', 'f']);
    expect(cached(p)).toBe('bcdef');
    expect(p.used).toBe(5);
  });

  it('byte mode: refuses objects larger than one segment and evicts from the lowest non-empty segment', () => {
    // Capacity 12, two segments of 6. a (7) never fits a segment. b c (3 each) fill S0, d (4) goes to S1.
    // c: hit, S0 -> S1 = [c d] (7 > 6): d is pushed down to S0 = [d b] (7 > 6), so b is evicted. e (5)
    // fits (used 12) but no segment has room: it overfills S0. f (2): evict S0's tail d; f then fits S1.
    const p = makePolicy('slru(segments=2)', 12);
    const out = evictions(p);
    expect(feed(p, 'a b c d c e a f', { a: 7, b: 3, c: 3, d: 4, e: 5, f: 2 })).toBe('MMMMHMMM');
    expect(out).toEqual(['b', 'd']);
    expect(cached(p)).toBe('cef');
    expect(p.used).toBe(10);
  });

  it('remove frees the segment space as well', () => {
    const p = makePolicy('slru(segments=2)', 4);
    feed(p, 'a b c');
    expect(p.remove(0)).toBe(true);
    expect(p.remove(0)).toBe(false);
    // S0 has room again, so d goes there and nothing is evicted.
    const out = evictions(p);
    expect(feed(p, 'd e')).toBe('MM');
    expect(out).toEqual([]);
    expect(cached(p)).toBe('bcde');
  });

  it('keeps its invariants when sizes change between requests and keys are removed', () => {
    checkResizesAndRemoves('slru');
    checkResizesAndRemoves('slru(segments=3)', 60);
  });

  it('rejects a segment count outside 1..16', () => {
    expect(() => makePolicy('slru(segments=0)', 10)).toThrow(InputError);
    expect(() => makePolicy('slru(segments=2.5)', 10)).toThrow(/segments: expected an integer from 1 to 16/);
  });
});
