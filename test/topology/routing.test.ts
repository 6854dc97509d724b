/** Load-balancer methods, closed-loop clients and near-cache tiers, through whole runs. */
import { describe, expect, it } from 'vitest';
import { baseConfig, run, ZERO } from './helpers.ts';

function perGateway(method: string, over: Record<string, unknown> = {}): number[] {
  return run(
    baseConfig({
      workload: { generator: 'uniform', requests: 3_000, objects: 100 },
      loadBalancer: { method },
      gateway: { instances: 3 },
      ...over,
    }),
  ).metrics.loadBalancer.perGateway;
}

describe('load balancer', () => {
  it('round_robin and least_conn (with no request outstanding) split evenly', () => {
    expect(perGateway('round_robin')).toEqual([1000, 1000, 1000]);
    expect(perGateway('least_conn')).toEqual([1000, 1000, 1000]);
  });

  it('ip_hash keeps a client on one gateway; consistent_hash keeps a key on one gateway', () => {
    const oneClient = perGateway('ip_hash', { clients: { mode: 'open', rate: 1000, count: 1 } });
    expect(oneClient.filter((n) => n > 0)).toEqual([3000]);
    const oneKey = perGateway('consistent_hash', {
      workload: { generator: 'uniform', requests: 3_000, objects: 1 },
    });
    expect(oneKey.filter((n) => n > 0)).toEqual([3000]);
    // Many keys spread over all three.
    expect(perGateway('consistent_hash').every((n) => n > 500)).toBe(true);
  });
});

describe('closed-loop clients', () => {
  it('each of N clients sends its next request a think time after its last response', () => {
    // 10 clients, 1 ms think, no latency: one request per client per ms, the last 1,000 ms in.
    const m = run(
      baseConfig({
        workload: { generator: 'uniform', requests: 10_000, objects: 100 },
        clients: { mode: 'closed', clients: 10, think: { dist: 'constant', value: '1ms' } },
      }),
    ).metrics;
    expect(m.requests).toBe(10_000);
    expect(m.simulation.simulatedSeconds).toBe(1);
    expect(m.series.requests).toEqual([9_990, 10]);
  });
});

describe('near cache (placement "gateway")', () => {
  it('reads the node on its own gateway host over the same-host link, then the shared tier', () => {
    const m = run(
      baseConfig({
        workload: { generator: 'uniform', requests: 2_000, objects: 50 },
        network: {
          sameHost: { dist: 'constant', value: '1us' },
          sameZone: { dist: 'constant', value: '100us' },
        },
        gateway: { instances: 2, routes: [{ chain: ['near', 'cache'] }] },
        tiers: {
          near: { server: 'generic', nodes: 2, placement: 'gateway', capacity: 'infinite', service: ZERO },
          cache: { server: 'generic', nodes: 1, capacity: 'infinite', service: ZERO },
        },
      }),
    ).metrics;
    expect(m.tiers.near.sharding).toBe('local');
    // Each gateway fills its own near node: a key can be in both.
    expect(m.tiers.near.lookups).toBe(2_000);
    expect(m.nodes.filter((n) => n.tier === 'near').every((n) => n.objects === 50)).toBe(true);
    // LB → gateway 100 µs, gateway ↔ near node 1 µs each way, gateway → LB 100 µs.
    expect(m.paths.hit.near.max).toBe(0.202);
    expect(m.paths.hit.near.mean).toBe(0.202);
    // A near miss adds the round trip to the shared tier on its own host in the same zone.
    expect(m.paths.hit.cache.mean).toBe(0.402);
  });
});
