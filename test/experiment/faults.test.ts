/**
 * manifest.faults: the failure schedule as chart markers before any cell runs, the same markers (times,
 * kinds, labels naming the target) that a run puts in its series.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExperimentManifest, FaultMarker } from '../../src/experiment/contract.ts';
import { planExperiment } from '../../src/experiment/plan.ts';
import { runPlan } from '../../src/experiment/run.ts';
import { chartsOf } from '../../src/report/blocks.ts';
import { loadResults } from '../../src/report/load.ts';
import { buildReport } from '../../src/report/model.ts';
import { baseConfig } from '../topology/helpers.ts';
import { tempDir, topologySweep, writeConfig } from './fixtures.ts';

/** The first list of fault markers in a chart spec (its rules' data). */
function faultData(spec: unknown): FaultMarker[] {
  if (Array.isArray(spec)) {
    if (
      spec.length > 0 &&
      spec.every((v) => typeof v === 'object' && v !== null && 'kind' in v && 'label' in v)
    )
      return spec as FaultMarker[];
    for (const v of spec) {
      const found = faultData(v);
      if (found.length > 0) return found;
    }
  } else if (typeof spec === 'object' && spec !== null) {
    for (const v of Object.values(spec)) {
      const found = faultData(v);
      if (found.length > 0) return found;
    }
  }
  return [];
}

const faults = [
  { kind: 'origin-slowdown', at: '1s', until: '1.5s', factor: 3 },
  { kind: 'node-crash', at: '0.2s', until: '0.6s', node: 'cache-1', restart: 'warm' },
  { kind: 'node-crash', at: '1.2s', node: 'cache-0' },
  { kind: 'tier-restart', at: '0.8s', tier: 'cache' },
  { kind: 'partition', at: '0.3s', until: '0.4s', zones: ['a', 'b'] },
  { kind: 'latency-spike', at: '0.5s', until: '0.7s', link: 'crossZone', delay: '2ms' },
  { kind: 'latency-spike', at: '0.5s', until: '0.9s', zones: ['b', 'a'], delay: '250us' },
  { kind: 'consumer-stall', at: '0.1s', until: '0.2s' },
  { kind: 'consumer-restart', at: '1.1s', group: 'caches' },
];

const config = baseConfig({
  name: 'faulty',
  workload: { generator: 'zipf', requests: 3000, objects: 300, alpha: 0.9 },
  zones: ['a', 'b'],
  tiers: {
    cache: {
      server: 'generic',
      nodes: 2,
      zones: ['a', 'b'],
      policy: 'lru',
      capacity: 'infinite',
      service: { dist: 'constant', value: 0.01 },
    },
  },
  clients: { mode: 'open', rate: 2000 },
  gateway: { healthCheck: { interval: '0.1s', failures: 1 } },
  invalidation: { via: 'kafka' },
  faults,
});

describe('manifest.faults', () => {
  it('lists the schedule by start time with labels naming the target, as the run’s own markers', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const plan = planExperiment(writeConfig(dir, 'f', config));
    const expected: FaultMarker[] = [
      { t: 0.1, until: 0.2, kind: 'consumer-stall', label: 'caches consumers stall' },
      { t: 0.2, until: 0.6, kind: 'node-crash', label: 'cache-1 crashes, back warm' },
      { t: 0.3, until: 0.4, kind: 'partition', label: 'a | b partitioned' },
      { t: 0.5, until: 0.7, kind: 'latency-spike', label: 'crossZone links +2 ms' },
      { t: 0.5, until: 0.9, kind: 'latency-spike', label: 'b – a +0.25 ms' },
      { t: 0.8, kind: 'tier-restart', label: 'cache restarts cold' },
      { t: 1, until: 1.5, kind: 'origin-slowdown', label: 'origin ×3' },
      { t: 1.1, kind: 'consumer-restart', label: 'caches consumers restart' },
      { t: 1.2, kind: 'node-crash', label: 'cache-0 crashes' },
    ];
    expect(plan.faults).toEqual(expected);
    const summary = await runPlan(plan, { out, workers: 1 });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExperimentManifest;
    expect(manifest.faults).toEqual(expected);
    const cell = JSON.parse(readFileSync(join(out, 'cells', `${summary.cells[0].id}.json`), 'utf8'));
    const series = cell.result.metrics.series.faults as FaultMarker[];
    expect(series.filter((m) => m.kind !== 'marked-down')).toEqual(expected);
    // The report draws the manifest's faults with the health checks' marks only the run knows, each once.
    const marks = series.filter((m) => m.kind === 'marked-down');
    expect(marks.length).toBeGreaterThan(0);
    const chart = chartsOf(buildReport(loadResults(out))).find((c) => c.id === 'time-series');
    const drawn = faultData(chart?.spec).map((f) => f.label);
    expect(drawn).toEqual([...expected, ...marks].sort((x, y) => x.t - y.t).map((f) => f.label));
  });

  it('is absent without a schedule, and the union of the cells’ schedules when a sweep varies it', () => {
    const dir = tempDir();
    expect(planExperiment(writeConfig(dir, 'none', topologySweep())).faults).toEqual([]);
    const swept = topologySweep({
      faults: [{ kind: 'node-crash', at: '1s', until: '2s', node: 'cache-0' }],
      sweep: { grid: { 'faults.0.until': ['2s', '3s'] } },
    });
    expect(planExperiment(writeConfig(dir, 'swept', swept)).faults).toEqual([
      { t: 1, until: 2, kind: 'node-crash', label: 'cache-0 crashes, back cold' },
      { t: 1, until: 3, kind: 'node-crash', label: 'cache-0 crashes, back cold' },
    ]);
  });
});
