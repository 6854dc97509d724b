/**
 * Small results folders for the report tests, written the way src/experiment/contract.ts defines them
 * (manifest.json, cells/<id>.json, summary.json), from real runs of the topology simulator and of trace
 * replay, so the tests do not depend on the experiment runner.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import type {
  CellFile,
  CellParams,
  ExperimentManifest,
  JsonValue,
  Summary,
} from '../../src/experiment/contract.ts';
import { runReplay } from '../../src/replay/run.ts';
import { runTopology } from '../../src/topology/run.ts';
import { topologySchema } from '../../src/topology/schema.ts';
import { baseConfig } from '../topology/helpers.ts';

type Json = Record<string, unknown>;

function provenance(seed: number) {
  return { codeVersion: 'test', node: 'v20', configHash: 'c0ffee', traceHash: 'feed', seed };
}

/** A copy of `config` with the dotted `path` set to `value`. */
function setPath(config: Json, path: string, value: JsonValue): Json {
  const out = structuredClone(config);
  const parts = path.split('.');
  let at = out;
  for (const p of parts.slice(0, -1)) at = at[p] as Json;
  at[parts[parts.length - 1]] = value;
  return out;
}

function writeFolder(dir: string, manifest: ExperimentManifest, cells: CellFile[], listed: CellFile[]): void {
  mkdirSync(join(dir, 'cells'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  for (const c of cells) writeFileSync(join(dir, 'cells', `${c.id}.json`), JSON.stringify(c));
  const summary: Summary = {
    experiment: manifest.experiment,
    cells: listed.map((c) => ({ id: c.id, params: c.params, seed: c.seed, metrics: c.metrics })),
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
}

function grid(axes: { name: string; values: JsonValue[] }[]): CellParams[] {
  let out: CellParams[] = [{}];
  for (const a of axes) out = out.flatMap((p) => a.values.map((v) => ({ ...p, [a.name]: v })));
  return out;
}

export const TOPOLOGY_METRICS = ['hitRatio', 'latencyMs.p99', 'origin.peakQps', 'staleReadRatio'];

function metricOf(metrics: unknown, path: string): number | null {
  let at = metrics as Json | undefined;
  for (const p of path.split('.')) at = at?.[p] as Json | undefined;
  return typeof at === 'number' ? at : null;
}

function topologyConfig(): Json {
  const ms = (v: number) => ({ dist: 'constant', value: `${v}ms` });
  return baseConfig({
    name: 'report-fixture',
    workload: {
      generator: 'zipf',
      requests: 3_000,
      objects: 600,
      alpha: 0.9,
      sizes: { dist: 'constant', value: 100 },
      ops: { get: 0.9, set: 0.1 },
    },
    clients: { mode: 'open', rate: 2_000 },
    network: { sameZone: { dist: 'exponential', mean: '0.2ms' } },
    origin: { read: ms(2), write: ms(3), pool: 4 },
    tiers: {
      cache: {
        server: 'generic',
        nodes: 1,
        policy: 'lru',
        capacity: '4KiB',
        sharding: { kind: 'modulo' },
        service: { dist: 'exponential', mean: '20us' },
        threads: 1,
      },
    },
    metrics: { window: '250ms' },
  });
}

function runTopologyCell(
  raw: Json,
  seed: number,
): { result: JsonValue; metrics: Record<string, number | null> } {
  const config = validateConfig({ raw, files: [{ file: 'fixture.json', json: raw }] }, topologySchema);
  const doc = runTopology(config, seed, { raw, origin: { where: 'fixture.json', baseDir: '.' } });
  const result = JSON.parse(JSON.stringify(doc)) as JsonValue;
  const metrics: Record<string, number | null> = {};
  for (const m of TOPOLOGY_METRICS) metrics[m] = metricOf(doc.metrics, m);
  return { result, metrics };
}

export interface TopologyFixtureOptions {
  seeds: number[];
  /** Also run the ideal configuration (infinite capacity) and list it in manifest.idealCellIds. */
  ideal?: boolean;
  faults?: boolean;
}

/**
 * A topology experiment: capacity (4KiB, 16KiB) × nodes (1, 2), one question on hit ratio, p99 and
 * stale reads along capacity with nodes as series, a cost model, and optionally faults and an ideal run.
 */
export function topologyFolder(opts: TopologyFixtureOptions, dir = tempDir()): string {
  const axes = [
    { name: 'tiers.cache.capacity', values: ['4KiB', '16KiB'] as JsonValue[] },
    { name: 'tiers.cache.nodes', values: [1, 2] as JsonValue[] },
  ];
  const base = topologyConfig();
  const cells: CellFile[] = [];
  let index = 0;
  const make = (params: CellParams, seed: number, prefix: string): CellFile => {
    let config = base;
    for (const [k, v] of Object.entries(params)) config = setPath(config, k, v);
    const { result, metrics } = runTopologyCell(config, seed);
    const id = `${prefix}${String(index++).padStart(3, '0')}-s${seed}`;
    return {
      id,
      params,
      seed,
      provenance: provenance(seed),
      model: 'topology',
      config: config as JsonValue,
      result,
      metrics,
    };
  };
  for (const params of grid(axes)) for (const seed of opts.seeds) cells.push(make(params, seed, 'c'));
  const ideal = opts.ideal
    ? opts.seeds.map((seed) =>
        make({ 'tiers.cache.capacity': 'infinite', 'tiers.cache.nodes': 1 }, seed, 'ideal'),
      )
    : [];
  const manifest: ExperimentManifest = {
    experiment: 'report-fixture',
    model: 'topology',
    configHash: 'c0ffee',
    codeVersion: 'test',
    traceHash: 'feed',
    axes,
    seeds: opts.seeds,
    metrics: [
      { name: 'hitRatio', label: 'hit ratio', direction: 'higher', unit: 'ratio' },
      { name: 'latencyMs.p99', label: 'p99 latency', direction: 'lower', unit: 'ms' },
      { name: 'origin.peakQps', label: 'origin peak QPS', direction: 'lower', unit: 'qps' },
      { name: 'staleReadRatio', label: 'stale reads', direction: 'lower', unit: 'ratio' },
    ],
    questions: [
      {
        title: 'How much cache is enough?',
        metrics: ['hitRatio', 'latencyMs.p99', 'staleReadRatio'],
        axis: 'tiers.cache.capacity',
        series: 'tiers.cache.nodes',
      },
    ],
    cost: { cacheGbHour: 0.02, nodeHour: 0.1, originPerMillionQueries: 0.5 },
  };
  if (opts.faults) manifest.faults = [{ t: 0.5, until: 0.75, kind: 'node-crash', label: 'cache-0 crash' }];
  if (ideal.length > 0) manifest.idealCellIds = ideal.map((c) => c.id);
  writeFolder(dir, manifest, [...cells, ...ideal], [...cells, ...ideal]);
  return dir;
}

/** A replay experiment: policies lru, fifo, sieve × sizes 2%, 10%, 40% on a generated Zipf trace. */
export async function replayFolder(seeds: number[], dir = tempDir()): Promise<string> {
  const spec = join(dir, 'zipf.json');
  mkdirSync(dir, { recursive: true });
  writeFileSync(spec, JSON.stringify({ generator: 'zipf', requests: 4_000, objects: 800, alpha: 0.8 }));
  const policies = ['lru', 'fifo', 'sieve'];
  const sizes = ['2%', '10%', '40%'];
  const axes = [
    { name: 'replay.size', values: sizes as JsonValue[] },
    { name: 'replay.policy', values: policies as JsonValue[] },
  ];
  const cells: CellFile[] = [];
  const reports = new Map<number, Awaited<ReturnType<typeof runReplay>>>();
  for (const seed of seeds) {
    reports.set(
      seed,
      await runReplay({
        trace: spec,
        reader: {},
        policies: policies.join(','),
        sizes: sizes.join(','),
        byteMode: false,
        warmup: '0',
        windows: 0,
        honorOps: false,
        bounds: true,
        seed,
        workers: 1,
      }),
    );
  }
  let index = 0;
  for (const params of grid(axes)) {
    for (const seed of seeds) {
      const report = reports.get(seed);
      const row = report?.results.find(
        (r) => r.policy === params['replay.policy'] && r.sizeText === params['replay.size'],
      );
      if (!report || !row) throw new Error('fixture: missing replay row');
      const result = JSON.parse(
        JSON.stringify({ ...report, trace: 'zipf.json', results: [row] }),
      ) as JsonValue;
      cells.push({
        id: `c${String(index++).padStart(3, '0')}-s${seed}`,
        params,
        seed,
        provenance: provenance(seed),
        model: 'replay',
        config: {
          workload: 'zipf.json',
          replay: { policy: params['replay.policy'], size: params['replay.size'] },
        },
        result,
        metrics: {
          missRatio: row.missRatio,
          byteMissRatio: row.byteMissRatio,
          beladyMissRatio: row.beladyMissRatio,
          compulsoryMissRatio: row.compulsoryMissRatio,
        },
      });
    }
  }
  const manifest: ExperimentManifest = {
    experiment: 'replay-fixture',
    model: 'replay',
    configHash: 'c0ffee',
    codeVersion: 'test',
    traceHash: 'feed',
    axes,
    seeds,
    metrics: [{ name: 'missRatio', label: 'miss ratio', direction: 'lower', unit: 'ratio' }],
    questions: [
      {
        title: 'Which eviction policy?',
        metrics: ['missRatio'],
        axis: 'replay.size',
        series: 'replay.policy',
      },
    ],
  };
  writeFolder(dir, manifest, cells, cells);
  return dir;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cachetopo-report-'));
}
