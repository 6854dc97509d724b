/**
 * Impossible topologies are refused before anything runs, with exit code 2 and one line per problem naming
 * the config file and the JSON pointer of the field at fault; and a run whose arrivals outpace a node
 * stops with a diagnosis naming it instead of growing until memory runs out.
 */
import { describe, expect, it } from 'vitest';
import { SimulationLimitError } from '../../src/sim/engine.ts';
import { baseConfig, problems, run, ZERO } from './helpers.ts';

const cache = { server: 'generic', nodes: 1, capacity: 'infinite', service: ZERO };

describe('impossible topologies', () => {
  it('a tier with no nodes', () => {
    expect(problems(baseConfig({ tiers: { cache: { ...cache, nodes: 0 } } }))).toEqual([
      'test.json: /tiers/cache/nodes: expected a whole number >= 1, got 0',
    ]);
  });

  it('a route to an unknown tier, and a chain that visits a tier twice (a cycle)', () => {
    expect(
      problems(
        baseConfig({
          gateway: {
            routes: [{ match: { share: 0.5 }, chain: ['cache', 'redis'] }, { chain: ['cache', 'cache'] }],
          },
        }),
      ),
    ).toEqual([
      'test.json: /gateway/routes/0/chain/1: unknown tier "redis"; expected one of cache',
      'test.json: /gateway/routes/1/chain/1: tier "cache" is already at position 0 of this chain: a lookup chain cannot visit a tier twice (a cycle)',
    ]);
  });

  it('negative and non-numeric latencies', () => {
    const lines = problems(
      baseConfig({
        network: { sameZone: { dist: 'constant', value: -1 } },
        origin: { read: { dist: 'lognormal', median: 'NaN', p99: '1ms' } },
      }),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^test\.json: \/network\/sameZone\/value: expected a duration .*got -1$/);
    expect(lines[1]).toMatch(/^test\.json: \/origin\/read\/median: expected a duration .*got "NaN"$/);
  });

  it('a capacity smaller than one object', () => {
    const workload = {
      generator: 'uniform',
      requests: 100,
      objects: 10,
      sizes: { dist: 'constant', value: 4096 },
    };
    expect(problems(baseConfig({ workload, tiers: { cache: { ...cache, capacity: 1000 } } }))).toEqual([
      "test.json: /tiers/cache/capacity: 1000 bytes per node cannot hold a single object with lru (the smallest object in the workload's first requests is 4096 bytes)",
    ]);
    // Server models charge their own overheads: 1 MiB holds no object in Redis (~876 KiB of base memory).
    const redis = { ...cache, server: 'redis', policy: 'redis-lru', capacity: '800KiB' };
    expect(problems(baseConfig({ workload, tiers: { cache: redis } }))[0]).toMatch(
      /^test\.json: \/tiers\/cache\/capacity: 819200 bytes per node cannot hold a single object with redis-lru/,
    );
  });

  it('every other cross-field problem at once, each with its path', () => {
    expect(
      problems(
        baseConfig({
          zones: ['a', 'b'],
          loadBalancer: { zones: ['a', 'c'] },
          gateway: { routes: [{ chain: ['cache'] }, { match: { sizeAbove: 10 }, chain: ['cache'] }] },
          tiers: { cache: { ...cache, server: 'redis', threads: 4, policy: 'belady' } },
          metrics: { window: 0 },
        }),
      ),
    ).toEqual([
      'test.json: /loadBalancer/zones/1: unknown zone "c"; expected one of a, b',
      'test.json: /gateway/routes/0: this route matches every key, so routes 1..1 are never used',
      'test.json: /gateway/routes/1/match: the last route must have no match: it serves every key the others do not',
      'test.json: /tiers/cache/threads: expected 1 for redis (it runs commands on one thread; add nodes to add shards), got 4',
      'test.json: /tiers/cache/policy: belady needs future requests, which a simulation does not know',
      'test.json: /metrics/window: expected a window longer than 0',
    ]);
  });
});

describe('runaway load', () => {
  it('arrivals beyond a node’s capacity stop the run with a diagnosis naming the node', () => {
    // 200k requests/s into one thread serving 100k/s, which accepts any number of connections: the
    // queue grows by ~100k a second.
    const raw = baseConfig({
      workload: { generator: 'uniform', requests: 1_000_000, objects: 10 },
      clients: { mode: 'open', rate: 200_000 },
      tiers: {
        cache: { ...cache, service: { dist: 'constant', value: '10us' }, maxConnections: 10_000_000 },
      },
      limits: { maxInFlight: 20_000 },
    });
    let error: unknown;
    try {
      run(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationLimitError);
    const err = error as SimulationLimitError;
    expect(err.exitCode).toBe(2);
    expect(err.component).toBe('node cache-0');
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.message).toMatch(
      /^simulation stopped at t=\d+(\.\d+)?ms: 20000 requests in flight reached limits\.maxInFlight \(20000\); node cache-0 is saturated: \d+ requests waiting, 100\.0% busy/,
    );
  });
});
