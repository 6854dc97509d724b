import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { Random } from '../../src/policies/api.ts';
import { Xoshiro128 } from '../../src/policies/xoshiro.ts';

/** A seed stream giving these 32-bit words, as ctx.random would give them divided by 2^32. */
function words(...w: number[]): Random {
  let i = 0;
  return () => w[i++] / 2 ** 32;
}

describe('Xoshiro128', () => {
  it('generates xoshiro128** (reference outputs from state 1, 2, 3, 4)', () => {
    // The reference outputs are 11520, 0, 5927040, 70819200, 2031721883, 1637235492; over 2^31 slots an
    // index is the output halved.
    const g = new Xoshiro128(words(1, 2, 3, 4));
    const out = new Int32Array(6);
    g.indexes(out, 6, 2 ** 31);
    expect([...out]).toEqual([5760, 0, 2963520, 35409600, 1015860941, 818617746]);
  });

  it('continues one stream across batches, and fills only `count` slots', () => {
    const whole = new Int32Array(6);
    new Xoshiro128(words(5, 6, 7, 8)).indexes(whole, 6, 1000);
    const g = new Xoshiro128(words(5, 6, 7, 8));
    const parts = new Int32Array(8).fill(-1);
    g.indexes(parts, 2, 1000);
    g.indexes(parts.subarray(2), 4, 1000);
    expect([...parts.subarray(0, 6)]).toEqual([...whole]);
    expect([...parts.subarray(6)]).toEqual([-1, -1]);
  });

  it('draws every index of a small range about equally often', () => {
    const g = new Xoshiro128(seedrandom.alea('uniform'));
    const out = new Int32Array(70_000);
    g.indexes(out, out.length, 7);
    const counts = new Array<number>(7).fill(0);
    for (const r of out) counts[r]++;
    // 10,000 expected per index; a standard deviation is about 93.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('replaces an all-zero seed, which would only ever produce zeros', () => {
    const out = new Int32Array(4);
    new Xoshiro128(words(0, 0, 0, 0)).indexes(out, 4, 2 ** 31);
    expect(out.some((x) => x !== 0)).toBe(true);
  });
});
