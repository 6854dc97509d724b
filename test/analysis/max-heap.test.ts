import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxHeap } from '../../src/analysis/max-heap.ts';

describe('MaxHeap', () => {
  it('pops ids by descending priority', () => {
    const h = new MaxHeap(2);
    for (const [p, id] of [
      [5, 0],
      [9, 1],
      [1, 2],
      [7, 3],
      [3, 4],
    ])
      h.push(p, id);
    expect(h.size).toBe(5);
    expect(h.topPriority).toBe(9);
    expect(h.topId).toBe(1);
    const out: number[] = [];
    while (h.size > 0) out.push(h.pop());
    expect(out).toEqual([1, 3, 0, 4, 2]);
  });

  it('agrees with sorting under any mix of pushes and pops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }), { maxLength: 200 }),
        (ops) => {
          const h = new MaxHeap(1);
          const ref: number[] = [];
          ops.forEach((p, i) => {
            if (p === null) {
              if (ref.length === 0) return;
              ref.sort((a, b) => a - b);
              const want = ref.pop()!;
              expect(h.topPriority).toBe(want);
              h.pop();
            } else {
              h.push(p, i);
              ref.push(p);
            }
            expect(h.size).toBe(ref.length);
          });
        },
      ),
    );
  });
});
