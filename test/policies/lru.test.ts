import { describe, expect, it } from 'vitest';
import { checkResizesAndRemoves } from '../helpers/policy-fuzz.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

describe('lru', () => {
  it('moves hits to the head and evicts from the tail', () => {
    const p = makePolicy('lru', 3);
    const out: number[] = [];
    p.onEvict = (k) => out.push(k);
    // a b c; a is hit (order a c b); d evicts b; c hit; e evicts a.
    expect(feed(p, 'a b c a d c e')).toBe('MMMHMHM');
    expect(out).toEqual([1, 0]);
    expect(cached(p)).toBe('cde');
  });

  it('objects cached before the first one of another size count 1 unit each', () => {
    // a b c of 1 unit; d of 2 evicts a; e evicts b. Removing c frees exactly 1 unit.
    const p = makePolicy('lru', 4);
    const out: number[] = [];
    p.onEvict = (k, s) => out.push(k, s);
    expect(feed(p, 'a b c d e', { d: 2 })).toBe('MMMMM');
    expect(out).toEqual([0, 1, 1, 1]);
    expect(p.used).toBe(4);
    expect(p.remove(2)).toBe(true);
    expect(p.used).toBe(3);
    // f fits; g evicts d, the 2-unit object, at the tail now.
    expect(feed(p, 'f g')).toBe('MM');
    expect(out.slice(4)).toEqual([3, 2]);
    expect(p.used).toBe(3);
    expect(cached(p)).toBe('efg');
  });

  it('keeps its invariants when sizes change between requests and keys are removed', () => {
    checkResizesAndRemoves('lru');
  });
});
