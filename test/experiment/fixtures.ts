/** Small experiment configs for the sweep tests, written to a temp dir as a user would write them. */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseConfig } from '../topology/helpers.ts';

type Json = Record<string, unknown>;

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cachetopo-exp-'));
}

/** Every file of a results folder, path → text (to compare folders byte for byte). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, name);
    if (statSync(p).isFile()) out[name] = readFileSync(p, 'utf8');
  }
  return out;
}

/** Writes `config` as <dir>/<name>.json and returns its path. */
export function writeConfig(dir: string, name: string, config: Json): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** A replay sweep: 3 policies (one randomised) × 2 sizes × 2 seeds = 12 cells on a small Zipf trace. */
export function replaySweep(over: Json = {}): Json {
  return {
    name: 'replay-sweep',
    model: 'replay',
    workload: { generator: 'zipf', requests: 5000, objects: 500, alpha: 0.9 },
    replay: { policy: 'lru', size: '10%' },
    sweep: { grid: { 'replay.policy': ['lru', 'sieve', 'random'], 'replay.size': ['2%', '10%'] } },
    seeds: 2,
    ...over,
  };
}

/** A topology sweep over the cache's byte capacity (generated objects are 1 byte) with 2 seeds: 4 cells. */
export function topologySweep(over: Json = {}): Json {
  return {
    ...baseConfig({
      name: 'topo-sweep',
      workload: { generator: 'zipf', requests: 4000, objects: 400, alpha: 0.9 },
      tiers: {
        cache: {
          server: 'generic',
          nodes: 1,
          policy: 'lru',
          capacity: 100,
          service: { dist: 'constant', value: 0.01 },
        },
      },
    }),
    sweep: { grid: { 'tiers.cache.capacity': [50, 200] } },
    seeds: 2,
    ...over,
  };
}
