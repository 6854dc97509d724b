/**
 * Random traces where an object's size may change between its requests (as in vscsi and csv traces) and
 * some requests are deletes. The shared property test keeps sizes fixed per key and never removes; this
 * checks that a policy's own invariants (verify) and the capacity still hold after every step then.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { makePolicy } from './policy-trace.ts';

export function checkResizesAndRemoves(spec: string, runs = 150): void {
  const step = fc.record({
    key: fc.integer({ min: 0, max: 25 }),
    size: fc.integer({ min: 1, max: 40 }),
    remove: fc.integer({ min: 0, max: 5 }),
  });
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 1, maxLength: 400 }),
      fc.integer({ min: 1, max: 400 }),
      (steps, capacity) => {
        const p = makePolicy(spec, capacity);
        for (let i = 0; i < steps.length; i++) {
          const { key, size, remove } = steps[i];
          if (remove === 0) {
            const was = p.contains(key);
            expect(p.remove(key)).toBe(was);
            expect(p.contains(key)).toBe(false);
          } else {
            p.access(key, size, i, -1);
          }
          p.verify();
          expect(p.used).toBeLessThanOrEqual(capacity);
        }
      },
    ),
    { numRuns: runs, seed: 11 },
  );
}
