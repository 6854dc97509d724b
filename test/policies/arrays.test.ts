/** Typed-array growth: `grown` doubles and fills new slots; `resized` makes exactly the length asked. */
import { describe, expect, it } from 'vitest';
import { grown, resized } from '../../src/policies/arrays.ts';

describe('grown', () => {
  it('keeps the array when it is long enough, else doubles from at least 16 and fills the new slots', () => {
    const a = Int32Array.from([1, 2, 3]);
    expect(grown(a, 3, -1)).toBe(a);
    const b = grown(a, 20, -1);
    expect(b).toBeInstanceOf(Int32Array);
    expect(b.length).toBe(32);
    expect([...b.subarray(0, 5)]).toEqual([1, 2, 3, -1, -1]);
  });
});

describe('resized', () => {
  it('keeps the contents, zeroes new slots, and has exactly the length asked, of the same type', () => {
    const a = Float64Array.from([1.5, 2.5]);
    const b = resized(a, 5);
    expect(b).toBeInstanceOf(Float64Array);
    expect([...b]).toEqual([1.5, 2.5, 0, 0, 0]);
    expect([...resized(Uint8Array.from([7, 8, 9]), 2)]).toEqual([7, 8]);
    expect(resized(new Uint32Array(0), 0).length).toBe(0);
  });
});
