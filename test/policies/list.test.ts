import { describe, expect, it } from 'vitest';
import { KeyLists, NIL } from '../../src/policies/list.ts';

function contents(l: KeyLists, list: number): number[] {
  const out: number[] = [];
  for (let k = l.head[list]; k !== NIL; k = l.next[k]) out.push(k);
  return out;
}

describe('KeyLists', () => {
  it('keeps several lists over shared links', () => {
    const l = new KeyLists(2, 4);
    l.pushHead(0, 1);
    l.pushHead(0, 2);
    l.pushTail(0, 3);
    l.pushHead(1, 0);
    expect(contents(l, 0)).toEqual([2, 1, 3]);
    l.moveToHead(1, 1);
    expect(contents(l, 0)).toEqual([2, 3]);
    expect(contents(l, 1)).toEqual([1, 0]);
    expect(l.popTail(0)).toBe(3);
    expect(l.popTail(0)).toBe(2);
    expect(l.popTail(0)).toBe(NIL);
    l.verify(0);
    l.verify(1);
    expect(l.owner[3]).toBe(-1);
  });

  it('grows with reserve and keeps links', () => {
    const l = new KeyLists(1, 2);
    l.pushHead(0, 1);
    l.reserve(100);
    l.pushHead(0, 99);
    expect(contents(l, 0)).toEqual([99, 1]);
    expect(l.owner[50]).toBe(-1);
    l.verify(0);
  });

  it('verify catches a broken link', () => {
    const l = new KeyLists(1, 4);
    l.pushHead(0, 1);
    l.pushHead(0, 2);
    l.prev[1] = NIL;
    expect(() => l.verify(0)).toThrow(/prev/);
  });
});
