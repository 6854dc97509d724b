import { describe, expect, it } from 'vitest';
import { KeyMap } from '../../src/trace/keymap.ts';

describe('KeyMap.appendU64', () => {
  it('appends keys as the next ids without hashing, and lookups still find them afterwards', () => {
    const km = new KeyMap('u64');
    expect(km.idOfU64(5, 0)).toBe(0);
    // 100,000 keys: more than the initial 65,536 slots of the key arrays, so they must grow to fit.
    const n = 100_000;
    const lo = new Uint32Array(n + 3);
    const hi = new Uint32Array(n + 3);
    for (let i = 0; i < n; i++) {
      lo[i] = i * 7 + 1;
      hi[i] = i % 3 === 0 ? 0xffffffff : 0;
    }
    km.appendU64(lo, hi, n);
    expect(km.size).toBe(n + 1);
    expect(km.halves(1)).toEqual([1, 0xffffffff]);
    expect(km.keyOf(1)).toBe(String((0xffffffffn << 32n) | 1n));
    expect(km.halves(n)).toEqual([(n - 1) * 7 + 1, (n - 1) % 3 === 0 ? 0xffffffff : 0]);
    expect(km.idOfU64(5, 0)).toBe(0);
    expect(km.idOfU64(7 * 50_000 + 1, 0)).toBe(50_001);
    expect(km.idOfU64(7 * 3 + 1, 0xffffffff)).toBe(4);
    expect(km.idOfU64(2, 0)).toBe(n + 1);
    expect(km.size).toBe(n + 2);
  });
});
