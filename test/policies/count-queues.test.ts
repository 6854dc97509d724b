import { describe, expect, it } from 'vitest';
import { CountQueues } from '../../src/policies/count-queues.ts';

/** Keys in eviction order: repeatedly the front, removed (the queues are consumed). */
function drain(q: CountQueues): number[] {
  const out: number[] = [];
  for (let k = q.front(); k !== -1; k = q.front()) {
    out.push(k);
    q.remove(k);
    q.verify();
  }
  return out;
}

describe('CountQueues', () => {
  it('a key alone at its count counts up in place, and still yields to a key reaching that count first', () => {
    const q = new CountQueues(8);
    q.insert(1);
    q.bump(1); // alone at 1, no queue for 2: its queue becomes count 2
    q.bump(1); // and 3
    q.insert(2);
    q.bump(2); // 2 joins a new queue for 2, below 1's
    q.insert(3);
    q.bump(3); // 3 joins 2's queue, behind it
    q.bump(2); // 2 reaches 3 after 1 did: behind it in the queue for 3
    q.verify();
    expect([1, 2, 3].map((k) => q.count(k))).toEqual([3, 3, 2]);
    expect(drain(q)).toEqual([3, 1, 2]);
  });

  it('keeps counts apart when an in-place count-up meets the next queue', () => {
    const q = new CountQueues(8);
    q.insert(4);
    q.insert(5);
    q.bump(5); // 5 alone at 2
    q.bump(4); // 4 joins it at 2, behind 5
    q.bump(4); // 4 now alone at 3 (new queue), 5 alone at 2
    q.bump(5); // 5 moves into 3's queue, behind 4
    q.bump(5); // 5 alone at 4 (new queue)
    q.bump(5); // and counts up in place to 5
    q.verify();
    expect([q.count(4), q.count(5)]).toEqual([3, 5]);
    expect(drain(q)).toEqual([4, 5]);
  });
});
