import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { cached, feed, hitMiss, makePolicy } from '../helpers/policy-trace.ts';

describe('clock', () => {
  it('gives a hit object one more lap (1-bit, capacity 3)', () => {
    // a b c | a, b hit | d: a and b get second chances (moved to the head, bit cleared), c is evicted |
    // c: evicts a (tail, bit clear) | e: evicts b.
    const p = makePolicy('clock', 3);
    expect(feed(p, 'a b c b a d c e')).toBe('MMMHHMMM');
    expect(cached(p)).toBe('cde');
  });

  it('a k-bit counter survives up to 2^k - 1 laps', () => {
    // a is hit twice. 1-bit: the counter saturates at 1, so a survives c's eviction round but not b's.
    // 2-bit: the counter is 2, so a survives both rounds and the last request hits.
    expect(hitMiss('clock', 2, 'a a a b c b a')).toBe('MHHMMMM');
    expect(hitMiss('clock(bits=2)', 2, 'a a a b c b a')).toBe('MHHMMMH');
  });

  it('byte mode evicts until the object fits and refuses objects larger than the cache', () => {
    const p = makePolicy('clock', 10);
    expect(feed(p, 'a b c d a', { a: 4, b: 3, c: 3, d: 11 })).toBe('MMMMH');
    expect(cached(p)).toBe('abc');
    // e (6 units) needs 6 free: a has its bit set, so b and c go.
    expect(feed(p, 'e', { e: 6 })).toBe('M');
    expect(cached(p)).toBe('ae');
    expect(p.used).toBe(10);
  });

  it('remove drops an object without calling onEvict', () => {
    const p = makePolicy('clock', 3);
    const evicted: number[] = [];
    p.onEvict = (k) => evicted.push(k);
    feed(p, 'a b c');
    expect(p.remove(1)).toBe(true);
    expect(p.remove(1)).toBe(false);
    expect(cached(p)).toBe('ac');
    expect(evicted).toEqual([]);
    feed(p, 'd e');
    expect(evicted).toEqual([0]);
  });

  it('rejects a bit count outside 1..8', () => {
    expect(() => makePolicy('clock(bits=0)', 3)).toThrow(InputError);
    expect(() => makePolicy('clock(bits=9)', 3)).toThrow(/bits: expected an integer from 1 to 8/);
  });
});
