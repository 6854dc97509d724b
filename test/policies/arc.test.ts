import { describe, expect, it } from 'vitest';
import type { EvictionPolicy } from '../../src/policies/api.ts';
import { checkResizesAndRemoves } from '../helpers/policy-fuzz.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

/** Letters of evicted keys, in eviction order. */
function evictions(p: EvictionPolicy): string[] {
  const out: string[] = [];
  p.onEvict = (k) => out.push(String.fromCharCode(97 + k));
  return out;
}

describe('arc', () => {
  it('adapts the T1 target p on ghost hits (capacity 4)', () => {
    // a: T1 hit -> T2. e: REPLACE moves T1's tail b to B1. b: B1 hit, p = 1; c -> B1; b into T2.
    // f: d -> B1. g: T1 + B1 + 1 > 4, so B1's oldest ghost c is dropped, then e -> B1. a, f: hits (T2,
    // T1 -> T2). h: T1 = 1 is not above p = 1, so T2's tail b -> B2. b: B2 hit, p = max(1 - 2/1, 0) = 0;
    // g -> B1. e: B1 hit, p = 1; T1 = p but the hit was in B1, so T2's tail a -> B2. a: B2 hit, p = 0;
    // T1's h -> B1. All four survivors are in T2.
    const p = makePolicy('arc', 4);
    const out = evictions(p);
    expect(feed(p, 'a b c d a e b f g a f h b e a')).toBe('MMMMHMMMMHHMMMM');
    expect(out).toEqual(['b', 'c', 'd', 'e', 'b', 'g', 'a', 'h']);
    expect(cached(p)).toBe('abef');
  });

  it('byte mode: p moves by the ghost-size ratio (one byte here), not by the object size', () => {
    // Capacity 10; a b c 4 bytes, d 2. c: b -> B1. b: B1 hit, p = 1; c -> B1; b into T2 [b a]. d fits.
    // c: B1 hit, p = 2; T1 = 2 = p (not a B2 hit), so T2's tail a -> B2. a: B2 hit, p = 1; T1's d -> B1
    // (T1 2 > 1), still 2 bytes short, so T2's tail b -> B2. Had p moved by 4 bytes per hit (p = 4 at a),
    // b would have gone first and d survived.
    const p = makePolicy('arc', 10);
    const out = evictions(p);
    expect(feed(p, 'a b a c b d c a', { a: 4, b: 4, c: 4, d: 2 })).toBe('MMHMMMMM');
    expect(out).toEqual(['b', 'c', 'a', 'd', 'b']);
    expect(cached(p)).toBe('ac');
    expect(p.used).toBe(8);
  });

  it('remove forgets a ghost, so the key returns as a new object', () => {
    const p = makePolicy('arc', 4);
    feed(p, 'a b c d a e'); // b -> B1
    expect(p.remove(1)).toBe(false);
    const out = evictions(p);
    // b re-enters T1 (a ghost hit would have put it in T2) and is evicted from T1 in turn at h.
    expect(feed(p, 'b f g h')).toBe('MMMM');
    expect(out).toEqual(['c', 'd', 'e', 'b']);
    expect(cached(p)).toBe('afgh');
  });

  it('objects and ghosts from before the first object of another size count 1 unit each', () => {
    // Capacity 4. a b c into T1; d (2 units): T1 + B1 + 2 > 4 with B1 empty, so T1's tail a is evicted
    // without a ghost. Removing b frees 1 unit; e fits. f: T1 + B1 + 1 > 4, B1 empty: c (1 unit) goes.
    // g: d goes, and frees its 2 units.
    const p = makePolicy('arc', 4);
    const out: number[] = [];
    p.onEvict = (k, s) => out.push(k, s);
    expect(feed(p, 'a b c d', { d: 2 })).toBe('MMMM');
    expect(p.remove(1)).toBe(true);
    expect(p.used).toBe(3);
    expect(feed(p, 'e f g')).toBe('MMM');
    expect(out).toEqual([0, 1, 2, 1, 3, 2]);
    expect(p.used).toBe(3);
    expect(cached(p)).toBe('efg');
  });

  it('keeps its invariants when sizes change between requests and keys are removed', () => {
    checkResizesAndRemoves('arc');
  });
});
