/**
 * The event exporter's hook (topology/events.ts): every request's end, every invalidation applied from
 * the bus and every fault reach it, and listening changes nothing in the result.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { BulkEvents } from '../../src/observability/bulk-events.ts';
import type { SimEvents } from '../../src/topology/events.ts';
import { runTopology } from '../../src/topology/run.ts';
import { topologySchema } from '../../src/topology/schema.ts';
import { baseConfig, cacheTier } from './helpers.ts';

type Json = Record<string, unknown>;

function runWith(raw: Json, events?: SimEvents) {
  const config = validateConfig({ raw, files: [{ file: 'test.json', json: raw }] }, topologySchema);
  return runTopology(config, config.seed, { raw, origin: { where: 'test.json', baseDir: '.' }, events });
}

const config = baseConfig({
  workload: { generator: 'zipf', requests: 5_000, objects: 500, alpha: 1.0, ops: { get: 0.9, set: 0.1 } },
  clients: { mode: 'open', rate: 5_000 },
  tiers: {
    cache: cacheTier({ nodes: 2, sharding: { kind: 'ketama' } }),
  },
  gateway: { healthCheck: { interval: '100ms', failures: 1 } },
  invalidation: { via: 'kafka', kafka: { consumers: { pollInterval: '5ms' } } },
  faults: [{ at: '300ms', kind: 'node-crash', node: 'cache-1', until: '600ms', restart: 'cold' }],
});

class Counting implements SimEvents {
  requests = 0;
  hits = 0;
  invalidations = 0;
  faults: string[] = [];
  lastT = 0;
  request(simNs: number, latencyNs: number, _key: number, _w: boolean, outcome: number): void {
    this.requests++;
    if (outcome === 0) this.hits++;
    expect(latencyNs).toBeGreaterThanOrEqual(0);
    this.lastT = Math.max(this.lastT, simNs);
  }
  invalidation(): void {
    this.invalidations++;
  }
  fault(simNs: number, kind: string, target: string, phase: 'start' | 'end'): void {
    this.faults.push(`${simNs / 1e6}ms ${kind} ${target} ${phase}`);
  }
}

describe('event export hook', () => {
  it('hears every request, invalidation and fault, and changes nothing', () => {
    const plain = runWith(config);
    const c = new Counting();
    const heard = runWith(config, c);
    expect(JSON.stringify(heard)).toBe(JSON.stringify(plain));
    const o = plain.metrics.outcomes;
    expect(c.requests).toBe(o.hits + o.misses + o.writes + o.rejected + o.failed);
    expect(c.hits).toBe(o.hits);
    expect(c.invalidations).toBe(
      (plain.metrics.invalidations?.applied ?? 0) + (plain.metrics.invalidations?.duplicates ?? 0),
    );
    expect(c.invalidations).toBeGreaterThan(0);
    expect(c.faults).toContain('300ms node-crash cache-1 crashes, back cold start');
    expect(c.faults).toContain('600ms node-crash cache-1 crashes, back cold end');
  });

  it('writes sampled _bulk NDJSON through BulkEvents, the same bytes for the same seed', () => {
    const text = (): string => {
      const out: string[] = [];
      runWith(config, new BulkEvents((s) => out.push(s), { index: 'sim', sampleRate: 0.05, epochMs: 0 }));
      return out.join('');
    };
    const a = text();
    expect(a).toBe(text());
    const lines = a.trim().split('\n');
    expect(lines.length % 2).toBe(0);
    expect(lines.length / 2).toBeGreaterThan(150);
    expect(lines.length / 2).toBeLessThan(600);
  });
});
