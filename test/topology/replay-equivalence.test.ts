/**
 * With no latency anywhere and one cache node, the topology makes exactly the policy calls the replay
 * loop makes, in the same order, so its hits and misses equal replay()'s on the same trace — exactly, not
 * approximately — for every deterministic policy and capacity. Requests must not overlap for that (two
 * requests for one key at the same instant both miss in a real system, but not in replay): a closed loop
 * of one client with no think time guarantees it on any trace, and Poisson arrivals in nanoseconds do in
 * practice.
 */
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/policies/registry.ts';
import { replay } from '../../src/replay/replay.ts';
import { openTrace } from '../../src/trace/registry.ts';
import { openGenerator } from '../../src/trace/workload.ts';
import { sharedFile } from '../helpers/shared.ts';
import { baseConfig, run, ZERO } from './helpers.ts';

const ONE_CLIENT = { mode: 'closed', clients: 1, think: ZERO };

function replayMisses(
  open: () => import('../../src/trace/api.ts').RequestSource,
  policy: string,
  capacity: number,
) {
  const r = replay(open(), [{ policy: resolvePolicy(policy), capacity }], { byteMode: true });
  return { requests: r.requests, misses: r.results[0].misses };
}

function topologyMisses(
  workload: Record<string, unknown>,
  clients: unknown,
  policy: string,
  capacity: number,
) {
  const m = run(
    baseConfig({
      workload,
      clients,
      tiers: { cache: { server: 'generic', nodes: 1, policy, capacity, service: ZERO, threads: 1 } },
    }),
  ).metrics;
  expect(m.outcomes.failed + m.outcomes.rejected + m.outcomes.inFlight).toBe(0);
  return { requests: m.requests, misses: m.outcomes.misses };
}

const generated = {
  generator: 'zipf',
  requests: 30_000,
  objects: 5_000,
  alpha: 0.8,
  sizes: { dist: 'lognormal', mu: 6, sigma: 1 },
};
// Footprint ≈ 5,000 objects × e^(6 + 1/2) ≈ 3.3 MB: these capacities hold ~3% to ~30% of it.
const CAPACITIES = [100_000, 1_000_000];
/** memcached refuses an -m below twice its item size limit (2 MiB; tier-policy.ts), so its sizes start there. */
const MEMCACHED_CAPACITIES = [2_200_000, 3_000_000];
const POLICIES = ['lru', 'fifo', 'sieve', 's3fifo', 'arc', 'lirs', 'twoq', 'memcached'];

describe('zero latency: the topology hit ratio equals replay() exactly', () => {
  for (const policy of POLICIES) {
    it(`${policy}, generated Zipf trace, open loop (Poisson) and closed loop`, () => {
      for (const capacity of policy === 'memcached' ? MEMCACHED_CAPACITIES : CAPACITIES) {
        const expected = replayMisses(() => openGenerator(generated, 'test', 1), policy, capacity);
        expect(expected.misses).toBeGreaterThan(0);
        expect(topologyMisses(generated, { mode: 'open', rate: 1000 }, policy, capacity)).toEqual(expected);
        expect(topologyMisses(generated, ONE_CLIENT, policy, capacity)).toEqual(expected);
      }
    });
  }

  it('on the shared cloudPhysicsIO trace (oracleGeneral), LRU and S3-FIFO at two sizes', () => {
    const path = sharedFile('traces/cloudPhysicsIO.oracleGeneral.bin');
    if (path === null) return;
    for (const policy of ['lru', 's3fifo']) {
      for (const capacity of [16 * 2 ** 20, 128 * 2 ** 20]) {
        const expected = replayMisses(() => openTrace(path), policy, capacity);
        expect(expected.requests).toBe(113_872);
        expect(topologyMisses({ trace: path }, ONE_CLIENT, policy, capacity)).toEqual(expected);
      }
    }
  });
});
