import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntMap } from '../../src/analysis/int-map.ts';

describe('IntMap', () => {
  it('gets, inserts and deletes, growing past its initial size', () => {
    const m = new IntMap(2);
    for (let k = 0; k < 100; k++) m.insert(k * 7, k);
    expect(m.size).toBe(100);
    expect(m.get(70)).toBe(10);
    expect(m.get(71)).toBe(-1);
    m.delete(70);
    m.delete(71);
    expect(m.get(70)).toBe(-1);
    expect(m.size).toBe(99);
    for (let k = 0; k < 100; k++) if (k !== 10) expect(m.get(k * 7)).toBe(k);
  });

  it('agrees with a Map under churn, so deletions leave every probe run intact', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 400 }),
        (ops) => {
          // A small table (16 slots for up to 8 keys before it grows) makes runs collide and wrap around.
          const m = new IntMap(1);
          const ref = new Map<number, number>();
          ops.forEach(([add, k], i) => {
            if (add && !ref.has(k)) {
              m.insert(k, i);
              ref.set(k, i);
            } else if (!add) {
              m.delete(k);
              ref.delete(k);
            }
            expect(m.size).toBe(ref.size);
          });
          for (let k = 0; k <= 60; k++) expect(m.get(k)).toBe(ref.get(k) ?? -1);
        },
      ),
    );
  });
});
