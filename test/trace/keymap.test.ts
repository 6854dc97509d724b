import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyMap } from '../../src/trace/keymap.ts';

describe('KeyMap', () => {
  it('assigns dense ids in order of first appearance', () => {
    const m = new KeyMap();
    expect([m.idOfNumber(42), m.idOfNumber(7), m.idOfNumber(42), m.idOfNumber(0)]).toEqual([0, 1, 0, 2]);
    expect(m.size).toBe(3);
    expect(m.keyOf(1)).toBe('7');
  });

  it('keeps 64-bit ids above 2^53 distinct (no rounding through a double)', () => {
    const m = new KeyMap();
    // 2^63 + 1 and 2^63 + 2 are the same double, but different u64 halves.
    const a = m.idOfU64(1, 0x80000000);
    const b = m.idOfU64(2, 0x80000000);
    expect(a).not.toBe(b);
    expect(m.keyOf(a)).toBe((2n ** 63n + 1n).toString());
    expect(m.keyOf(b)).toBe((2n ** 63n + 2n).toString());
    expect(m.idOfU64(0xffffffff, 0xffffffff)).toBe(2);
    expect(m.keyOf(2)).toBe((2n ** 64n - 1n).toString());
  });

  it('survives growth and rehashing with the same ids (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(5)), { maxLength: 3000 }), (pairs) => {
        const m = new KeyMap();
        const ref = new Map<string, number>();
        for (const [lo, hi] of pairs) {
          const k = `${lo}/${hi}`;
          const want = ref.get(k) ?? ref.size;
          ref.set(k, want);
          expect(m.idOfU64(lo, hi)).toBe(want);
        }
        expect(m.size).toBe(ref.size);
      }),
      { numRuns: 20, seed: 1 },
    );
    const m = new KeyMap();
    for (let i = 0; i < 200_000; i++) m.idOfNumber(i * 4096);
    expect(m.idOfNumber(123 * 4096)).toBe(123);
    expect(m.size).toBe(200_000);
  });

  it('fills its first table to 7/8 before doubling it, every key still found', () => {
    // 2^17 slots at first: 114,687 keys fit (8·114,687 ≤ 7·131,071), the next one doubles the table.
    const m = new KeyMap();
    const key = (i: number): [number, number] => [Math.imul(i, 0x9e3779b1) >>> 0, i & 7];
    for (let i = 0; i < 114_687; i++) m.idOfU64(...key(i));
    const before = m.memoryBytes();
    for (let i = 0; i < 114_687; i += 97) expect(m.idOfU64(...key(i))).toBe(i);
    expect(m.idOfU64(7, 1 << 20)).toBe(114_687);
    expect(m.memoryBytes() - before).toBe(131_072 * 16);
    for (let i = 0; i < 114_687; i += 89) expect(m.idOfU64(...key(i))).toBe(i);
    expect(m.size).toBe(114_688);
  });

  it('never collapses distinct string keys', () => {
    const m = new KeyMap('string');
    expect([m.idOfString('a'), m.idOfString('b'), m.idOfString('a'), m.idOfString('')]).toEqual([0, 1, 0, 2]);
    expect(m.keyOf(1)).toBe('b');
  });
});
