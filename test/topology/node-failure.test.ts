/**
 * experiments/node-failure.json scaled down: the issue's question — one Redis shard dies and returns cold;
 * origin QPS and p99 per window, with and without coalescing; ketama vs modulo (the share of keys moved).
 * The experiment's config as it is, with 40k requests (5 s at its 8k/s) and the crash moved to 1 s – 4 s:
 * the gateways' health checks (every 1 s, 3 failures) mark redis-1 down at 3 s and up at 4 s.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.ts';
import type { ResultMetrics } from '../../src/topology/result.ts';
import { repoRoot } from '../helpers/shared.ts';
import { run } from './helpers.ts';

type Json = Record<string, unknown>;

function nodeFailure(kind: string, coalescing: boolean, crash = true): ResultMetrics {
  const raw = resolveConfig(join(repoRoot, 'experiments/node-failure.json')).raw as Json;
  const workload = { ...(raw.workload as Json), requests: 40_000 };
  const tiers = raw.tiers as Record<string, Json>;
  const redis = { ...tiers.redis, sharding: { kind } };
  const faults = crash ? (raw.faults as Json[]).map((f) => ({ ...f, at: '1s', until: '4s' })) : [];
  return run({ ...raw, workload, tiers: { ...tiers, redis }, faults, coalescing }).metrics;
}

describe('node-failure, scaled down', () => {
  const ketama = nodeFailure('ketama', false);
  const modulo = nodeFailure('modulo', false);

  it('ketama moves fewer keys than modulo when redis-1 is marked down: about 1/3 against 2/3', () => {
    const share = (m: ResultMetrics) => m.faults?.rerouting.redis.changes.map((c) => [c.t, c.movedKeyShare]);
    const k = share(ketama)?.[0];
    const m = share(modulo)?.[0];
    expect(k?.[0]).toBe(3);
    expect(m?.[0]).toBe(3);
    expect(k?.[1]).toBeLessThan(m?.[1] as number);
    expect(k?.[1]).toBeGreaterThan(0.2);
    expect(k?.[1]).toBeLessThan(0.45);
    expect(m?.[1]).toBeGreaterThan(0.55);
    expect(m?.[1]).toBeLessThan(0.8);
  });

  it('the series carry origin QPS and p99 per window, with the crash and the mark as markers', () => {
    const s = ketama.series;
    expect(s.windowMs).toBe(1000);
    // Five whole windows and the last request's.
    expect(s.originQps).toHaveLength(6);
    expect(s.p99Ms).toHaveLength(6);
    expect(s.faults?.map((f) => [f.kind, f.t, f.until])).toEqual([
      ['node-crash', 1, 4],
      ['marked-down', 3, 4],
    ]);
    // Dead and not yet marked down (1–3 s): lookups of redis-1's keys wait the 50 ms client timeout.
    expect(s.p99Ms[1]).toBeGreaterThanOrEqual(50);
    expect(s.p99Ms[0]).toBeLessThan(50);
    // Its keys' lookups are misses while it is dead: more origin reads than the same window without the crash.
    const calm = nodeFailure('ketama', false, false).series;
    expect(calm.p99Ms[1]).toBeLessThan(50);
    expect(s.originQps[1]).toBeGreaterThan(1.1 * (calm.originQps[1] as number));
    // Modulo moves more keys onto shards that never held them: more origin reads once rerouted (3–4 s).
    expect(modulo.series.originQps[3]).toBeGreaterThan(ketama.series.originQps[3] as number);
  });

  it('coalescing never raises the origin load of the failure', () => {
    const coalesced = nodeFailure('ketama', true);
    expect(coalesced.origin.reads).toBeLessThanOrEqual(ketama.origin.reads);
    expect(coalesced.origin.coalesced).toBeGreaterThan(0);
  });
});
