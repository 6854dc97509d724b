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

// Capacity 4 with the default HIR ratio: HIR part max(1, 0.04) = 1 object, LIR part 3.
describe('lirs', () => {
  it('LIR set, HIR queue, non-resident keys in the stack, and libCacheSim’s uncounted resident', () => {
    // a b c become LIR; d is a resident HIR. e evicts d (d stays in S, non-resident). d: a miss on a
    // non-resident key in S makes it LIR: the bottom LIR a is demoted to Q, evicting e. a: hit in Q only;
    // libCacheSim first demotes the bottom LIR b into Q, which evicts a itself, and then puts a in S as
    // resident: a hit, but a is not counted in used until its next hit makes it LIR.
    const p = makePolicy('lirs', 4);
    const out = evictions(p);
    expect(feed(p, 'a b c d e d a')).toBe('MMMMMMH');
    expect(out).toEqual(['d', 'e', 'a']);
    expect(cached(p)).toBe('abcd');
    expect(p.used).toBe(3);
    expect(p.count).toBe(3);
    // a: hit, becomes LIR (used 4). e: non-resident in S -> LIR; c demoted, evicting b. b: new, HIR,
    // evicting c. d: LIR hit. c: new, evicting b, which stays in S as non-resident.
    expect(feed(p, 'a e b d c')).toBe('HMMHM');
    expect(out).toEqual(['d', 'e', 'a', 'b', 'c', 'b']);
    expect(cached(p)).toBe('acde');
    expect(p.used).toBe(4);
  });

  it('bounds the stack at twice the capacity by dropping the oldest non-resident key', () => {
    // a b c LIR; d..i each evict the previous HIR object, which stays in S as non-resident. At i the stack
    // holds 9 entries > 8, so d, the oldest non-resident key, is dropped. A miss on e (still in S) makes e
    // LIR and demotes a to Q, so x evicts a; a miss on d is a new object and leaves a LIR.
    const viaE = makePolicy('lirs', 4);
    expect(feed(viaE, 'a b c d e f g h i e x')).toBe('MMMMMMMMMMM');
    expect(cached(viaE)).toBe('bcex');
    const viaD = makePolicy('lirs', 4);
    expect(feed(viaD, 'a b c d e f g h i d x')).toBe('MMMMMMMMMMM');
    expect(cached(viaD)).toBe('abcx');
  });

  it('byte mode: admits only objects no larger than the HIR part (1% of the capacity)', () => {
    const p = makePolicy('lirs', 1000);
    expect(feed(p, 'a b a b', { a: 11, b: 10 })).toBe('MMMH');
    expect(cached(p)).toBe('b');
    const wide = makePolicy('lirs(hir=0.02)', 1000);
    expect(feed(wide, 'a a', { a: 11 })).toBe('MH');
  });

  it('a non-resident key coming back larger keeps its recorded size and stops demoting at the last LIR', () => {
    // Capacity 10, hir 0.3: HIR part 3, LIR part 7. a b (3) and c (1) are LIR, d (1) HIR; e (3) evicts d,
    // which stays in S. d returns asking for 10 units. Making room for its recorded size demotes a (Q's e
    // is evicted, e stays in S). 7 + 10 > 10, so libCacheSim keeps demoting: Q's a goes and b is demoted,
    // then Q's b goes and c is demoted (pruning e). With no LIR object left it would demote d's own stack
    // entry; we stop there and admit d as LIR with its recorded 1 unit.
    const p = makePolicy('lirs(hir=0.3)', 10);
    const out = evictions(p);
    expect(feed(p, 'a b c d e', { a: 3, b: 3, c: 1, d: 1, e: 3 })).toBe('MMMMM');
    expect(feed(p, 'd', { d: 10 })).toBe('M');
    expect(out).toEqual(['d', 'e', 'a', 'b']);
    expect(cached(p)).toBe('cd');
    expect(p.used).toBe(2);
  });

  it('remove keeps the stack bottom LIR: removing the last LIR object empties the stack', () => {
    const p = makePolicy('lirs', 4);
    feed(p, 'a b c d');
    expect([0, 1, 2].map((k) => p.remove(k))).toEqual([true, true, true]);
    expect(p.remove(0)).toBe(false);
    expect(cached(p)).toBe('d');
    // e becomes LIR at the bottom of a fresh stack (feed checks the bottom is LIR); d (resident in Q) is
    // hit and re-enters S above it, still HIR, so h (the LIR part full again) evicts it.
    expect(feed(p, 'e')).toBe('M');
    const out = evictions(p);
    expect(feed(p, 'd f g h')).toBe('HMMM');
    expect(out).toEqual(['d']);
    expect(cached(p)).toBe('efgh');
  });

  it('keeps its invariants when sizes change between requests and keys are removed', () => {
    checkResizesAndRemoves('lirs');
    checkResizesAndRemoves('lirs(hir=0.3)');
  });

  it('rejects a HIR ratio outside 0..0.5', () => {
    expect(() => makePolicy('lirs(hir=0.6)', 10)).toThrow(InputError);
    expect(() => makePolicy('lirs(hir=-0.1)', 10)).toThrow(/hir: expected a number from 0 to 0.5/);
  });
});
