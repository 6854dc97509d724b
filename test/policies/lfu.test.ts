import { describe, expect, it } from 'vitest';
import { cached, feed, hitMiss, makePolicy } from '../helpers/policy-trace.ts';

describe('lfu', () => {
  it('evicts the least frequently used object (capacity 3)', () => {
    // a reaches 3 requests and b 3; c, d, e, f each stay at 1 and keep replacing one another.
    const p = makePolicy('lfu', 3);
    expect(feed(p, 'a b c a b a d c d b e f g')).toBe('MMMHHHMMMHMMM');
    expect(cached(p)).toBe('abg');
  });

  it('breaks ties by least recent use, not by insertion order', () => {
    // a and b both reach 2; b got there first (a was requested last), so c evicts b. Insertion order
    // would evict a. Then b (a miss) evicts c, the only object with count 1.
    expect(hitMiss('lfu', 2, 'a b b a c a b')).toBe('MMHHMHM');
  });

  it('forgets counts on eviction and on remove', () => {
    const p = makePolicy('lfu', 2);
    expect(feed(p, 'a a a b')).toBe('MHHM');
    expect(p.remove(0)).toBe(true);
    // a comes back with count 1 and, being the most recent of the two 1s, survives c.
    expect(feed(p, 'a c')).toBe('MM');
    expect(cached(p)).toBe('ac');
  });

  it('byte mode evicts low counts first until the object fits', () => {
    const p = makePolicy('lfu', 10);
    expect(feed(p, 'a b c a a c d', { a: 5, b: 2, c: 3, d: 4 })).toBe('MMMHHHM');
    // d needs 4: b (count 1) goes, then c (count 2), leaving a (count 3).
    expect(cached(p)).toBe('ad');
    expect(p.used).toBe(9);
  });
});
