/**
 * Single-flight on the miss path: a hot key whose cached copy is deleted by frequent writes misses again
 * and again; while one read of it is at a slow origin, every other read of it waits for that one instead
 * of querying too.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, run } from './helpers.ts';

function hotKey(coalescing: boolean) {
  return run(
    baseConfig({
      coalescing,
      // Ten objects, Zipf 1.2: the hottest takes ~40% of 5,000 requests/s, and a fifth of requests are writes.
      workload: { generator: 'zipf', requests: 20_000, objects: 10, alpha: 1.2, ops: { get: 0.8, set: 0.2 } },
      clients: { mode: 'open', rate: 5_000 },
      origin: {
        read: { dist: 'constant', value: '10ms' },
        write: { dist: 'constant', value: '1ms' },
        pool: 100,
      },
    }),
  ).metrics;
}

describe('request coalescing', () => {
  it('cuts origin reads of a hot key, and every coalesced read is still answered as a miss', () => {
    const off = hotKey(false);
    const on = hotKey(true);
    // The same reads are served either way: coalescing changes who queries the origin, not who is answered.
    expect(on.outcomes.misses + on.outcomes.hits).toBe(off.outcomes.misses + off.outcomes.hits);
    expect(off.origin.coalesced).toBe(0);
    expect(on.origin.coalesced).toBeGreaterThan(0);
    expect(on.origin.reads + on.origin.coalesced).toBe(on.outcomes.misses);
    expect(on.origin.reads).toBeLessThan(off.origin.reads / 4);
    expect(on.outcomes.inFlight + off.outcomes.inFlight).toBe(0);
  });
});
