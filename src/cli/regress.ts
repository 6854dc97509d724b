/**
 * `cachetopo regress <config> --baseline <file>`: the CI regression gate. Runs the experiment (or reads
 * an existing results folder with --results), compares each metric the config names with the committed
 * baseline (src/regress/compare.ts has the rule), prints the diff table, optionally writes JUnit XML and a
 * Markdown summary, and exits 0 (no regression), 1 (a regression) or 2 (bad input, or a baseline that
 * cannot be compared: another trace, another metric set). `--update` writes the run as the new baseline.
 */

import { existsSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Command } from 'commander';
import { columns } from '../columns.ts';
import { resolveConfig } from '../config/load.ts';
import { CheckFailedError, InputError } from '../errors.ts';
import type { Baseline } from '../experiment/contract.ts';
import { runExperiment } from '../experiment/run.ts';
import { readBaseline, writeBaseline } from '../regress/baseline.ts';
import { type Comparison, compare, regressions } from '../regress/compare.ts';
import { rowCells, TABLE_HEADER } from '../regress/format.ts';
import { junitXml } from '../regress/junit.ts';
import { markdownSummary } from '../regress/markdown.ts';
import { snapshotOf } from '../regress/snapshot.ts';
import { writeFileAtomic } from '../trace/writers/atomic-file.ts';
import { progressBar } from './progress.ts';
import { parseWorkers } from './run.ts';

interface RegressOptions {
  baseline: string;
  update?: boolean;
  results?: string;
  out?: string;
  workers?: string;
  junit?: string;
  summary?: string;
}

/** The diff table and notes as the terminal shows them. */
export function formatComparison(c: Comparison): string {
  const n = regressions(c).length;
  const head = `regress ${c.experiment}: ${c.rows.length} comparisons, ${n === 0 ? 'no regression' : `${n} regression${n === 1 ? '' : 's'}`}`;
  return `${[head, ...c.notes.map((s) => `note: ${s}`), '', ...columns([TABLE_HEADER, ...c.rows.map(rowCells)], { align: 'll' })].join('\n')}\n`;
}

/** The experiment's name as its config spells it, or null when the config has none. */
function configName(configPath: string): string | null {
  const raw = resolveConfig(configPath).raw as { name?: unknown } | null;
  return typeof raw?.name === 'string' ? raw.name : null;
}

async function snapshotOfRun(configPath: string, o: RegressOptions): Promise<Baseline> {
  if (o.results !== undefined) {
    const snap = snapshotOf(o.results);
    const name = configName(configPath);
    if (name !== null && name !== snap.experiment)
      throw new InputError(
        `${o.results}/manifest.json: /experiment: expected "${name}" (the name in ${configPath}), got "${snap.experiment}"`,
      );
    return snap;
  }
  const out = o.out ?? join('reports', 'regress', basename(configPath, extname(configPath)));
  // Every cell runs afresh: resuming reuses cells whose code version matches, and a dirty tree's version
  // (`…-dirty`) does not change with further edits, so reused cells could hide the very change under test.
  rmSync(join(out, 'cells'), { recursive: true, force: true });
  const bar = progressBar('regress');
  try {
    await runExperiment(configPath, {
      out,
      workers: o.workers === undefined ? undefined : parseWorkers(o.workers),
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    bar.stop();
  }
  return snapshotOf(out);
}

function update(path: string, now: Baseline): void {
  if (existsSync(path)) {
    let previous: Baseline | null = null;
    try {
      previous = readBaseline(path);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      process.stdout.write(`note: replacing an unreadable baseline (${e.message})\n`);
    }
    if (previous !== null) {
      const c = compare(previous, now);
      if (c.problems.length > 0)
        process.stdout.write(
          c.problems.map((p) => `note: not comparable with the old baseline: ${p}\n`).join(''),
        );
      else process.stdout.write(`${formatComparison(c)}\n`);
    }
  }
  writeBaseline(path, now);
  process.stdout.write(
    `wrote ${path}: ${now.entries.length} entries (${now.experiment}, ${now.codeVersion})\n`,
  );
}

export function regressCommand(): Command {
  return new Command('regress')
    .description(
      "compare an experiment's metrics with a committed baseline: exit 1 on a regression, 2 when incomparable",
    )
    .argument('<config>', 'experiment config (.json) naming its metrics, directions and tolerances')
    .requiredOption('--baseline <file>', 'baseline file (format cachetopo-baseline/1)')
    .option('--update', 'write this run as the new baseline (after a deliberate change)')
    .option('--results <dir>', 'compare an existing results folder instead of running the experiment')
    .option(
      '--out <dir>',
      'results folder of the run, its cells always run afresh (default reports/regress/<config name>)',
    )
    .option('--workers <n>', 'worker threads for the run (default: one per core)')
    .option('--junit <file>', 'also write the verdicts as JUnit XML (one testcase per metric and group)')
    .option('--summary <file>', 'also write a Markdown summary (for a CI step summary or a PR comment)')
    .action(async (configPath: string, o: RegressOptions) => {
      const now = await snapshotOfRun(configPath, o);
      if (o.update) {
        update(o.baseline, now);
        return;
      }
      const c = compare(readBaseline(o.baseline), now);
      if (o.junit !== undefined) writeFileAtomic(o.junit, junitXml(c), { mkdir: true });
      if (o.summary !== undefined) writeFileAtomic(o.summary, markdownSummary(c), { mkdir: true });
      if (c.problems.length > 0)
        throw new InputError(
          `${o.baseline}: cannot compare with this run: ${c.problems[0]}`,
          c.problems.slice(1).map((p) => `${o.baseline}: ${p}`),
        );
      process.stdout.write(formatComparison(c));
      const failed = regressions(c);
      if (failed.length > 0)
        throw new CheckFailedError(
          `${failed.length} regression${failed.length === 1 ? '' : 's'} against ${o.baseline}: ` +
            failed
              .slice(0, 3)
              .map((r) => r.reason)
              .join('; ') +
            (failed.length > 3 ? `; and ${failed.length - 3} more` : ''),
        );
    });
}
