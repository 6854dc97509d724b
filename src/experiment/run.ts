/**
 * Runs an experiment into a results folder (contract.ts): plans the cells (plan.ts), keeps the cells whose
 * files are current (resume), runs the others on a pool of worker threads — or on this thread with one
 * worker — writing each cell's file atomically as it finishes, then writes summary.json in cell order.
 *
 * With `shard: {index, count}` only cells whose index ≡ index (mod count) are run (round-robin, so every
 * shard gets a like mix of the sweep); the manifest still lists every cell, for `cachetopo merge`.
 * Replay cells sharing a workload are split into at most one task per worker, so each worker reads the
 * trace once (in one pass for all its cells); topology cells are one task each. A trace file that two or
 * more tasks read is converted once to the native format (trace-cache.ts) and read from there.
 *
 * An aborted `signal` stops the run: queued cells are dropped, cells in flight on workers are dropped
 * (terminated), the in-process cell finishes; finished cells stay, so the next run resumes.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, configHash } from '../config/canonical.ts';
import type { Overrides } from '../topology/overrides.ts';
import { WorkerPool } from '../workers/pool.ts';
import type { CellFile, Summary } from './contract.ts';
import { type CellTask, executeTask } from './execute.ts';
import { type ExperimentPlan, type PlannedCell, planExperiment } from './plan.ts';
import { codeVersion } from './provenance.ts';
import {
  cellPath,
  isCurrent,
  MANIFEST,
  manifestOf,
  prepareFolder,
  readCell,
  SUMMARY,
  summaryOf,
  writeJson,
} from './results.ts';
import { ensureNativeCopy, nativeCopyPath, TRACE_CACHE_DIR, traceFileOf } from './trace-cache.ts';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export interface RunOptions {
  out: string;
  /** Worker threads; default: one per core. */
  workers?: number;
  shard?: Shard;
  onProgress?: (cellsDone: number, cellsTotal: number) => void;
  /** Export each topology cell run now to `<dir>/<cell id>.ndjson` as `_bulk` NDJSON. */
  events?: { dir: string; sampleRate: number };
  /** Told each cell run now (not the ones reused), as soon as its file is written. */
  onCell?: (cell: CellFile) => void;
  /** Abort to stop cleanly (Ctrl-C). */
  signal?: AbortSignal;
  /** Command-line overrides applied to the experiment before it is expanded. */
  overrides?: Overrides;
  /** Directory of native copies of trace files (default traces/.cache); null reads every source itself. */
  traceCache?: string | null;
}

/**
 * Tasks handed to each worker thread ahead of time: the main thread runs cells too, and while it does, it
 * cannot answer a thread that finished; a second task keeps that thread busy meanwhile.
 */
const PREFETCH = 2;

/** The run stopped on its signal; finished cells are in the folder. */
export class ExperimentInterrupted extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`interrupted: ${done} of ${total} cells done; run the same command again to resume`);
    this.name = 'ExperimentInterrupted';
  }
}

/** The cells a shard runs. */
export function shardCells(cells: readonly PlannedCell[], shard?: Shard): PlannedCell[] {
  return shard === undefined ? [...cells] : cells.filter((c) => c.index % shard.count === shard.index);
}

/** The tasks for `cells`: topology cells alone; replay cells by workload, split over up to `workers`. */
export function tasksOf(
  plan: ExperimentPlan,
  cells: readonly PlannedCell[],
  workers: number,
  version: string,
  events?: CellTask['events'],
): CellTask[] {
  const base = {
    model: plan.model,
    file: plan.file,
    baseDir: plan.baseDir,
    codeVersion: version,
    metrics: plan.metrics.map((m) => m.name),
    events,
  };
  if (plan.model === 'topology') return cells.map((c) => ({ ...base, cells: [c] }));
  const groups = new Map<string, PlannedCell[]>();
  for (const c of cells) {
    const { replay, ...rest } = c.config as { replay: Record<string, unknown> };
    const { policy: _p, size: _s, ...shared } = replay;
    const key = canonicalJson({ ...rest, replay: shared });
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const tasks: CellTask[] = [];
  for (const g of groups.values()) {
    const n = Math.min(workers, g.length);
    for (let k = 0; k < n; k++) tasks.push({ ...base, cells: g.filter((_, i) => i % n === k) });
  }
  return tasks;
}

/**
 * Points the tasks that read a trace file at its native copy under `dir` when two or more tasks read it
 * (converting it once), or when the copy is there already.
 */
export function useNativeCopies(plan: ExperimentPlan, tasks: readonly CellTask[], dir: string): void {
  const readers = new Map<string, CellTask[]>();
  const files = new Map<string, ReturnType<typeof traceFileOf>>();
  for (const t of tasks) {
    const cell = t.cells[0];
    const file = traceFileOf((cell.config as { workload: unknown }).workload, plan.baseDir, cell.traceHash);
    if (file === null) continue;
    const copy = nativeCopyPath(dir, file);
    files.set(copy, file);
    readers.set(copy, [...(readers.get(copy) ?? []), t]);
  }
  for (const [copy, list] of readers) {
    const file = files.get(copy);
    if (file === null || file === undefined || (list.length < 2 && !existsSync(copy))) continue;
    const { path } = ensureNativeCopy(dir, file);
    for (const t of list) t.trace = { path, reader: file.reader };
  }
}

function traceHashOf(cells: readonly PlannedCell[]): string {
  const hashes = [...new Set(cells.map((c) => c.traceHash))];
  return hashes.length === 1 ? hashes[0] : configHash(hashes);
}

/** Runs `plan` into `opts.out`; returns the summary of the cells run (all of them, or the shard's). */
export async function runPlan(plan: ExperimentPlan, opts: RunOptions): Promise<Summary> {
  const version = codeVersion();
  const out = opts.out;
  prepareFolder(out);
  writeJson(join(out, MANIFEST), manifestOf(plan, version, traceHashOf(plan.cells)), true);

  const mine = shardCells(plan.cells, opts.shard);
  const files = new Map<string, CellFile>();
  for (const c of mine) {
    const f = readCell(cellPath(out, c.id));
    if (f !== null && isCurrent(f, c, version)) files.set(c.id, f);
  }
  const todo = mine.filter((c) => !files.has(c.id));
  const report = (): void => opts.onProgress?.(files.size, mine.length);
  report();

  const requested = opts.workers !== undefined && opts.workers > 0 ? opts.workers : availableParallelism();
  if (opts.events !== undefined) mkdirSync(opts.events.dir, { recursive: true });
  const tasks = tasksOf(plan, todo, requested, version, opts.events);
  const cacheDir = opts.traceCache === undefined ? TRACE_CACHE_DIR : opts.traceCache;
  if (cacheDir !== null) useNativeCopies(plan, tasks, cacheDir);
  const workers = Math.min(requested, tasks.length);
  const finish = (cells: CellFile[]): void => {
    for (const f of cells) {
      writeJson(cellPath(out, f.id), f, false);
      files.set(f.id, f);
      opts.onCell?.(f);
    }
    report();
  };
  const interrupted = (): ExperimentInterrupted => new ExperimentInterrupted(files.size, mine.length);

  // The main thread is one of the workers: it starts at once, while the threads load (~0.5–2 s each).
  const queue = [...tasks];
  const pool =
    workers > 1
      ? new WorkerPool<CellTask, CellFile[]>(new URL('./worker.ts', import.meta.url), workers - 1, PREFETCH)
      : null;
  let failure: unknown = null;
  const stop = (): void => {
    queue.length = 0;
    void pool?.terminate();
  };
  const fail = (e: unknown): void => {
    if (failure === null) failure = e;
    stop();
  };
  const onMain = async (): Promise<void> => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
      // Yield between cells, so worker replies and a signal (Ctrl-C) are seen.
      await new Promise((r) => setImmediate(r));
      if (opts.signal?.aborted || failure !== null) return;
      finish(await executeTask(t));
    }
  };
  const onThread = async (p: WorkerPool<CellTask, CellFile[]>): Promise<void> => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) finish(await p.run(t));
  };
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    const feeders =
      pool === null ? [] : Array.from({ length: (workers - 1) * PREFETCH }, () => onThread(pool));
    await Promise.all([onMain(), ...feeders].map((loop) => loop.catch(fail)));
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    await pool?.terminate();
  }
  if (opts.signal?.aborted) throw interrupted();
  if (failure !== null) throw failure;

  const summary = summaryOf(
    plan.name,
    mine.map((c) => files.get(c.id) as CellFile),
  );
  writeJson(join(out, SUMMARY), summary, true);
  return summary;
}

/** Plans and runs the experiment at `configPath` (the entry point `cachetopo regress` uses too). */
export async function runExperiment(configPath: string, opts: RunOptions): Promise<Summary> {
  return runPlan(planExperiment(configPath, opts.overrides), opts);
}
