/** The cost model (report/cost.ts) on a hand-made result: each term, cross-zone transfer included. */
import { describe, expect, it } from 'vitest';
import { costPerHour } from '../../src/report/cost.ts';
import type { ResultMetrics } from '../../src/topology/result.ts';

/** Two 1 GB nodes, 10 s simulated, 1,000 origin queries, 0.5 GB sent across zones. */
const config = { tiers: { cache: { capacity: '1GB', nodes: 2 } } };
const metrics = {
  nodes: [
    { tier: 'cache', usedBytes: 0 },
    { tier: 'cache', usedBytes: 0 },
  ],
  origin: { requests: 1_000 },
  simulation: { simulatedSeconds: 10 },
  network: {
    messages: { sameHost: 0, sameZone: 40, crossZone: 10 },
    bytes: { sameHost: 0, sameZone: 2e9, crossZone: 5e8 },
  },
} as unknown as ResultMetrics;

describe('costPerHour', () => {
  it('prices cross-zone bytes at the run’s mean rate: 0.5 GB in 10 s is 180 GB an hour', () => {
    expect(costPerHour({ crossZonePerGb: 0.02 }, config, metrics, {})).toBeCloseTo(3.6, 12);
  });

  it('adds the terms: nodes, cache GB-hours, origin queries and cross-zone transfer', () => {
    const cost = { nodeHour: 0.1, cacheGbHour: 0.0125, originPerMillionQueries: 0.2, crossZonePerGb: 0.02 };
    // 2 × 0.1 + 2 GB × 0.0125 + 100 QPS × 3600 s / 1e6 × 0.2 + 180 GB × 0.02
    expect(costPerHour(cost, config, metrics, {})).toBeCloseTo(0.2 + 0.025 + 0.072 + 3.6, 12);
    expect(costPerHour({ ...cost, crossZonePerGb: undefined }, config, metrics, {})).toBeCloseTo(0.297, 12);
  });

  it('a result written before the network block has no cross-zone term; a measured cost is kept', () => {
    const old = { ...metrics, network: undefined } as unknown as ResultMetrics;
    expect(costPerHour({ nodeHour: 0.1, crossZonePerGb: 0.02 }, config, old, {})).toBeCloseTo(0.2, 12);
    expect(costPerHour({ crossZonePerGb: 0.02 }, config, metrics, { cost: 7 })).toBe(7);
    expect(costPerHour({}, config, metrics, {})).toBeNull();
    expect(costPerHour(undefined, config, metrics, {})).toBeNull();
  });
});
