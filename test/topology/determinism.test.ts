/** A run is a function of its config and seed: the same pair gives the same bytes, another seed others. */
import { describe, expect, it } from 'vitest';
import { run, seedTopology } from './helpers.ts';

describe('determinism', () => {
  it('same config and seed: byte-identical result documents; another seed: a different one', () => {
    const raw = seedTopology(20_000);
    const a = JSON.stringify(run(raw, 7));
    const b = JSON.stringify(run(raw, 7));
    expect(b).toBe(a);
    const c = JSON.stringify(run(raw, 8));
    expect(c).not.toBe(a);
    // The seed is in the document, and the figures themselves differ, not only the seed field.
    expect(JSON.parse(c).metrics.latencyMs).not.toEqual(JSON.parse(a).metrics.latencyMs);
    expect(JSON.parse(a).seed).toBe(7);
  });
});
