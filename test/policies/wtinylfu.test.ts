import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { EvictionPolicy } from '../../src/policies/api.ts';
import { policies, resolvePolicy } from '../../src/policies/registry.ts';
import { WTinyLfu } from '../../src/policies/wtinylfu.ts';
import { checkResizesAndRemoves } from '../helpers/policy-fuzz.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

/** Letters of evicted keys, in eviction order. */
function evictions(p: EvictionPolicy): string[] {
  const out: string[] = [];
  p.onEvict = (k) => out.push(String.fromCharCode(97 + k));
  return out;
}

const id = (letter: string): number => letter.charCodeAt(0) - 97;

/**
 * libCacheSim sizes the sketch for the main cache's keys: 72 counters for a main of 5, which a handful of
 * keys already fill. A lower error rate gives hand traces a sketch where their keys do not collide.
 */
const ROOMY = 'error=1e-9';

describe('wtinylfu', () => {
  it('fills the window, spills it into main, then lets the sketch pick between window and main victims', () => {
    // Capacity 6, window 0.2: window share 1, main 5 = probation 1 + protected 4. a..f all sit in the
    // unbounded window (each sketch count 1). g: the window tail a moves to main (probation), b c d e
    // follow (probation full: protected), each counted once more; then f meets main's victim a: 2 > 1
    // fails, so f is evicted. f again: the window tail g (1) loses to a (2) and is evicted. a: hit in
    // probation -> protected, which overflows and pushes its tail b down to probation. g: window tail f
    // (count 3) beats main's victim b (2): b is evicted and f moves to probation; nothing has left yet
    // and the window is empty, so main evicts its victim — f itself (libCacheSim does the same).
    const p = makePolicy(`wtinylfu(window=0.2,${ROOMY})`, 6);
    const out = evictions(p);
    expect(feed(p, 'a b c d e f g f a g')).toBe('MMMMMMMMHM');
    expect(out).toEqual(['f', 'g', 'b', 'f']);
    expect(cached(p)).toBe('acdeg');
    expect(p.used).toBe(5);
  });

  it('counts main-cache hits and misses in the sketch, not window hits', () => {
    const p = makePolicy(`wtinylfu(window=0.2,${ROOMY})`, 6) as WTinyLfu;
    feed(p, 'a b c d e f g');
    // a..e were counted on admission and again on leaving the window; f twice (its eviction); g once.
    expect([...'abcdefg'].map((k) => p.sketch.estimate(id(k)))).toEqual([2, 2, 2, 2, 2, 2, 1]);
    expect(feed(p, 'g g b')).toBe('HHH');
    expect(p.sketch.estimate(id('g'))).toBe(1);
    expect(p.sketch.estimate(id('b'))).toBe(3);
  });

  it('halves the sketch after sample × main-capacity main hits', () => {
    // sample 1, main 5: the 5th main hit halves every counter.
    const p = makePolicy(`wtinylfu(window=0.2,sample=1,${ROOMY})`, 6) as WTinyLfu;
    feed(p, 'a b c d e f g b b b b');
    expect(p.sketch.estimate(id('b'))).toBe(6);
    feed(p, 'b');
    expect(p.sketch.estimate(id('b'))).toBe(3);
    expect(p.sketch.estimate(id('a'))).toBe(1);
  });

  it('byte mode: refuses objects larger than the window share or the probation segment', () => {
    // Capacity 200, window 0.05: window 10, main 190 (probation 38, protected 152).
    const p = makePolicy('wtinylfu(window=0.05)', 200);
    expect(feed(p, 'a b a b', { a: 11, b: 10 })).toBe('MMMH');
    expect(cached(p)).toBe('b');
    // window 0.5: window 100, main 100 with probation 20 — now the probation segment is the limit.
    const q = makePolicy('wtinylfu(window=0.5)', 200);
    expect(feed(q, 'a b a b', { a: 21, b: 20 })).toBe('MMMH');
  });

  it('works at sizes where libCacheSim refuses everything (window of at least one unit)', () => {
    // libCacheSim: ⌊48 · 0.01⌋ = 0, so nothing fits its window. Ours: window 1, main 47.
    expect(feed(makePolicy('wtinylfu', 48), 'a a b b a')).toBe('MHMHH');
    // Capacity 1: no main cache at all; the window alone is a one-object LRU.
    expect(feed(makePolicy('wtinylfu', 1), 'a a b b a')).toBe('MHMHM');
  });

  it('sizes the sketch from the main capacity (error 0.001: 10 hashes, 14.38 counters per key)', () => {
    const spec = resolvePolicy('wtinylfu');
    const p = new WTinyLfu({
      capacity: 4897,
      keySpace: 48974,
      random: seedrandom.alea('x'),
      params: spec.params,
    });
    expect(p.windowCap).toBe(48);
    expect(p.mainCap).toBe(4849);
    expect(p.sketch.depth).toBe(10);
    // 14.38 counters per key × 4849 = 69,718, rounded to the nearest power of two.
    expect(p.sketch.width).toBe(65536);
  });

  it('takes the paper’s options: small counters and a doorkeeper', () => {
    const p = makePolicy('wtinylfu(window=0.2,counterBits=4,doorkeeper=true)', 6) as WTinyLfu;
    expect(p.sketch.maxCount).toBe(15);
    expect(p.sketch.doorkeeper).not.toBeNull();
    feed(p, 'a');
    expect(p.sketch.estimate(id('a'))).toBe(1);
  });

  it('rejects parameters out of range', () => {
    expect(() => makePolicy('wtinylfu(window=1)', 6)).toThrow(InputError);
    expect(() => makePolicy('wtinylfu(counterBits=40)', 6)).toThrow(InputError);
  });

  it('is marked as refusing admission', () => {
    expect(policies.find((e) => e.name === 'wtinylfu')?.mayRefuse).toBe(true);
  });

  it('keeps its invariants when sizes change and objects are removed', () => {
    checkResizesAndRemoves('wtinylfu(window=0.1)');
  });
});
