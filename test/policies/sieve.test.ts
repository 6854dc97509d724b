import { describe, expect, it } from 'vitest';
import { cached, feed, hitMiss, makePolicy } from '../helpers/policy-trace.ts';

describe('sieve', () => {
  it('keeps a visited object in place while the hand evicts around it (capacity 3)', () => {
    // d: the hand starts at the tail, clears a's bit, evicts b and rests at c. b, e, c then evict c, d, b
    // in turn; a, untouched by the moving hand, is still there for the last request. CLOCK would have
    // moved a to the head at d and evicted it at e.
    expect(hitMiss('sieve', 3, 'a b c a d b e c a')).toBe('MMMHMMMMH');
    expect(hitMiss('clock', 3, 'a b c a d b e c a')).toBe('MMMHMMMMM');
  });

  it('wraps the hand from the head to the tail', () => {
    // c: a and b both visited; the hand clears a, clears b, passes the head, wraps to a and evicts it,
    // resting at b. d evicts b (hand moves to c). e: the hand clears c's bit and evicts d, the newest
    // object, which leaves it past the head: the next eviction starts again at the tail.
    const p = makePolicy('sieve', 2);
    expect(feed(p, 'a b a b c d c e c')).toBe('MMHHMMHMH');
    expect(cached(p)).toBe('ce');
  });

  it('moves the hand off an object that is removed', () => {
    // After d the hand rests at c. Removing c must move it to c's newer neighbour d, so f evicts d;
    // resetting it to the tail would evict a instead.
    const p = makePolicy('sieve', 3);
    expect(feed(p, 'a b c a d')).toBe('MMMHM');
    expect(p.remove(2)).toBe(true);
    expect(feed(p, 'e f')).toBe('MM');
    expect(cached(p)).toBe('aef');
  });

  it('byte mode evicts as many objects as the new one needs', () => {
    const p = makePolicy('sieve', 10);
    expect(feed(p, 'a b c b d', { a: 5, b: 3, c: 2, d: 6 })).toBe('MMMHM');
    // d needs 6: a (unvisited tail) goes, then b's bit is cleared and c goes.
    expect(cached(p)).toBe('bd');
    expect(p.used).toBe(9);
  });
});
