import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NIL, PairedLists } from '../../src/policies/paired-lists.ts';

function contents(l: PairedLists, list: number): number[] {
  const out: number[] = [];
  for (let k = l.head[list]; k !== NIL; k = l.next(k)) out.push(k);
  return out;
}

describe('PairedLists', () => {
  it('keeps several lists over one links array', () => {
    const l = new PairedLists(2, 4);
    l.pushHead(0, 1);
    l.pushHead(0, 2);
    l.pushHead(0, 3);
    l.pushHead(1, 0);
    expect(contents(l, 0)).toEqual([3, 2, 1]);
    l.bumpToHead(0, 1);
    expect(contents(l, 0)).toEqual([1, 3, 2]);
    l.unlink(0, 3);
    expect(l.has(3)).toBe(false);
    expect(contents(l, 0)).toEqual([1, 2]);
    expect(l.dropTail(0)).toBe(2);
    expect(l.dropTail(0)).toBe(1);
    expect(l.head[0]).toBe(NIL);
    expect(l.tail[0]).toBe(NIL);
    expect(contents(l, 1)).toEqual([0]);
    expect([0, 1, 2, 3].map((k) => l.has(k))).toEqual([true, false, false, false]);
    l.verify(0);
    l.verify(1);
  });

  it('grows with reserve: old links kept, new keys in no list', () => {
    const l = new PairedLists(1, 2);
    l.pushHead(0, 1);
    l.reserve(100);
    expect(l.has(50)).toBe(false);
    l.pushHead(0, 99);
    expect(contents(l, 0)).toEqual([99, 1]);
    l.verify(0);
  });

  it('verify catches a broken link', () => {
    const l = new PairedLists(1, 4);
    l.pushHead(0, 1);
    l.pushHead(0, 2);
    l.links[2] = NIL; // prev of 1
    expect(() => l.verify(0)).toThrow(/prev of 1/);
  });

  it('behaves as a set of lists (random operations)', () => {
    const KEYS = 12;
    const op = fc.record({
      kind: fc.integer({ min: 0, max: 3 }),
      list: fc.integer({ min: 0, max: 2 }),
      key: fc.nat(KEYS - 1),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const l = new PairedLists(3, 4);
        l.reserve(KEYS);
        const model: number[][] = [[], [], []];
        const where = (k: number): number => model.findIndex((m) => m.includes(k));
        for (const { kind, list, key } of ops) {
          const w = where(key);
          if (kind === 0 && w < 0) {
            l.pushHead(list, key);
            model[list].unshift(key);
          } else if (kind === 1 && w >= 0) {
            l.unlink(w, key);
            model[w] = model[w].filter((k) => k !== key);
          } else if (kind === 2 && w >= 0) {
            l.bumpToHead(w, key);
            model[w] = [key, ...model[w].filter((k) => k !== key)];
          } else if (kind === 3 && model[list].length > 0) {
            expect(l.dropTail(list)).toBe(model[list].pop());
          }
          for (let i = 0; i < 3; i++) {
            l.verify(i);
            expect(contents(l, i)).toEqual(model[i]);
          }
          for (let k = 0; k < KEYS; k++) expect(l.has(k)).toBe(where(k) >= 0);
        }
      }),
    );
  });
});
