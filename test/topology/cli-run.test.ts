/** `cachetopo run` as a user and a script meet it: the interface contract of the result document. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { repoRoot } from '../helpers/shared.ts';

const LATENCY_KEYS = ['count', 'p50', 'p90', 'p99', 'p999', 'max', 'mean'];

describe('cachetopo run', () => {
  it('--json prints the result document of the seed topology at its default size: config, seed, metrics', () => {
    const r = cli('run', 'experiments/seed-topology.json', '--json', '--seed', '3');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['config', 'seed', 'metrics']);
    expect(doc.seed).toBe(3);
    // The config as run: annotations gone, overrides in.
    expect(doc.config.comment).toBeUndefined();
    expect(doc.config.seed).toBe(3);
    expect(doc.config.workload.requests).toBe(1_000_000);
    const m = doc.metrics;
    expect(m.requests).toBe(1_000_000);
    expect(m.hitRatio).toBeGreaterThan(0);
    expect(m.hitRatio).toBeLessThan(1);
    expect(Object.keys(m.tiers)).toEqual(['memcached', 'redis']);
    for (const t of Object.values(m.tiers))
      expect(typeof (t as { hitRatio: number }).hitRatio).toBe('number');
    expect(Object.keys(m.latencyMs)).toEqual(LATENCY_KEYS);
    expect(m.latencyMs.p50).toBeLessThanOrEqual(m.latencyMs.p99);
    expect(m.origin.requests).toBe(m.origin.reads + m.origin.writes);
    expect(m.origin.peakQps).toBeGreaterThan(0);
    const n = m.series.t.length;
    expect(n).toBeGreaterThan(0);
    for (const k of ['requests', 'hitRatio', 'originQps', 'p99Ms']) expect(m.series[k]).toHaveLength(n);
    expect(m.series.windowMs).toBe(1000);
  });

  it('prints a summary table, and writes the results folder (one cell) with --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachetopo-run-'));
    const out = join(dir, 'nested', 'run1');
    const r = cli(
      'run',
      'experiments/validation/mm1.json',
      '--out',
      out,
      '--until',
      '500ms',
      '--scale',
      '0.5',
      '--no-report',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^mm1-validation \(seed 1\): /);
    expect(r.out).toMatch(/latency \(ms\)\s+count\s+p50/);
    expect(r.out).toMatch(/cache-0\s+z\s/);
    expect(readdirSync(out).sort()).toEqual(['cells', 'manifest.json', 'metrics.prom', 'summary.json']);
    const [cell] = readdirSync(join(out, 'cells'));
    const doc = JSON.parse(readFileSync(join(out, 'cells', cell), 'utf8')).result;
    expect(doc.config.until).toBe('500ms');
    expect(doc.config.workload.requests).toBe(100_000);
    expect(doc.metrics.simulation.simulatedSeconds).toBe(0.5);
  });

  it('refuses an impossible topology with exit code 2 and one line per problem naming the config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachetopo-run-'));
    const bad = join(dir, 'bad.json');
    const seed = JSON.parse(readFileSync(join(repoRoot, 'experiments/seed-topology.json'), 'utf8'));
    seed.tiers.redis.nodes = 0;
    seed.gateway.routes[0].chain = ['memcached', 'valkey'];
    writeFileSync(bad, JSON.stringify(seed));
    const r = cli('run', bad, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual([
      `cachetopo: ${bad}: /tiers/redis/nodes: expected a whole number >= 1, got 0`,
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // Once the schema is satisfied, the cross-field checks speak.
    seed.tiers.redis.nodes = 3;
    writeFileSync(bad, JSON.stringify(seed));
    const r2 = cli('run', bad);
    expect(r2.code).toBe(2);
    expect(r2.err).toBe(
      `cachetopo: ${bad}: /gateway/routes/0/chain/1: unknown tier "valkey"; expected one of memcached, redis\n`,
    );
  });

  it('refuses bad options with exit code 2', () => {
    expect(cli('run', 'experiments/validation/mm1.json', '--scale', '-1').code).toBe(2);
    expect(cli('run', 'experiments/validation/mm1.json', '--until', '5').code).toBe(2);
  });
});
