/**
 * Invariants every registered policy must keep, on random traces (fast-check): capacity never exceeded,
 * hits + misses = requests, internal links consistent (verify), and — in object mode — Belady never misses
 * more than any always-admitting policy.
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { EvictionPolicy } from '../../src/policies/api.ts';
import { policies, resolvePolicy } from '../../src/policies/registry.ts';

/** Next-access indexes for a key sequence (what Belady needs). */
function nextAccess(keys: number[]): Int32Array {
  const next = new Int32Array(keys.length).fill(-1);
  const last = new Map<number, number>();
  keys.forEach((k, i) => {
    const p = last.get(k);
    if (p !== undefined) next[p] = i;
    last.set(k, i);
  });
  return next;
}

function run(name: string, keys: number[], sizes: number[], capacity: number, check: boolean): number {
  const spec = resolvePolicy(name);
  const p: EvictionPolicy = spec.entry.create({
    capacity,
    keySpace: 4,
    random: seedrandom.alea('prop'),
    params: spec.params,
  });
  p.reserve(Math.max(...keys, 0) + 1);
  const next = nextAccess(keys);
  let misses = 0;
  let hits = 0;
  for (let i = 0; i < keys.length; i++) {
    if (p.access(keys[i], sizes[i], i * 1000, next[i])) hits++;
    else misses++;
    if (check) {
      expect(p.used).toBeLessThanOrEqual(capacity);
      if (i % 7 === 0) p.verify();
    }
  }
  p.verify();
  expect(hits + misses).toBe(keys.length);
  return misses;
}

const trace = fc.record({
  keys: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 300 }),
  capacity: fc.integer({ min: 1, max: 30 }),
});

/** Policies behind admission filters (`policy+filter` specs): they must keep the same invariants. */
const WRAPPED = [
  'lru+bloom(window=16)',
  's3fifo+size(maxSize=6)+prob(p=0.5)',
  'lecar+prob(p=0.7)',
  'wtinylfu+bloom(window=8)',
];
/** Every spec under test: each registered policy, and the wrapped ones. */
const SPECS = [...policies.map((p) => p.name), ...WRAPPED];

describe('policy invariants', () => {
  for (const name of SPECS) {
    it(`${name}: object mode keeps capacity, counts and links`, () => {
      fc.assert(
        fc.property(trace, ({ keys, capacity }) => {
          run(
            name,
            keys,
            keys.map(() => 1),
            capacity,
            true,
          );
        }),
        { numRuns: 60, seed: 42 },
      );
    });
    it(`${name}: byte mode keeps capacity (objects larger than the cache are refused)`, () => {
      fc.assert(
        fc.property(trace, ({ keys, capacity }) => {
          // Sizes are a property of the key, as in oracleGeneral traces.
          const sizes = keys.map((k) => 1 + ((k * 7919) % 13));
          run(name, keys, sizes, capacity * 5, true);
        }),
        { numRuns: 40, seed: 7 },
      );
    });
  }

  it('Belady misses no more than any always-admitting policy (object mode)', () => {
    if (!policies.some((p) => p.name === 'belady')) return;
    // A policy that may refuse admission (W-TinyLFU, any filtered spec) can beat Belady: it is left out.
    const others = SPECS.filter((name) => {
      const e = resolvePolicy(name).entry;
      return name !== 'belady' && !e.needsNext && !e.mayRefuse;
    });
    expect(others).not.toContain('wtinylfu');
    expect(others.some((name) => name.includes('+'))).toBe(false);
    fc.assert(
      fc.property(trace, ({ keys, capacity }) => {
        const ones = keys.map(() => 1);
        const opt = run('belady', keys, ones, capacity, false);
        for (const name of others) expect(opt).toBeLessThanOrEqual(run(name, keys, ones, capacity, false));
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});
