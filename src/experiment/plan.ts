/**
 * Experiment config → the list of cells to run. The config is resolved (extends, annotations), overridden
 * from the command line, and validated by the experiment schema; then the sweep is expanded (grid axes in
 * the order written, the first varying slowest, then the zip lists) and crossed with the seeds, the seed
 * varying fastest. Each cell's config is the experiment's without its experiment-only keys, with the
 * sweep values and the seed set, validated again by the cell schema so a bad sweep value is reported at
 * its JSON pointer like a bad written value.
 *
 * With `"ideal": true` (ideal.ts) the ideal configuration runs once per seed after the sweep's cells, with
 * params `{"ideal": true}`; the manifest lists them apart (idealCellIds).
 *
 * A cell's id is its index, zero-padded so ids sort in cell order, and a short hash of its params and
 * seed: stable across runs, shards and worker counts.
 */
import { dirname } from 'node:path';
import type { z } from 'zod';
import { configHash } from '../config/canonical.ts';
import { type ResolvedConfig, resolveConfig, validateConfig } from '../config/load.ts';
import { InputError } from '../errors.ts';
import { applyOverrides, type Overrides } from '../topology/overrides.ts';
import { topologySchema } from '../topology/schema.ts';
import { getPath, pointerOf, setPath } from './config-path.ts';
import type {
  CellParams,
  CostModel,
  FaultMarker,
  JsonValue,
  MetricSpec,
  ModelKind,
  Question,
  SweepAxis,
} from './contract.ts';
import { defaultMetrics, defaultQuestions } from './defaults.ts';
import { faultMarkers } from './fault-markers.ts';
import { IDEAL_PARAMS, idealConfig } from './ideal.ts';
import { workloadHash } from './provenance.ts';
import {
  EXPERIMENT_KEYS,
  type MetricSpecConfig,
  replayCellSchema,
  replayExperimentSchema,
  type SweepConfig,
  topologyExperimentSchema,
} from './schema.ts';

export interface PlannedCell {
  index: number;
  id: string;
  params: CellParams;
  seed: number;
  /** The cell's config as written (sweep values and seed applied, experiment keys removed). */
  config: JsonValue;
  /** configHash of `config`. */
  configHash: string;
  traceHash: string;
}

export interface ExperimentPlan {
  name: string;
  model: ModelKind;
  /** The config file as given (messages, relative trace paths). */
  file: string;
  baseDir: string;
  /** configHash of the whole resolved experiment, overrides applied. */
  configHash: string;
  axes: SweepAxis[];
  seeds: number[];
  metrics: MetricSpec[];
  questions: Question[];
  cost?: CostModel;
  cells: PlannedCell[];
  /** Ids of the cells of the ideal configuration (`"ideal": true`), one per seed; empty without. */
  idealCellIds: string[];
  /** The failure schedule as chart markers (every cell's, when a sweep varies it); empty without one. */
  faults: FaultMarker[];
  /** The config has a sweep or several seeds (so `cachetopo run` writes a results folder). */
  isSweep: boolean;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The sweep as a list of dimensions, each a list of assignments (path → value) taken together. */
function dimensions(
  file: string,
  sweep: SweepConfig | undefined,
): { axes: SweepAxis[]; dims: CellParams[][] } {
  const axes: SweepAxis[] = [];
  const dims: CellParams[][] = [];
  for (const [path, values] of Object.entries(sweep?.grid ?? {})) {
    axes.push({ name: path, values: values as JsonValue[] });
    dims.push(values.map((v) => ({ [path]: v as JsonValue })));
  }
  const zip = Object.entries(sweep?.zip ?? {});
  if (zip.length > 0) {
    const n = zip[0][1].length;
    for (const [path, values] of zip) {
      if (values.length !== n)
        throw new InputError(
          `${file}: /sweep/zip${pointerOf(path)}: expected ${n} values like /sweep/zip${pointerOf(zip[0][0])}, got ${values.length}`,
        );
      if (axes.some((a) => a.name === path))
        throw new InputError(
          `${file}: /sweep/zip${pointerOf(path)}: expected a path not already in /sweep/grid`,
        );
      axes.push({
        name: path,
        values: [...new Map(values.map((v) => [JSON.stringify(v), v as JsonValue])).values()],
      });
    }
    dims.push(
      Array.from({ length: n }, (_, i) => Object.fromEntries(zip.map(([p, vs]) => [p, vs[i] as JsonValue]))),
    );
  }
  return { axes, dims };
}

/** Every combination of one assignment per dimension, the last dimension varying fastest. */
function product(dims: CellParams[][]): CellParams[] {
  let out: CellParams[] = [{}];
  for (const d of dims) out = out.flatMap((p) => d.map((a) => ({ ...p, ...a })));
  return out;
}

function cellId(index: number, total: number, params: CellParams, seed: number): string {
  const width = Math.max(3, String(total - 1).length);
  return `${String(index).padStart(width, '0')}-${configHash({ params, seed }).slice(0, 8)}`;
}

function show(params: CellParams, seed: number): string {
  const p = Object.entries(params).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [...p, `seed=${seed}`].join(', ');
}

/**
 * Whether a sweep axis names a value of the config: one written or defaulted, or an optional field the
 * schema knows (its parent is in the config, and the cell schema accepts the key: e.g. a tier's `policy`).
 */
function isConfigPath(schema: z.ZodType, raw: Json, parsed: unknown, axis: SweepAxis): boolean {
  if (getPath(raw, axis.name) !== undefined || getPath(parsed, axis.name) !== undefined) return true;
  const segs = axis.name.split('.');
  const parent = segs.slice(0, -1).join('.');
  const at = segs.length === 1 ? raw : (getPath(raw, parent) ?? getPath(parsed, parent));
  if (typeof at !== 'object' || at === null) return false;
  const probe = schema.safeParse(setPath(raw, axis.name, axis.values[0]));
  return (
    probe.success ||
    !probe.error.issues.some(
      (i) =>
        i.code === 'unrecognized_keys' &&
        i.keys.includes(segs[segs.length - 1]) &&
        i.path.join('.') === parent,
    )
  );
}

/** Loads, validates and expands the experiment at `path` (see the module comment). */
export function planExperiment(path: string, overrides: Overrides = {}): ExperimentPlan {
  const resolved = resolveConfig(path);
  if (isObject(resolved.raw) && resolved.raw.model === 'replay' && overrides.until !== undefined)
    throw new InputError(`--until: ${path} is a replay experiment, which has no simulated time`);
  const raw = applyOverrides(resolved.raw, overrides, path);
  const files = resolved.files;
  const isReplay = isObject(raw) && raw.model === 'replay';
  const parsed = isReplay
    ? validateConfig({ raw, files }, replayExperimentSchema)
    : validateConfig({ raw, files }, topologyExperimentSchema);
  const model: ModelKind = isReplay ? 'replay' : 'topology';
  const rawObj = raw as Json;

  const { axes, dims } = dimensions(path, parsed.sweep);
  const cellSchema: z.ZodType = isReplay ? replayCellSchema : topologySchema;
  for (const a of axes) {
    const where = a.name in (parsed.sweep?.grid ?? {}) ? 'grid' : 'zip';
    const top = a.name.split('.')[0];
    if (
      !isConfigPath(cellSchema, rawObj, parsed, a) ||
      (EXPERIMENT_KEYS as readonly string[]).includes(top) ||
      top === 'seed'
    )
      throw new InputError(
        `${path}: /sweep/${where}${pointerOf(a.name)}: expected a path of a value in the config, got "${a.name}"` +
          (top === 'seed' ? ' (use "seeds" for replications)' : ''),
      );
  }
  const seeds =
    parsed.seeds === undefined
      ? [parsed.seed]
      : typeof parsed.seeds === 'number'
        ? Array.from({ length: parsed.seeds }, (_, i) => parsed.seed + i)
        : parsed.seeds;

  // The cell config: experiment keys out; a MetricSpec list is the experiment's, an object the topology's.
  let base: Json = Object.fromEntries(
    Object.entries(rawObj).filter(([k]) => !(EXPERIMENT_KEYS as readonly string[]).includes(k)),
  );
  if (isReplay) base = { ...base, model: 'replay' };
  const specs = Array.isArray(rawObj.metrics) ? (parsed.metrics as MetricSpecConfig[]) : undefined;
  if (Array.isArray(base.metrics)) delete base.metrics;

  const combos = product(dims);
  const ideal = !isReplay && (parsed as { ideal?: boolean }).ideal === true;
  // Each configuration: its params and its cell config for a seed; the ideal one comes last.
  const configs: { params: CellParams; configOf: (seed: number) => unknown }[] = combos.map((params) => ({
    params,
    configOf: (seed) => {
      let config: unknown = { ...base, seed };
      for (const [p, v] of Object.entries(params)) config = setPath(config, p, v);
      return config;
    },
  }));
  if (ideal) configs.push({ params: IDEAL_PARAMS, configOf: (seed) => idealConfig({ ...base, seed }) });
  const total = configs.length * seeds.length;
  const baseDir = dirname(path);
  const traceHashes = new Map<string, string>();
  const problems = new Set<string>();
  const cells: PlannedCell[] = [];
  const idealCellIds: string[] = [];
  const markers = new Map<string, FaultMarker>();
  configs.forEach(({ params, configOf }, c) => {
    seeds.forEach((seed, s) => {
      const config = configOf(seed);
      const index = c * seeds.length + s;
      const isIdeal = params === IDEAL_PARAMS;
      try {
        const valid = validateConfig({ raw: config, files } as ResolvedConfig, cellSchema);
        for (const m of faultMarkers((valid as { faults?: [] }).faults ?? []))
          markers.set(JSON.stringify(m), m);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        const suffix = isIdeal
          ? ` (the ideal configuration, seed=${seed})`
          : axes.length > 0
            ? ` (sweep cell ${show(params, seed)})`
            : '';
        for (const line of [e.message, ...e.more]) problems.add(`${line}${suffix}`);
        return;
      }
      const workload = (config as Json).workload;
      const wkey = JSON.stringify(workload);
      let traceHash = traceHashes.get(wkey);
      if (traceHash === undefined) {
        traceHash = workloadHash(workload, baseDir, path);
        traceHashes.set(wkey, traceHash);
      }
      const id = cellId(index, total, params, seed);
      if (isIdeal) idealCellIds.push(id);
      cells.push({
        index,
        id,
        params,
        seed,
        config: config as JsonValue,
        configHash: configHash(config),
        traceHash,
      });
    });
  });
  if (problems.size > 0) {
    const lines = [...problems];
    throw new InputError(lines[0], lines.slice(1));
  }
  const metrics = (specs ?? defaultMetrics(model)).map((m) => ({ ...m }) as MetricSpec);
  return {
    name: parsed.name,
    model,
    file: path,
    baseDir,
    configHash: configHash(raw),
    axes,
    seeds,
    metrics,
    questions: (parsed.questions as Question[] | undefined) ?? defaultQuestions(axes, metrics),
    cost: parsed.cost,
    cells,
    idealCellIds,
    faults: [...markers.values()].sort((x, y) => x.t - y.t),
    isSweep: total > 1,
  };
}
