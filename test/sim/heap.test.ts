import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/heap.ts';

type Op = { push: number } | { pop: true } | { take: number[] };

describe('EventQueue', () => {
  it('pops by time, and equal times in push order', () => {
    const q = new EventQueue();
    q.push(5, 0, 0, 1, 0.5);
    q.push(3, 1, 7, 2, 0);
    q.push(5, 2, 0, 3, 0);
    q.push(3, 3, 0, 4, 0);
    const got: number[][] = [];
    while (q.pop()) got.push([q.poppedTime, q.poppedTarget, q.poppedKind, q.poppedA, q.poppedB]);
    expect(got).toEqual([
      [3, 1, 7, 2, 0],
      [3, 3, 0, 4, 0],
      [5, 0, 0, 1, 0.5],
      [5, 2, 0, 3, 0],
    ]);
    expect(q.pop()).toBe(false);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('matches a stable sort by time under any mix of pushes, pops and handled events, with ties (property)', () => {
    // `take` is what the engine does per event: take the earliest, push what its handler schedules, settle.
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }).map((t) => ({ push: t })) },
      { weight: 1, arbitrary: fc.constant({ pop: true as const }) },
      {
        weight: 2,
        arbitrary: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }).map((then) => ({ take: then })),
      },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        // Starts small so the arrays grow during the run.
        const q = new EventQueue(16);
        const model: { t: number; id: number }[] = [];
        let id = 0;
        const push = (t: number): void => {
          q.push(t, id % 5, id % 3, id, id / 2);
          model.push({ t, id: id++ });
        };
        const expectEarliest = (got: boolean): void => {
          // The model's earliest: least time, first pushed among equals.
          let best = -1;
          for (let i = 0; i < model.length; i++)
            if (
              best < 0 ||
              model[i].t < model[best].t ||
              (model[i].t === model[best].t && model[i].id < model[best].id)
            )
              best = i;
          expect(got).toBe(best >= 0);
          if (best < 0) return;
          const e = model.splice(best, 1)[0];
          expect([q.poppedTime, q.poppedA, q.poppedB, q.poppedTarget, q.poppedKind]).toEqual([
            e.t,
            e.id,
            e.id / 2,
            e.id % 5,
            e.id % 3,
          ]);
        };
        for (const o of ops) {
          if ('push' in o) push(o.push);
          else if ('pop' in o) expectEarliest(q.pop());
          else {
            expectEarliest(q.take());
            expect(q.size).toBe(model.length);
            for (const t of o.take) push(t);
            q.settle();
          }
          expect(q.size).toBe(model.length);
        }
        while (model.length > 0) expectEarliest(q.pop());
        expect(q.pop()).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('counts pending events per target, not counting a taken event', () => {
    const q = new EventQueue();
    for (const target of [2, 0, 2, 2, 1]) q.push(1, target, 0, 0, 0);
    q.pop(); // the first pushed: target 2
    expect(Array.from(q.countByTarget(3))).toEqual([1, 1, 2]);
    q.take(); // target 0
    expect(Array.from(q.countByTarget(3))).toEqual([0, 1, 2]);
    expect(q.peekTime()).toBe(1);
    expect(Array.from(q.countByTarget(3))).toEqual([0, 1, 2]);
  });
});
