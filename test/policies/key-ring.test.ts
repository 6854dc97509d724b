import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/policies/key-ring.ts';

function live(r: KeyRing): [number, number][] {
  const out: [number, number][] = [];
  r.forEach((k, s) => {
    out.push([k, s]);
  });
  return out;
}

describe('KeyRing', () => {
  it('gives entries back oldest first, skipping the ones killed', () => {
    const r = new KeyRing(4);
    const a = r.push(10, 1);
    const b = r.push(11, 2);
    r.push(12, 3);
    expect(r.kill(b)).toBe(2);
    expect(live(r)).toEqual([
      [10, 1],
      [12, 3],
    ]);
    expect(r.kill(a)).toBe(1);
    expect(r.shift()).toBe(12);
    expect(r.shiftedSize).toBe(3);
    expect(r.shift()).toBe(-1);
    expect(r.tail).toBe(r.head);
  });

  it('keeps sequence numbers valid when it doubles, tombstones included', () => {
    const r = new KeyRing(16);
    const seqs = Array.from({ length: 40 }, (_, i) => r.push(i, i + 1));
    expect(r.mask).toBe(63);
    expect(r.kill(seqs[3])).toBe(4);
    expect(r.kill(seqs[39])).toBe(40);
    const keys = live(r).map(([k]) => k);
    expect(keys).toHaveLength(38);
    expect(keys.slice(0, 4)).toEqual([0, 1, 2, 4]);
    expect(keys.at(-1)).toBe(38);
  });

  it('works across the wrap of sequence numbers at 2^32', () => {
    const r = new KeyRing(16);
    r.head = r.tail = 0x7ffffffe;
    const seqs = [r.push(1, 1), r.push(2, 1), r.push(3, 1), r.push(4, 1)];
    expect(seqs).toEqual([0x7ffffffe, 0x7fffffff, -0x80000000, -0x7fffffff]);
    expect(r.kill(seqs[2])).toBe(1);
    expect([r.shift(), r.shift(), r.shift(), r.shift()]).toEqual([1, 2, 4, -1]);
  });

  it('behaves as a FIFO list with removal by entry (random operations)', () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 1000 }), size: fc.integer({ min: 0, max: 9 }) }),
      fc.constant({ shift: true }),
      fc.record({ kill: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const r = new KeyRing(16);
        // The model: live entries in push order.
        let model: { key: number; size: number; seq: number }[] = [];
        for (const o of ops) {
          if ('push' in o) {
            model.push({ key: o.push, size: o.size, seq: r.push(o.push, o.size) });
          } else if ('shift' in o) {
            const first = model.shift();
            expect(r.shift()).toBe(first === undefined ? -1 : first.key);
            if (first !== undefined) expect(r.shiftedSize).toBe(first.size);
          } else if (model.length > 0) {
            const victim = model[o.kill % model.length];
            expect(r.kill(victim.seq)).toBe(victim.size);
            model = model.filter((e) => e !== victim);
          }
          expect(live(r)).toEqual(model.map((e) => [e.key, e.size]));
        }
      }),
    );
  });
});
