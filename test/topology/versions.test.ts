/** Versions (versions.ts): handing out, applying (in order and in jumps), and staleness ages. */
import { describe, expect, it } from 'vitest';
import { Versions } from '../../src/topology/versions.ts';

describe('Versions', () => {
  it('ages a stale read from the apply time of the first newer version', () => {
    const v = new Versions(4);
    expect(v.current[2]).toBe(0);
    v.apply(2, v.next(2), 100);
    v.apply(2, v.next(2), 250);
    expect(v.current[2]).toBe(2);
    expect(v.staleAge(2, 0, 1_000)).toBe(900);
    expect(v.staleAge(2, 1, 1_000)).toBe(750);
    // An older version than current applied late changes nothing.
    v.apply(2, 1, 2_000);
    expect(v.current[2]).toBe(2);
    expect(v.staleAge(2, 1, 1_000)).toBe(750);
    expect(v.boundedAges).toBe(0);
  });

  it('a jump (write-behind flushing versions 1..3 at once) makes every skipped version applied then', () => {
    const v = new Versions(1);
    for (let i = 0; i < 3; i++) v.next(0);
    v.apply(0, 3, 500);
    expect(v.current[0]).toBe(3);
    expect(v.staleAge(0, 0, 600)).toBe(100);
    expect(v.staleAge(0, 2, 600)).toBe(100);
  });

  it('more than four versions behind, the age is a lower bound and is counted as one', () => {
    const v = new Versions(1);
    for (let t = 1; t <= 6; t++) v.apply(0, v.next(0), t * 10);
    // Version 1 was applied at 10, but only versions 3..6 (30..60) are kept: the bound is from 30.
    expect(v.staleAge(0, 0, 100)).toBe(70);
    expect(v.boundedAges).toBe(1);
    expect(v.staleAge(0, 2, 100)).toBe(70);
    expect(v.boundedAges).toBe(1);
  });

  it('grows to more keys, keeping what it had', () => {
    const v = new Versions(1);
    v.apply(0, v.next(0), 5);
    v.reserve(100);
    expect(v.current[0]).toBe(1);
    v.apply(99, v.next(99), 7);
    expect(v.staleAge(99, 0, 10)).toBe(3);
    expect(v.staleAge(0, 0, 10)).toBe(5);
  });
});
