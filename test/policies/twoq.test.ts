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

describe('twoq', () => {
  it('Ain FIFO, Aout ghosts promote to the Am LRU (capacity 4: Ain 1, Aout 2, Am 3)', () => {
    // a b c d fill Ain past its share (the cache is not full yet). e: Ain's tail a -> Aout. a, b: ghost
    // hits, into Am, each pushing Ain's tail to Aout (b, then c). f: d -> Aout. a: Am hit (to Am's head).
    // c: ghost hit, e -> Aout. g: Ain is within its share, so Am's tail b is evicted, leaving no ghost.
    // b: a plain miss; f -> Aout, which drops d. d: a plain miss too (its ghost is gone); g -> Aout.
    // b: an Ain hit, which changes nothing. f: ghost hit; b -> Aout; Am [f c a] is at its share.
    const p = makePolicy('twoq', 4);
    const out = evictions(p);
    expect(feed(p, 'a b c d e a b f a c g b d b f')).toBe('MMMMMMMMHMMMMHM');
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e', 'b', 'f', 'g', 'b']);
    expect(cached(p)).toBe('acdf');
    // Aout now remembers b and g: both come back into Am. Ain (d) is within its share, so room comes from
    // Am's LRU tail: a, then c.
    expect(feed(p, 'b g')).toBe('MM');
    expect(out.slice(9)).toEqual(['a', 'c']);
    expect(cached(p)).toBe('bdfg');
  });

  it('byte mode: a ghost is used up even when the object is then too large for Ain', () => {
    // Capacity 8: Ain 2, Aout 4, Am 6 units. e pushes a (2) into Aout.
    const p = makePolicy('twoq', 8);
    const out = evictions(p);
    expect(feed(p, 'a b c d e', { a: 2, b: 2, c: 2, d: 2, e: 2 })).toBe('MMMMM');
    expect(out).toEqual(['a']);
    // a returns with 3 units (> Ain's 2): not admitted, but its ghost is consumed, so when it returns with
    // 2 units it is a plain miss into Ain, and four more misses push it out in FIFO order.
    expect(feed(p, 'a', { a: 3 })).toBe('M');
    expect(feed(p, 'a f g h i', { a: 2, f: 2, g: 2, h: 2, i: 2 })).toBe('MMMMM');
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e', 'a']);
    expect(cached(p)).toBe('fghi');
  });

  it('remove drops an object or forgets a ghost', () => {
    const p = makePolicy('twoq', 4);
    feed(p, 'a b c d e'); // a -> Aout
    expect(p.remove(0)).toBe(false);
    expect(p.remove(4)).toBe(true);
    expect(cached(p)).toBe('bcd');
    // a is no longer a ghost: it re-enters Ain, and Ain's tail b (not Am's) makes room for f.
    const out = evictions(p);
    expect(feed(p, 'a f')).toBe('MM');
    expect(out).toEqual(['b']);
  });

  it('keeps its invariants when sizes change between requests and keys are removed', () => {
    checkResizesAndRemoves('twoq');
    checkResizesAndRemoves('twoq(ain=0.5,aout=2)', 60);
  });

  it('rejects out-of-range ratios', () => {
    expect(() => makePolicy('twoq(ain=0.6)', 10)).toThrow(InputError);
    expect(() => makePolicy('twoq(aout=-1)', 10)).toThrow(/aout: expected a number from 0 to 10/);
  });
});
