import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { policies } from '../../src/policies/registry.ts';
import { cached, feed, makePolicy } from '../helpers/policy-trace.ts';

describe('random', () => {
  it('evicts the slot the random draw picks (the last cached key fills the hole)', () => {
    // Draw 0 always picks slot 0: c evicts a (slots b c), a evicts b (slots c a), b evicts c.
    const first = makePolicy('random', 2, () => 0);
    expect(feed(first, 'a b c a b a')).toBe('MMMMMH');
    // Draw 0.999 picks the last slot: c evicts b, b evicts c.
    const last = makePolicy('random', 2, () => 0.999);
    expect(feed(last, 'a b c a b a')).toBe('MMMHMH');
    expect(cached(last)).toBe('ab');
  });

  it('is reproducible for a seed and marked randomized', () => {
    expect(policies.find((p) => p.name === 'random')?.randomized).toBe(true);
    const trace = 'a b c d e f a b c d e f a c e b d f a b c'.split(' ');
    const run = (seed: string): string =>
      feed(makePolicy('random', 3, seedrandom.alea(seed)), trace.join(' '));
    expect(run('s1')).toBe(run('s1'));
    const outcomes = new Set(['s1', 's2', 's3', 's4', 's5', 's6'].map(run));
    expect(outcomes.size).toBeGreaterThan(1);
  });
});
