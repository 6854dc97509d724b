import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { Random } from '../../src/policies/api.ts';
import { resolvePolicy } from '../../src/policies/registry.ts';
import { splitList } from '../../src/replay/sizes.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

/** Returns the given draws in turn. */
function draws(...values: number[]): Random {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('admission filters', () => {
  it('size: admits objects of at most maxSize units', () => {
    const p = makePolicy('lru+size(maxSize=3)', 10);
    expect(feed(p, 'a b a b c', { a: 2, b: 4, c: 3 })).toBe('MMHMM');
    expect(cached(p)).toBe('ac');
  });

  it('prob: admits a miss when the draw is below p', () => {
    const p = makePolicy('lru+prob(p=0.5)', 2, draws(0.7, 0.2, 0.5, 0.49));
    // a: 0.7 refused; a: 0.2 admitted; a: hit (no draw); b: 0.5 refused; b: 0.49 admitted.
    expect(feed(p, 'a a a b b')).toBe('MMHMM');
    expect(cached(p)).toBe('ab');
  });

  it('bloom: admits on the second sighting', () => {
    const p = makePolicy('lru+bloom', 2);
    expect(feed(p, 'a a a b c b c')).toBe('MMHMMMM');
    expect(cached(p)).toBe('bc');
  });

  it('bloom: remembers sightings for one to two windows of other keys', () => {
    // window 2: after a b the filter rotates (a, b are "previous"); after c d it rotates again and a, b
    // are forgotten. So a is admitted after one rotation but not after two.
    expect(feed(makePolicy('lru+bloom(window=2)', 4), 'a b c a a')).toBe('MMMMH');
    expect(feed(makePolicy('lru+bloom(window=2)', 4), 'a b c d a a')).toBe('MMMMMM');
  });

  it('the policy never sees a refused miss: no eviction, no history', () => {
    // LeCaR's history is part of what a refusal must not touch: b is refused, so a stays cached.
    const p = makePolicy('lecar+prob(p=0.5)', 1, draws(0.1, 0.9));
    let evicted = 0;
    p.onEvict = () => evicted++;
    expect(feed(p, 'a b a')).toBe('MMH');
    expect(evicted).toBe(0);
    expect(p.count).toBe(1);
  });

  it('every filter sees every miss, whatever the order', () => {
    // a (5 units) is refused by size, but bloom still records it; a (2 units) is then admitted.
    for (const spec of ['lru+size(maxSize=3)+bloom', 'lru+bloom+size(maxSize=3)']) {
      const p = makePolicy(spec, 10);
      expect(feed(p, 'a', { a: 5 })).toBe('M');
      expect(feed(p, 'a a', { a: 2 })).toBe('MH');
    }
  });

  it('parses specs: labels drop defaults, round-trip, and survive comma lists', () => {
    const s = resolvePolicy('s3fifo(small=0.2)+size(maxSize=1048576)+prob(p=0.25)');
    expect(s.label).toBe('s3fifo(small=0.2)+size+prob(p=0.25)');
    expect(s.params).toEqual(resolvePolicy('s3fifo(small=0.2)').params);
    expect(resolvePolicy(s.label).label).toBe(s.label);
    expect(s.entry.mayRefuse).toBe(true);
    expect(s.entry.randomized).toBe(true);
    expect(resolvePolicy('lru+bloom').entry.randomized).toBe(false);
    expect(resolvePolicy('belady+bloom').entry.needsNext).toBe(true);
    expect(splitList('lru+bloom,fifo+prob(p=0.5),arc')).toEqual(['lru+bloom', 'fifo+prob(p=0.5)', 'arc']);
  });

  it('reports bad filters and parameters in one line', () => {
    expect(() => resolvePolicy('lru+nope')).toThrow(/unknown admission filter "nope"; expected one of: size/);
    expect(() => resolvePolicy('lru+bloom(x=1)')).toThrow(/admission filter bloom: unknown parameter "x"/);
    expect(() => resolvePolicy('lru+prob(p=high)')).toThrow(/admission filter prob: p: expected a number/);
    expect(() => resolvePolicy('lru+')).toThrow(InputError);
    expect(() => makePolicy('lru+prob(p=2)', 4)).toThrow(/prob: p: expected a number from 0 to 1, got 2/);
    expect(() => makePolicy('lru+bloom(window=0.5)', 4)).toThrow(InputError);
  });
});
