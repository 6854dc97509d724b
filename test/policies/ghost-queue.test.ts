import { describe, expect, it } from 'vitest';
import { GhostQueue } from '../../src/policies/ghost-queue.ts';
import { KeyLists, NIL } from '../../src/policies/list.ts';

const GHOST = 1;

function ghosts(l: KeyLists): number[] {
  const out: number[] = [];
  for (let k = l.head[GHOST]; k !== NIL; k = l.next[k]) out.push(k);
  return out;
}

describe('GhostQueue', () => {
  it('drops its oldest ghosts until a new one fits, counting units', () => {
    const lists = new KeyLists(2, 8);
    lists.pushHead(0, 7); // a cached key in the policy's own list, untouched by the ghosts
    const g = new GhostQueue(lists, GHOST, 10, 8);
    g.remember(1, 4);
    g.remember(2, 3);
    g.remember(3, 3);
    expect(ghosts(lists)).toEqual([3, 2, 1]);
    expect(g.used).toBe(10);
    // 4 units: 1 (4 units, the oldest) goes, which is enough.
    g.remember(4, 4);
    expect(ghosts(lists)).toEqual([4, 3, 2]);
    expect(g.used).toBe(10);
    // 9 units: 2, 3 and 4 all go.
    g.remember(5, 9);
    expect(ghosts(lists)).toEqual([5]);
    expect(g.used).toBe(9);
    expect(lists.owner[1]).toBe(-1);
    expect(lists.owner[7]).toBe(0);
    g.verify('test');
  });

  it('does not remember a key larger than the queue, and forgets on request', () => {
    const lists = new KeyLists(2, 4);
    const g = new GhostQueue(lists, GHOST, 5, 4);
    g.remember(0, 2);
    g.remember(1, 6);
    expect(ghosts(lists)).toEqual([0]);
    g.remember(2, 3);
    g.forget(0);
    expect(ghosts(lists)).toEqual([2]);
    expect(g.used).toBe(3);
    expect(lists.owner[0]).toBe(-1);
    g.verify('test');
  });

  it('a queue of capacity 0 remembers nothing', () => {
    const lists = new KeyLists(2, 4);
    const g = new GhostQueue(lists, GHOST, 0, 4);
    g.remember(0, 1);
    expect(ghosts(lists)).toEqual([]);
    expect(g.used).toBe(0);
  });

  it('verify catches units that disagree with the list', () => {
    const lists = new KeyLists(2, 4);
    const g = new GhostQueue(lists, GHOST, 5, 4);
    g.remember(0, 2);
    g.used = 3;
    expect(() => g.verify('P')).toThrow('P ghosts hold 3, their sizes sum to 2');
  });
});
