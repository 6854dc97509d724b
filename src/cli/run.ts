/**
 * `cachetopo run <config.json>`: simulate a topology config and print a summary table, or the result
 * document as JSON (--json), optionally also written to <out>/result.json (atomically: the file appears
 * only when complete).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { resolveConfig, validateConfig } from '../config/load.ts';
import { InputError } from '../errors.ts';
import { parseDuration } from '../sim/time.ts';
import { applyOverrides } from '../topology/overrides.ts';
import type { LatencySummary, ResultDocument } from '../topology/result.ts';
import { runTopology } from '../topology/run.ts';
import { topologySchema } from '../topology/schema.ts';
import { AtomicFile } from '../trace/writers/atomic-file.ts';
import { progressBar } from './progress.ts';
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

const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const fix = (x: number | null, d = 3): string => (x === null ? '-' : x.toFixed(d));

/** Rows of cells as aligned columns: the first column left-aligned, the others right-aligned. */
function columns(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

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
    ...columns([
      ['latency (ms)', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean'],
      lat('all served', m.latencyMs),
      ...Object.entries(m.paths.hit).map(([t, l]) => lat(`hit in ${t}`, l)),
      lat('miss', m.paths.miss),
      lat('write', m.paths.write),
      lat('rejected', m.paths.rejected),
      lat('failed', m.paths.failed),
    ]),
    '',
    `origin: ${int(m.origin.requests)} queries (${int(m.origin.reads)} reads, ${int(m.origin.writes)} writes), ` +
      `peak ${int(m.origin.peakQps)} QPS, utilisation ${pct(m.origin.utilisation)}, ` +
      `mean wait ${fix(m.origin.meanWaitMs)} ms, p99 wait ${fix(m.origin.p99WaitMs)} ms`,
    `staleness: ${pct(m.staleReadRatio)} of reads stale (age p50 ${fix(m.staleAgeMs.p50)} ms, ` +
      `p99 ${fix(m.staleAgeMs.p99)} ms, max ${fix(m.staleAgeMs.max)} ms); ${int(m.lostWrites)} writes lost`,
    '',
    ...columns([
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
    ]),
    '',
    ...Object.entries(m.shardSkew).map(
      ([t, s]) =>
        `shard skew ${t} (${s.scheme}): max/mean ${fix(s.maxOverMean)}, cv ${fix(s.cv)}, gini ${fix(s.gini)}`,
    ),
  ];
  return `${out.join('\n')}\n`;
}

function writeResult(dir: string, r: ResultDocument): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`--out ${dir}: cannot create the directory: ${(e as NodeJS.ErrnoException).code}`);
  }
  const file = new AtomicFile(join(dir, 'result.json'));
  try {
    file.write(Buffer.from(`${JSON.stringify(r, null, 2)}\n`));
    file.commit();
  } finally {
    file.discard();
  }
}

export function runCommand(): Command {
  return new Command('run')
    .description('simulate a topology config (see experiments/) and summarise latency, hit ratios and load')
    .argument('<config>', 'topology config (.json)')
    .option('--json', 'print the result document as one JSON object')
    .option('--out <dir>', 'also write the result document to <dir>/result.json')
    .option('--seed <n>', "random seed (overrides the config's)", parseSeed)
    .option('--scale <x>', 'multiply the number of requests', parseScale)
    .option('--until <duration>', 'stop at this simulated time, e.g. "30s"', parseUntil)
    .action(
      (path: string, o: { json?: boolean; out?: string; seed?: number; scale?: number; until?: string }) => {
        const resolved = resolveConfig(path);
        const raw = applyOverrides(resolved.raw, o, path);
        const config = validateConfig({ raw, files: resolved.files }, topologySchema);
        const bar = progressBar('run');
        const started = performance.now();
        let result: ResultDocument;
        try {
          result = runTopology(config, config.seed, {
            raw,
            origin: { where: path, baseDir: dirname(path) },
            onProgress: (d, t) => bar.update(d, t),
          });
        } finally {
          bar.stop();
        }
        const wall = (performance.now() - started) / 1000;
        if (o.out !== undefined) writeResult(o.out, result);
        process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : formatRunTable(result, wall));
      },
    );
}
