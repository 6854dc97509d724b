import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

// Capacity 5 with small=0.4, ghost=0.4: small queue S = 2, main queue M = 3, ghost G = 2 units.
const SPEC = 's3fifo(small=0.4,ghost=0.4)';

describe('s3fifo', () => {
  it('demotes one-hit wonders to the ghost, promotes ghost hits and twice-hit objects to main', () => {
    // f: S's tail a has 2 hits -> M; b (no hit) is evicted, its key to G. b: a ghost hit -> M (evicting c
    // from S). g, h, c, d: S evictions (G keeps the 2 newest keys: c and d fall out, so they come back to
    // S). f, g: ghost hits -> M, which now holds 4 > 3: j evicts from M: a (hit once) is reinserted with
    // frequency 0 and b is evicted, with no ghost entry. b: a plain miss that evicts d from S to G.
    const p = makePolicy(SPEC, 5);
    expect(feed(p, 'a b c a a d e f b g a h c d f g j b a')).toBe('MMMHHMMMMMHMMMMMMMH');
    expect(cached(p)).toBe('abfgj');
    expect(p.count).toBe(5);
    // d was demoted at the last b: its return is a ghost hit (goes to M); S's tail j is evicted.
    expect(feed(p, 'd')).toBe('M');
    expect(cached(p)).toBe('abdfg');
  });

  it('moves to main only objects hit `threshold` times in the small queue', () => {
    // a is hit once while in S. With threshold 2 it is evicted at f; with threshold 1 it moves to M.
    const trace = 'a b a c d e f';
    let p = makePolicy(SPEC, 5);
    feed(p, trace);
    expect(cached(p)).toBe('bcdef');
    p = makePolicy(`${SPEC.slice(0, -1)},threshold=1)`, 5);
    feed(p, trace);
    expect(cached(p)).toBe('acdef');
  });

  it('sizes S as floor(capacity x 0.1) and refuses objects larger than S', () => {
    // S = 10 units: a (11) is never admitted; b (exactly 10) is (libCacheSim would refuse it: see header).
    const p = makePolicy('s3fifo', 100);
    expect(feed(p, 'a b a', { a: 11, b: 10 })).toBe('MMM');
    expect(cached(p)).toBe('b');
  });

  it('a delete also forgets the ghost entry', () => {
    const p = makePolicy(SPEC, 5);
    feed(p, 'a b c d e f'); // f evicts a into G
    expect(p.remove(0)).toBe(false);
    // a is no longer a ghost hit: it re-enters S (not M), so five more misses push it out of S again.
    feed(p, 'a');
    expect(cached(p)).toBe('acdef');
    feed(p, 'g h i j k');
    expect(cached(p)).toBe('ghijk');
  });

  it('rejects out-of-range parameters', () => {
    expect(() => makePolicy('s3fifo(small=1.5)', 10)).toThrow(InputError);
    expect(() => makePolicy('s3fifo(threshold=2.5)', 10)).toThrow(/threshold: expected an integer/);
  });
});
