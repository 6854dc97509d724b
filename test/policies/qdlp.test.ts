import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { cached, feed, hitMiss, makePolicy } from '../helpers/policy-trace.ts';

// Capacity 5 with small=0.4, ghost=0.4: small FIFO S = 2, main CLOCK M = 3, ghost G = 2 units.
const SPEC = 'qdlp(small=0.4,ghost=0.4)';

describe('qdlp', () => {
  it('promotes small-queue hits and ghost hits into a 2-bit CLOCK that evicts inside itself', () => {
    // f: a (hit in S) -> M, b -> G. b: ghost hit -> M (S's tail c goes to G). a: CLOCK hit. h: e (hit in
    // S) -> M; f demoted to G (c falls out of G). j: h (hit in S) -> M, but M is full: the CLOCK gives a a
    // second lap and evicts b. f: ghost hit -> M; S's tail i goes first, then the CLOCK evicts e to make
    // room, so the whole cache holds only 4. k fits without evicting. e: a plain miss, j demoted.
    const p = makePolicy(SPEC, 5);
    expect(feed(p, 'a b c a d e f b a g e h i h j f k a e')).toBe('MMMHMMMMHMHMMHMMMHM');
    expect(cached(p)).toBe('aefhk');
    expect(p.used).toBe(5);
  });

  it('threshold 2 needs two hits in the small queue to reach the CLOCK', () => {
    // a is hit once in S: with threshold 1 (default) it moves to M at f, with threshold 2 it is demoted.
    expect(hitMiss(SPEC, 5, 'a b a c d e f a')).toBe('MMHMMMMH');
    expect(hitMiss(`${SPEC.slice(0, -1)},threshold=2)`, 5, 'a b a c d e f a')).toBe('MMHMMMMM');
  });

  it('rejects out-of-range parameters', () => {
    expect(() => makePolicy('qdlp(bits=0)', 10)).toThrow(InputError);
    expect(() => makePolicy('qdlp(ghost=-1)', 10)).toThrow(/ghost: expected a number/);
  });
});
