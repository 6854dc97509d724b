/**
 * `npm run bench [-- --quick] [--only trace,replay] [--out dir]`: runs the bench groups, each case in a
 * child process of its own, and writes reports/bench/bench.md and bench.json. A case that fails puts its
 * error in its row and the run goes on; the exit code is 0 unless the harness itself breaks. libCacheSim's
 * columns need LIBCACHESIM_CACHESIM (the path of its cachesim binary) and are skipped without it.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { repoRoot, runCase } from './child.ts';
import { DataCache } from './data.ts';
import { type GroupContext, oneLine, type Row } from './group.ts';
import { groupLoaders } from './groups.ts';
import { machine, markdown, type Report, writeReport } from './report.ts';

interface Options {
  quick?: boolean;
  only?: string;
  out: string;
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function summary(r: Row): string {
  if (r.status === 'failed') return `FAILED: ${r.error}`;
  if (r.status === 'skipped') return `skipped: ${r.note}`;
  const m = r.measurement;
  const t = m?.throughput;
  const parts: string[] = [];
  if (t) {
    parts.push(`${(t.subject.perSecond / 1e6).toFixed(2)} M/s`);
    if (t.ratio !== null) parts.push(`×${t.ratio.toFixed(2)} of baseline`);
  }
  for (const f of m?.figures ?? []) {
    if (f.name === 'throughput') continue;
    parts.push(
      f.unit === '' ? `${f.name} ${f.value.toFixed(4)}` : `${f.name} ${f.value.toFixed(2)} ${f.unit}`,
    );
  }
  if (m) parts.push(`peak ${m.peakRssMiB.toFixed(0)} MiB`);
  const c = r.comparison;
  if (c?.loopRatio !== null && c?.loopRatio !== undefined)
    parts.push(`ours/libCacheSim loop ×${c.loopRatio.toFixed(2)}`);
  if (c?.threadedLoopRatio !== null && c?.threadedLoopRatio !== undefined)
    parts.push(`×${c.threadedLoopRatio.toFixed(2)} with a reader thread`);
  return parts.join(', ');
}

async function main(): Promise<void> {
  const program = new Command('bench')
    .description('benchmarks of cachetopo, side by side with libCacheSim when LIBCACHESIM_CACHESIM is set')
    .option('--quick', 'small sizes: a smoke run, not a measurement')
    .option('--only <groups>', `comma-separated groups: ${Object.keys(groupLoaders).join(', ')}`)
    .option('--out <dir>', 'output directory (data files are cached in <dir>/data)', 'reports/bench')
    .parse();
  const o = program.opts<Options>();
  const names = o.only === undefined ? Object.keys(groupLoaders) : o.only.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !Object.hasOwn(groupLoaders, n));
  if (unknown.length > 0) {
    process.stderr.write(
      `--only: unknown group ${unknown.join(', ')}; expected: ${Object.keys(groupLoaders).join(', ')}\n`,
    );
    process.exit(2);
  }
  const outDir = resolve(repoRoot, o.out);
  const quick = o.quick === true;
  const libcachesim = process.env.LIBCACHESIM_CACHESIM?.trim() || null;
  const report: Report = {
    started: new Date().toISOString(),
    finished: null,
    quick,
    groups: names,
    machine: machine(),
    libcachesim,
    rows: [],
    checks: [],
  };
  const data = new DataCache(resolve(outDir, 'data'), log);
  log(`writing ${outDir}/bench.md; libCacheSim: ${libcachesim ?? 'LIBCACHESIM_CACHESIM not set, skipped'}`);
  for (const name of names) {
    const group = await groupLoaders[name]();
    log(`group ${name}: ${group.description}`);
    const ctx: GroupContext = {
      quick,
      data,
      libcachesim,
      outDir,
      log,
      runCase(id, args) {
        log(`${name}/${id} running…`);
        return runCase(name, id, args, { timeoutSeconds: quick ? 300 : 1800 });
      },
      record(row) {
        report.rows.push(row);
        log(`${row.group} | ${row.case}: ${summary(row)}`);
        writeReport(outDir, report);
      },
      check(c) {
        report.checks.push(c);
        log(`check ${c.group}: ${c.name}: ${c.text}`);
        writeReport(outDir, report);
      },
    };
    try {
      group.run(ctx);
    } catch (e) {
      // A bug in a group's planning: record it and go on with the next group.
      ctx.record({ group: name, case: '(group)', status: 'failed', error: oneLine(e) });
    }
  }
  report.finished = new Date().toISOString();
  writeReport(outDir, report);
  process.stdout.write(markdown(report));
  log(`wrote ${outDir}/bench.md and bench.json`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench harness failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
