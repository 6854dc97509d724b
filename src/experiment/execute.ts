/**
 * Runs a task — one topology cell, or replay cells that share a workload — and returns the cells' files.
 * The unit of work of a sweep worker thread (or of the main thread with one worker); everything in and
 * out is plain data. Replay cells of one task go through src/replay/run.ts in one pass over the trace
 * (every distinct policy × size of the task at once), and its report is split into one file per cell.
 *
 * Nothing here depends on which other cells share a task, so a cell's file is the same whatever the
 * worker count or the shard — the property resume, sharding and `rerun` rely on.
 */
import { isAbsolute, join } from 'node:path';
import { validateConfig } from '../config/load.ts';
import { InputError } from '../errors.ts';
import { EventsFile } from '../observability/events-file.ts';
import { runReplay } from '../replay/run.ts';
import { runTopology } from '../topology/run.ts';
import { topologySchema } from '../topology/schema.ts';
import { getPath } from './config-path.ts';
import type { CellFile, CellMetrics, JsonValue, ModelKind } from './contract.ts';
import type { PlannedCell } from './plan.ts';
import { replayCellSchema } from './schema.ts';

export interface CellTask {
  model: ModelKind;
  /** One topology cell, or replay cells with the same config apart from replay.policy and replay.size. */
  cells: PlannedCell[];
  /** The experiment file (messages) and the directory relative trace paths are read from. */
  file: string;
  baseDir: string;
  codeVersion: string;
  /** Metric names, in the order of the experiment's list (messages name their index). */
  metrics: string[];
  /** Export each topology cell's events to `<dir>/<cell id>.ndjson` (`cachetopo run --events`). */
  events?: { dir: string; sampleRate: number };
  /**
   * A native copy of the workload's trace file to read instead of it (trace-cache.ts), and the reader of
   * the source, which a replay report names as its format. The cells' files are those of the source.
   */
  trace?: { path: string; reader: string };
}

type Json = Record<string, unknown>;

/**
 * The task's metrics from a result. The ideal configuration may lack a block the sweep's cells have (no
 * Kafka bus: no `invalidations`): there a metric it does not have is null, as one it measured nothing for.
 */
function metricsOf(task: CellTask, source: unknown, ideal = false): CellMetrics {
  const out: CellMetrics = {};
  task.metrics.forEach((name, i) => {
    const v = getPath(source, name) ?? (ideal ? null : undefined);
    if (v === undefined || (v !== null && typeof v !== 'number'))
      throw new InputError(
        `${task.file}: /metrics/${i}/name: expected a numeric metric of a ${task.model} cell's result, got "${name}"`,
      );
    out[name] = v as number | null;
  });
  return out;
}

function cellFile(task: CellTask, cell: PlannedCell, result: unknown, metrics: CellMetrics): CellFile {
  return {
    id: cell.id,
    params: cell.params,
    seed: cell.seed,
    provenance: {
      codeVersion: task.codeVersion,
      node: process.version,
      configHash: cell.configHash,
      traceHash: cell.traceHash,
      seed: cell.seed,
    },
    model: task.model,
    config: cell.config,
    result: result as JsonValue,
    metrics,
  };
}

function runTopologyCell(task: CellTask, cell: PlannedCell): CellFile {
  const files = [{ file: task.file, json: cell.config }];
  const config = validateConfig({ raw: cell.config, files }, topologySchema);
  const events =
    task.events === undefined
      ? null
      : new EventsFile(join(task.events.dir, `${cell.id}.ndjson`), task.events.sampleRate);
  const run = task.trace === undefined ? config : { ...config, workload: { trace: task.trace.path } };
  let result: ReturnType<typeof runTopology>;
  try {
    result = runTopology(run, cell.seed, {
      raw: cell.config,
      origin: { where: task.file, baseDir: task.baseDir },
      events: events?.events,
    });
    events?.commit();
  } finally {
    events?.discard();
  }
  return cellFile(task, cell, result, metricsOf(task, result.metrics, cell.params.ideal === true));
}

/** What runReplay opens for a workload: a path, a preset name, or an inline spec saved as a file. */
function replayTrace(workload: Json, baseDir: string): { trace: string; written: string } {
  if (typeof workload.trace === 'string') {
    const trace = isAbsolute(workload.trace) ? workload.trace : join(baseDir, workload.trace);
    return { trace, written: workload.trace };
  }
  if (typeof workload.preset === 'string') return { trace: workload.preset, written: workload.preset };
  // An inline spec: the replay engine and its workers open the JSON itself (trace/workload.ts).
  return { trace: JSON.stringify(workload), written: `generator:${String(workload.generator)}` };
}

async function runReplayCells(task: CellTask): Promise<CellFile[]> {
  const files = [{ file: task.file, json: task.cells[0].config }];
  const configs = task.cells.map((c) => validateConfig({ raw: c.config, files }, replayCellSchema));
  const first = configs[0];
  const policies = [...new Set(configs.map((c) => c.replay.policy))];
  const sizes = [...new Set(configs.map((c) => String(c.replay.size)))];
  const w = first.workload as Json;
  const source = replayTrace(w, task.baseDir);
  const { written } = source;
  const trace = task.trace?.path ?? source.trace;
  const format = task.trace === undefined && typeof w.format === 'string' ? w.format : undefined;
  const report = await runReplay({
    trace,
    reader: format === undefined ? {} : { format },
    policies: policies.join(','),
    sizes: sizes.join(','),
    byteMode: first.replay.byteMode,
    warmup: String(first.replay.warmup),
    windows: first.replay.windows,
    honorOps: first.replay.honorOps,
    bounds: true,
    seed: first.seed,
    workers: 1,
  });
  // Rows come size by size, each with every policy in the order given.
  return task.cells.map((cell, i) => {
    const c = configs[i];
    const row =
      report.results[
        sizes.indexOf(String(c.replay.size)) * policies.length + policies.indexOf(c.replay.policy)
      ];
    const result = {
      ...report,
      trace: written,
      ...(task.trace === undefined ? {} : { format: task.trace.reader }),
      results: [row],
    };
    return cellFile(task, cell, result, metricsOf(task, row));
  });
}

export async function executeTask(task: CellTask): Promise<CellFile[]> {
  if (task.model === 'replay') return runReplayCells(task);
  return task.cells.map((c) => runTopologyCell(task, c));
}
