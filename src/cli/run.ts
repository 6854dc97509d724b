/**
 * `cachetopo run <config.json>`: run an experiment. A single-cell topology config without --out is
 * simulated here and summarised as a table (or the result document with --json), as before sweeps. With
 * --out, or a sweep, or several seeds, the cells run on worker threads into a results folder
 * (experiment/run.ts; default reports/<name>) and a compact table of the sweep is printed (a single cell
 * still prints its full table), then the report (report/write.ts) unless --no-report. Ctrl-C stops
 * cleanly with exit code 130; running again resumes.
 */

import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { columns } from '../columns.ts';
import { validateConfig } from '../config/load.ts';
import { EXIT_INTERNAL, InputError, isTypedError } from '../errors.ts';
import type { CellFile } from '../experiment/contract.ts';
import { type ExperimentPlan, planExperiment } from '../experiment/plan.ts';
import { cellPath, readCell } from '../experiment/results.ts';
import { ExperimentInterrupted, runPlan, type Shard } from '../experiment/run.ts';
import { formatSummaryTable } from '../experiment/summary-table.ts';
import { EventsFile } from '../observability/events-file.ts';
import { prometheusText } from '../observability/prometheus.ts';
import { formatPercent, formatCount as int } from '../report/format.ts';
import { REPORT_FORMATS, writeReport } from '../report/write.ts';
import { parseDuration } from '../sim/time.ts';
import { expiryLines } from '../topology/expiry-summary.ts';
import { failoverLines } from '../topology/failover-summary.ts';
import { busLines } from '../topology/kafka/summary.ts';
import { networkLines } from '../topology/network-summary.ts';
import type { LatencySummary, ResultDocument } from '../topology/result.ts';
import { runTopology } from '../topology/run.ts';
import { topologySchema } from '../topology/schema.ts';
import { writeFileAtomic } from '../trace/writers/atomic-file.ts';
import { progressBar } from './progress.ts';
import { addOutputOptions, cellsPrometheus, LiveMetrics, type OutputFlags } from './run-outputs.ts';
import { parseSeed } from './trace.ts';

function parseScale(v: string): number {
  const n = Number(v);
  if (!(n > 0 && Number.isFinite(n))) throw new InputError(`--scale: expected a number > 0, got "${v}"`);
  return n;
}

function parseUntil(v: string): string {
  if (parseDuration(v) === null)
    throw new InputError(`--until: expected a duration with a unit like "30s", got "${v}"`);
  return v;
}

const pct = (x: number | null): string => (x === null ? '-' : formatPercent(x, 2));
const fix = (x: number | null, d = 3): string => (x === null ? '-' : x.toFixed(d));

export function formatRunTable(r: ResultDocument, wallSeconds: number): string {
  const m = r.metrics;
  const name = (r.config as { name?: string }).name ?? 'topology';
  const o = m.outcomes;
  const lat = (label: string, l: LatencySummary): string[] => [
    label,
    int(l.count),
    fix(l.p50),
    fix(l.p90),
    fix(l.p99),
    fix(l.p999),
    fix(l.max),
    fix(l.mean),
  ];
  const out = [
    `${name} (seed ${r.seed}): ${int(m.requests)} requests, ${m.simulation.simulatedSeconds.toFixed(3)} s simulated ` +
      `in ${wallSeconds.toFixed(2)} s`,
    `outcomes: ${int(o.hits)} hits, ${int(o.misses)} misses, ${int(o.writes)} writes, ${int(o.rejected)} rejected, ` +
      `${int(o.failed)} failed${o.inFlight > 0 ? `, ${int(o.inFlight)} still in flight` : ''}`,
    `hit ratio ${pct(m.hitRatio)}: ${Object.entries(m.tiers)
      .map(([t, x]) => `${t} ${pct(x.hitRatio)} of ${int(x.lookups)} lookups`)
      .join(', ')}`,
    '',
    ...columns(
      [
        ['latency (ms)', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean'],
        lat('all served', m.latencyMs),
        ...Object.entries(m.paths.hit).map(([t, l]) => lat(`hit in ${t}`, l)),
        lat('miss', m.paths.miss),
        lat('write', m.paths.write),
        lat('rejected', m.paths.rejected),
        lat('failed', m.paths.failed),
      ],
      { align: 'l' },
    ),
    '',
    `origin: ${int(m.origin.requests)} queries (${int(m.origin.reads)} reads, ${int(m.origin.writes)} writes), ` +
      `peak ${int(m.origin.peakQps)} QPS, utilisation ${pct(m.origin.utilisation)}, ` +
      `mean wait ${fix(m.origin.meanWaitMs)} ms, p99 wait ${fix(m.origin.p99WaitMs)} ms`,
    `staleness: ${pct(m.staleReadRatio)} of reads stale (age p50 ${fix(m.staleAgeMs.p50)} ms, ` +
      `p99 ${fix(m.staleAgeMs.p99)} ms, max ${fix(m.staleAgeMs.max)} ms); ${int(m.lostWrites)} writes lost`,
    ...busLines(m),
    ...expiryLines(m),
    ...failoverLines(m),
    ...networkLines(m),
    '',
    ...columns(
      [
        ['node', 'zone', 'commands', 'hit ratio', 'utilisation', 'mean queue', 'peak queue', 'refused'],
        ...m.nodes.map((n) => [
          n.name,
          n.zone,
          int(n.commands),
          pct(n.hitRatio),
          pct(n.utilisation),
          fix(n.meanQueueLength, 4),
          int(n.peakQueueLength),
          int(n.refused),
        ]),
      ],
      { align: 'l' },
    ),
    '',
    ...Object.entries(m.shardSkew).map(
      ([t, s]) =>
        `shard skew ${t} (${s.scheme}): max/mean ${fix(s.maxOverMean)}, cv ${fix(s.cv)}, gini ${fix(s.gini)}`,
    ),
  ];
  return `${out.join('\n')}\n`;
}

export function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(`--workers: expected a whole number >= 1, got "${v}"`);
  return n;
}

export function parseShard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const index = m ? Number(m[1]) : -1;
  const count = m ? Number(m[2]) : 0;
  if (!(count >= 1 && index >= 0 && index < count))
    throw new InputError(`--shard: expected i/n with 0 <= i < n (e.g. 0/4), got "${v}"`);
  return { index, count };
}

interface RunFlags extends OutputFlags {
  json?: boolean;
  out?: string;
  seed?: number;
  scale?: number;
  until?: string;
  workers?: number;
  shard?: Shard;
  /** false with --no-report. */
  report: boolean;
  /** A directory with --trace-cache, false with --no-trace-cache. */
  traceCache?: string | false;
}

/** Today's single run: one topology cell on this thread, with a progress bar by requests. */
async function runSingle(path: string, plan: ExperimentPlan, o: RunFlags): Promise<void> {
  const cell = plan.cells[0];
  const config = validateConfig(
    { raw: cell.config, files: [{ file: path, json: cell.config }] },
    topologySchema,
  );
  const live = await LiveMetrics.start(o.metricsPort);
  live.progress.cellsTotal = 1;
  const events = o.events === undefined ? null : new EventsFile(o.events, o.eventsSample);
  const bar = progressBar('run');
  const started = performance.now();
  let result: ResultDocument;
  try {
    result = runTopology(config, cell.seed, {
      raw: cell.config,
      origin: { where: path, baseDir: dirname(path) },
      onProgress: (d, t, e) => {
        bar.update(d, t);
        live.progress.requests = d;
        live.progress.events = e;
      },
      events: events?.events,
    });
    events?.commit();
  } finally {
    bar.stop();
    events?.discard();
    live.stop();
  }
  const wall = (performance.now() - started) / 1000;
  if (o.metricsFile !== undefined) writeFileAtomic(o.metricsFile, prometheusText(result));
  for (const w of result.warnings ?? []) process.stderr.write(`cachetopo: warning: ${w}\n`);
  process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : formatRunTable(result, wall));
}

/** Writes the report of a finished folder; a failure there leaves the results intact, and says so. */
async function report(out: string, quiet: boolean): Promise<void> {
  try {
    const files = await writeReport(out, { formats: [...REPORT_FORMATS] });
    if (!quiet) process.stdout.write(`report: ${files.filter((f) => f.startsWith('report.')).join(', ')}\n`);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    process.stderr.write(
      `cachetopo: ${out}: report not written: ${why} (the results are complete; \`cachetopo report ${out}\` tries again)\n`,
    );
    process.exitCode = isTypedError(e) ? e.exitCode : EXIT_INTERNAL;
  }
}

/** A sweep into a results folder, with a progress bar by cells; Ctrl-C stops it cleanly. */
async function runSweep(plan: ExperimentPlan, o: RunFlags): Promise<void> {
  const out = o.out ?? join('reports', plan.name);
  const bar = progressBar('cells', process.stderr.isTTY === true, 'cells');
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const started = performance.now();
  let reused = -1;
  const live = await LiveMetrics.start(o.metricsPort);
  try {
    const summary = await runPlan(plan, {
      out,
      workers: o.workers,
      shard: o.shard,
      traceCache: o.traceCache === false ? null : o.traceCache,
      signal: abort.signal,
      onProgress: (done, total) => {
        if (reused < 0) reused = done;
        bar.update(done, total);
        live.progress.cellsDone = done;
        live.progress.cellsTotal = total;
      },
      onCell: (cell) => live.cellDone(cell),
      events: o.events === undefined ? undefined : { dir: o.events, sampleRate: o.eventsSample },
    });
    writePrometheus(
      out,
      summary.cells.map((c) => readCell(cellPath(out, c.id)) as CellFile),
      o.metricsFile,
    );
    bar.stop();
    const wall = (performance.now() - started) / 1000;
    const only = summary.cells.length === 1 && plan.model === 'topology';
    if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else if (only) {
      const cell = readCell(cellPath(out, summary.cells[0].id)) as CellFile;
      process.stdout.write(formatRunTable(cell.result as unknown as ResultDocument, wall));
    } else {
      const shard = o.shard === undefined ? '' : ` (shard ${o.shard.index}/${o.shard.count})`;
      process.stdout.write(
        `${plan.name}: ${summary.cells.length} cells${shard}, ${summary.cells.length - reused} run and ${reused} reused ` +
          `in ${wall.toFixed(2)} s; results in ${out}\n${formatSummaryTable(summary, plan.metrics)}`,
      );
    }
    // A shard's folder holds part of the cells: the report is for the merged folder (cachetopo report).
    if (o.report && o.shard === undefined) await report(out, o.json === true);
  } catch (e) {
    bar.stop();
    if (!(e instanceof ExperimentInterrupted)) throw e;
    process.stderr.write(`cachetopo: ${e.message}\n`);
    process.exitCode = 130;
  } finally {
    process.off('SIGINT', onSigint);
    live.stop();
  }
}

/** `<out>/metrics.prom` (and --metrics-file) for a folder with topology cells. */
function writePrometheus(out: string, cells: readonly CellFile[], extra: string | undefined): void {
  const text = cellsPrometheus(cells);
  if (text === null) return;
  writeFileAtomic(join(out, 'metrics.prom'), text);
  if (extra !== undefined) writeFileAtomic(extra, text);
}

export function runCommand(): Command {
  return addOutputOptions(new Command('run'))
    .summary('run a topology config, or an experiment sweep into a results folder')
    .description(
      'run an experiment: a topology config (see experiments/), or a sweep of topology or replay cells into a results folder',
    )
    .argument('<config>', 'experiment config (.json)')
    .option('--json', 'print the result document (one cell) or the summary (a sweep) as one JSON object')
    .option('--out <dir>', 'write the results folder here (default for a sweep: reports/<name>)')
    .option('--seed <n>', "random seed (overrides the config's; the first seed of replications)", parseSeed)
    .option('--scale <x>', 'multiply the number of requests', parseScale)
    .option('--until <duration>', 'stop at this simulated time, e.g. "30s"', parseUntil)
    .option('--workers <n>', 'worker threads for a sweep (default: one per core)', parseWorkers)
    .option(
      '--shard <i/n>',
      'run only the i-th of n slices of the cells (0-based; see cachetopo merge)',
      parseShard,
    )
    .option('--no-report', 'do not write report.html, report.md and report.ipynb into the results folder')
    .option(
      '--trace-cache <dir>',
      'keep native copies of trace files read by the cells here (default: traces/.cache)',
    )
    .option('--no-trace-cache', 'read every trace file itself, without a native copy')
    .action(async (path: string, o: RunFlags) => {
      const plan = planExperiment(path, { seed: o.seed, scale: o.scale, until: o.until });
      const single =
        !plan.isSweep && plan.model === 'topology' && o.out === undefined && o.shard === undefined;
      if (single) await runSingle(path, plan, o);
      else await runSweep(plan, o);
    });
}
