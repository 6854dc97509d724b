/**
 * The ideal configuration of an experiment (`"ideal": true`): what it changes in a cell config, where its
 * cells go in the plan, and the reference line the report draws from manifest.idealCellIds, end to end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { ExperimentManifest } from '../../src/experiment/contract.ts';
import { idealConfig } from '../../src/experiment/ideal.ts';
import { mergeResults } from '../../src/experiment/merge.ts';
import { planExperiment } from '../../src/experiment/plan.ts';
import { runPlan } from '../../src/experiment/run.ts';
import { formatSummaryTable } from '../../src/experiment/summary-table.ts';
import { loadResults } from '../../src/report/load.ts';
import { buildReport } from '../../src/report/model.ts';
import { replaySweep, tempDir, topologySweep, writeConfig } from './fixtures.ts';

type Json = Record<string, unknown>;

describe('idealConfig', () => {
  it('makes every capacity infinite, replicated tiers and invalidation ideal; keeps the rest', () => {
    const lag = { dist: 'constant', value: '5ms' };
    const base = {
      name: 'x',
      tiers: {
        near: { server: 'generic', capacity: '1MiB', replication: { mode: 'none' } },
        redis: {
          server: 'redis',
          capacity: '64MiB',
          replication: { mode: 'quorum', replicas: 2, lag, quorum: { w: 2, r: 2 }, readFrom: 'any' },
        },
      },
      writes: { policy: 'update' },
      invalidation: { via: 'kafka', kafka: { partitions: 4 } },
      faults: [
        { kind: 'node-crash', at: '1s', node: 'redis-0' },
        { kind: 'consumer-stall', at: '2s', until: '3s' },
      ],
    };
    expect(idealConfig(base)).toEqual({
      name: 'x',
      tiers: {
        near: { server: 'generic', capacity: 'infinite', replication: { mode: 'none' } },
        redis: {
          server: 'redis',
          capacity: 'infinite',
          replication: { mode: 'ideal', replicas: 2, readFrom: 'any' },
        },
      },
      writes: { policy: 'update' },
      invalidation: { via: 'ideal' },
      faults: [{ kind: 'node-crash', at: '1s', node: 'redis-0' }],
    });
    expect(base.tiers.redis.capacity).toBe('64MiB'); // the input is left alone
  });
});

describe('an experiment with "ideal": true', () => {
  it('plans one ideal cell per seed after the sweep, with params {ideal: true}', () => {
    const p = planExperiment(writeConfig(tempDir(), 't', topologySweep({ ideal: true })));
    expect(p.cells.map((c) => [c.params, c.seed])).toEqual([
      [{ 'tiers.cache.capacity': 50 }, 1],
      [{ 'tiers.cache.capacity': 50 }, 2],
      [{ 'tiers.cache.capacity': 200 }, 1],
      [{ 'tiers.cache.capacity': 200 }, 2],
      [{ ideal: true }, 1],
      [{ ideal: true }, 2],
    ]);
    expect(p.idealCellIds).toEqual(p.cells.slice(4).map((c) => c.id));
    expect(p.idealCellIds[0]).toMatch(/^004-/);
    const ideal = p.cells[4].config as { tiers: { cache: Json }; seed: number; ideal?: unknown };
    expect(ideal.tiers.cache.capacity).toBe('infinite');
    expect(ideal.seed).toBe(1);
    expect(ideal).not.toHaveProperty('ideal');
    // The sweep's cells are those of the same experiment without the ideal runs.
    const without = planExperiment(writeConfig(tempDir(), 't', topologySweep()));
    expect(p.cells.slice(0, 4).map((c) => c.configHash)).toEqual(without.cells.map((c) => c.configHash));
    expect(without.idealCellIds).toEqual([]);
  });

  it('is refused for a replay experiment (exit 2)', () => {
    const path = writeConfig(tempDir(), 'r', replaySweep({ ideal: true }));
    expect(() => planExperiment(path)).toThrow(InputError);
  });

  it('runs end to end: manifest.idealCellIds, summary order, shards, and the report’s dashed reference', async () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 't', topologySweep({ ideal: true, seeds: 1 }));
    const plan = planExperiment(cfg);
    const out = join(dir, 'out');
    const summary = await runPlan(plan, { out, workers: 1 });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExperimentManifest;
    expect(manifest.cellIds).toHaveLength(3);
    expect(manifest.idealCellIds).toEqual([manifest.cellIds?.[2]]);
    expect(manifest.axes).toEqual([{ name: 'tiers.cache.capacity', values: [50, 200] }]);
    expect(summary.cells.map((c) => c.params)).toEqual([
      { 'tiers.cache.capacity': 50 },
      { 'tiers.cache.capacity': 200 },
      { ideal: true },
    ]);
    // An infinite cache beats both capacities.
    const hit = summary.cells.map((c) => c.metrics.hitRatio as number);
    expect(hit[2]).toBeGreaterThan(hit[1]);
    expect(hit[1]).toBeGreaterThan(hit[0]);
    expect(formatSummaryTable(summary, plan.metrics).split('\n')[3]).toMatch(/^-\s+true\s+1\s/);

    // Two shards merged give the same folder (the ideal cell is index 2: shard 0's).
    const shards = [0, 1].map((i) => join(dir, `s${i}`));
    for (const [i, s] of shards.entries())
      await runPlan(plan, { out: s, workers: 1, shard: { index: i, count: 2 } });
    const merged = mergeResults(shards, join(dir, 'merged'));
    expect(merged).toEqual(summary);
    expect(readFileSync(join(dir, 'merged', 'manifest.json'), 'utf8')).toBe(
      readFileSync(join(out, 'manifest.json'), 'utf8'),
    );

    // The report compares the two capacities only, with the ideal run as each metric chart's reference.
    const report = buildReport(loadResults(out));
    const question = report.sections.find((s) => s.id.startsWith('q1-'));
    const charts = (question?.blocks ?? []).flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
    const hitChart = JSON.stringify(charts.find((c) => c.id === 'q1-hitratio')?.spec);
    expect(hitChart).toContain(JSON.stringify({ values: [{ ideal: hit[2], label: 'ideal' }] }));
    expect(JSON.stringify(question)).toContain('The ideal configuration is drawn as a dashed reference.');
    expect(JSON.stringify(question)).toContain('Compared 2 configurations');
  });
});
