/** Small topology configs for tests, and running them the way `cachetopo run` does (validated, then run). */
import { join } from 'node:path';
import { resolveConfig, validateConfig } from '../../src/config/load.ts';
import { applyOverrides } from '../../src/topology/overrides.ts';
import type { ResultDocument } from '../../src/topology/result.ts';
import { runTopology } from '../../src/topology/run.ts';
import { topologySchema } from '../../src/topology/schema.ts';
import { repoRoot } from '../helpers/shared.ts';

/** A latency or service time that is always `value` ("2ms", or nanoseconds). */
export const constant = (value: string | number) => ({ dist: 'constant', value });

export const ZERO = constant(0);

type Json = Record<string, unknown>;

/** One generic LRU node of infinite capacity and no service time, with `over`'s fields added. */
export function cacheTier(over: Json = {}): Json {
  return { server: 'generic', nodes: 1, policy: 'lru', capacity: 'infinite', service: ZERO, ...over };
}

const MERGED = ['loadBalancer', 'gateway', 'network', 'origin'];

/**
 * The workload and clients of the race tests: 20,000 requests at 5,000/s over 1,000 Zipf(1.0) keys, with
 * the operation mix `ops` — enough writes to hot keys for reads and writes to overlap. Spread it into
 * baseConfig.
 */
export function mixed(ops: Record<string, number>): Json {
  return {
    workload: { generator: 'zipf', requests: 20_000, objects: 1_000, alpha: 1.0, ops },
    clients: { mode: 'open', rate: 5_000 },
  };
}

/**
 * One load balancer, one gateway, one tier "cache" of one node, and an origin, with no latency anywhere:
 * the smallest complete topology. `over` replaces its fields, except that the load balancer's, the
 * gateway's, the network's and the origin's objects are merged key by key.
 */
export function baseConfig(over: Json = {}): Json {
  const base: Json = {
    name: 'test',
    seed: 1,
    workload: { generator: 'zipf', requests: 20_000, objects: 2_000, alpha: 0.9 },
    clients: { mode: 'open', rate: 10_000 },
    zones: ['a'],
    network: { sameHost: ZERO, sameZone: ZERO, crossZone: ZERO, bandwidthGbps: 'infinite' },
    loadBalancer: { instances: 1, overhead: ZERO },
    gateway: { instances: 1, overhead: ZERO, routes: [{ chain: ['cache'] }] },
    tiers: {
      cache: { server: 'generic', nodes: 1, policy: 'lru', capacity: 'infinite', service: ZERO, threads: 1 },
    },
    origin: { read: ZERO, write: ZERO, pool: 1 },
  };
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = MERGED.includes(k) ? { ...(base[k] as Json), ...(v as Json) } : v;
  }
  return out;
}

/** experiments/seed-topology.json with its workload scaled to `requests`. */
export function seedTopology(requests: number): Json {
  const path = join(repoRoot, 'experiments/seed-topology.json');
  return applyOverrides(resolveConfig(path).raw, { scale: requests / 1_000_000 }, path) as Json;
}

/** Validates `raw` as the file "test.json" and runs it. */
export function run(raw: Json, seed?: number): ResultDocument {
  const config = validateConfig({ raw, files: [{ file: 'test.json', json: raw }] }, topologySchema);
  return runTopology(config, seed ?? config.seed, { raw, origin: { where: 'test.json', baseDir: '.' } });
}

/**
 * The requests that ended, each counted once: hits, misses, writes, rejections, failures, and those still
 * in flight when `until` cut the run short. Conservation: it equals the requests issued.
 */
export function ended(r: ResultDocument): number {
  const o = r.metrics.outcomes;
  return o.hits + o.misses + o.writes + o.rejected + o.failed + o.inFlight;
}

/** The InputError message lines (first and more) of running `raw`, or [] when it runs. */
export function problems(raw: Json): string[] {
  try {
    run(raw);
  } catch (e) {
    const err = e as Error & { more?: readonly string[]; exitCode?: number };
    if (err.exitCode !== 2) throw e;
    return [err.message, ...(err.more ?? [])];
  }
  return [];
}
