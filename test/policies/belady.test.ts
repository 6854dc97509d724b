import { describe, expect, it } from 'vitest';
import { policies } from '../../src/policies/registry.ts';
import { cached, feed, hitMiss, makePolicy } from '../helpers/policy-trace.ts';

// The textbook reference string (Silberschatz et al., Operating System Concepts): 7 0 1 2 0 3 0 4 2 3 0 3 2
// 1 2 0 1 7 0 1 with 3 frames has 9 faults under OPT. Letters: h=7, a=0, b=1, c=2, d=3, e=4.
const TEXTBOOK = 'h a b c a d a e c d a d c b c a b h a b';

describe('belady', () => {
  it('reproduces the textbook OPT fault sequence', () => {
    expect(hitMiss('belady', 3, TEXTBOOK)).toBe('MMMMHMHMHHMHHMHHHMHH');
  });

  it('evicts objects never requested again first, but still admits them', () => {
    // c evicts b (next at 4, later than a's 3). At 4 a's next is never: b evicts a, not c.
    const p = makePolicy('belady', 2);
    expect(feed(p, 'a b c a b c')).toBe('MMMHMH');
    expect(cached(p)).toBe('bc');
  });

  it('byte mode evicts farthest-first until the object fits', () => {
    const p = makePolicy('belady', 10);
    // d (6) evicts c (next at 6) and then b (next at 5); a (next at 4) stays.
    expect(feed(p, 'a b c d a b c', { a: 4, b: 3, c: 3, d: 6 })).toBe('MMMMHMM');
    expect(p.used).toBeLessThanOrEqual(10);
  });

  it('declares that it needs next-access indexes', () => {
    expect(policies.find((p) => p.name === 'belady')?.needsNext).toBe(true);
  });
});
