/**
 * Writes the bench's results: bench.json (everything, for scripts) and bench.md (the tables a person
 * reads). Rewritten after every case, so a run cut short still leaves what it measured.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Check, ReplaySide, Row } from './group.ts';
import type { Figure, Rate } from './measure.ts';

export interface Machine {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
}

export interface Report {
  readonly started: string;
  finished: string | null;
  readonly quick: boolean;
  readonly groups: readonly string[];
  readonly machine: Machine;
  /** Path of libCacheSim's cachesim, or null when LIBCACHESIM_CACHESIM is unset. */
  readonly libcachesim: string | null;
  readonly rows: Row[];
  readonly checks: Check[];
}

export function machine(): Machine {
  const c = cpus();
  return {
    node: process.version,
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

function cell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x.toFixed(digits);
}

function mps(r: Rate | null): string {
  return r === null ? '-' : num(r.perSecond / 1e6);
}

function verdict(met: boolean | null): string {
  return met === null ? '' : met ? 'met' : 'NOT met';
}

function figureText(f: Figure): string {
  // Unitless figures are ratios in [0, 1] (miss ratios): they need more digits.
  const v = f.unit === '' ? `${f.name} ${num(f.value, 4)}` : `${f.name} ${num(f.value)} ${f.unit}`;
  return f.target === null ? v : `${v} (target ${f.target}: ${verdict(f.met)})`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function mainRow(r: Row): string[] {
  const m = r.measurement;
  if (r.status !== 'ok' || m === undefined) {
    const what = r.status === 'failed' ? `FAILED: ${r.error ?? 'unknown error'}` : `skipped: ${r.note ?? ''}`;
    return [r.group, r.case, what, '-', '-', '-', '-', '-', '-', r.status === 'failed' ? (r.note ?? '') : ''];
  }
  const t = m.throughput;
  return [
    r.group,
    r.case,
    t?.subject.what ?? '-',
    mps(t?.subject ?? null),
    t?.baseline?.what ?? '-',
    mps(t?.baseline ?? null),
    num(t?.ratio),
    m.figures.map(figureText).join('; ') || '-',
    num(m.peakRssMiB, 0),
    [m.note, r.note].filter((x) => x).join('; '),
  ];
}

/** A figure of one side; a side's error is spelled out in its loop column only, the others show "-". */
function side(
  s: ReplaySide | null,
  f: (s: ReplaySide) => number | null,
  opts: { scale?: number; digits?: number; showError?: boolean } = {},
): string {
  if (s === null) return 'not set';
  const v = f(s);
  if (v !== null) return num(v / (opts.scale ?? 1), opts.digits ?? 2);
  return s.error !== null && opts.showError === true ? `error: ${s.error}` : '-';
}

function comparisonRows(rows: readonly Row[]): string[][] {
  const out: string[][] = [];
  for (const r of rows) {
    const c = r.comparison;
    if (c === undefined) continue;
    const lcs = c.libcachesim;
    out.push([
      c.trace,
      c.mode,
      c.policy,
      c.capacity === null ? '-' : String(c.capacity),
      side(c.ours, (s) => s.loopPerSecond, { scale: 1e6, showError: true }),
      side(c.ours, (s) => s.threadedLoopPerSecond, { scale: 1e6 }),
      side(lcs, (s) => s.loopPerSecond, { scale: 1e6, showError: true }),
      num(c.loopRatio),
      num(c.threadedLoopRatio),
      `≥ ${c.goal}×${c.met === null ? '' : `: ${verdict(c.met)}`}`,
      side(c.ours, (s) => s.wholeSeconds, { digits: 3 }),
      side(lcs, (s) => s.wholeSeconds, { digits: 3 }),
      num(c.wholeRatio),
      `${side(c.ours, (s) => s.missRatio, { digits: 4 })} / ${lcs === null ? '-' : side(lcs, (s) => s.missRatio, { digits: 4 })}`,
      `${side(c.ours, (s) => s.peakRssMiB, { digits: 0 })} / ${lcs === null ? '-' : side(lcs, (s) => s.peakRssMiB, { digits: 0 })}`,
    ]);
  }
  return out;
}

export function markdown(rep: Report): string {
  const m = rep.machine;
  const lines = [
    '# cachetopo bench',
    '',
    `Started ${rep.started}${rep.finished ? `, finished ${rep.finished}` : ' (still running or interrupted)'}` +
      `${rep.quick ? ' — QUICK run (small sizes: a smoke test, not a measurement)' : ''}.`,
    `Node ${m.node} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB). Groups: ${rep.groups.join(', ')}.`,
    `libCacheSim cachesim: ${rep.libcachesim ?? 'not set (LIBCACHESIM_CACHESIM); its columns are skipped'}.`,
    '',
    "Throughputs are the fastest of the case's runs; the baseline ran alternately in the same process on the",
    "same input, so the ratio holds on a noisy machine. Peak RSS is the case process's own.",
    '',
    ...table(
      [
        'group',
        'case',
        'subject',
        'M/s',
        'baseline (same process)',
        'M/s',
        'ratio',
        'results',
        'peak RSS MiB',
        'note',
      ],
      rep.rows.map(mainRow),
    ),
  ];
  const cmp = comparisonRows(rep.rows);
  if (cmp.length > 0) {
    lines.push(
      '',
      '## Replay beside libCacheSim',
      '',
      'Loop: requests/s of the replay loop alone (trace reading included, start-up and the working-set pass',
      "excluded); libCacheSim's is the throughput cachesim prints. Whole: wall-clock seconds of the whole",
      'process (`cachetopo replay … --no-bounds --windows 0 --json` vs `cachesim …`), start-up included;',
      "the whole ratio is libCacheSim's seconds over ours (above 1: ours is faster). On a trace large enough",
      'for `cachetopo replay` to read it in a second thread when a core is free, our loop is also timed so',
      '("reader thread"), and the goal is judged on that path.',
      '',
      ...table(
        [
          'trace',
          'mode',
          'policy',
          'size',
          'ours loop M/s',
          'ours loop M/s, reader thread',
          'libCacheSim loop M/s',
          'ours/lcs loop',
          'ours/lcs loop, reader thread',
          'goal',
          'ours whole s',
          'lcs whole s',
          'lcs/ours whole',
          'miss ratio ours / lcs',
          'peak RSS MiB ours / lcs',
        ],
        cmp,
      ),
    );
  }
  if (rep.checks.length > 0) {
    lines.push('', '## Checks', '');
    for (const c of rep.checks)
      lines.push(`- ${c.group}: ${c.name}: ${c.text}${c.met === null ? '' : ` — ${verdict(c.met)}`}`);
  }
  return `${lines.join('\n')}\n`;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.partial-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeReport(dir: string, rep: Report): void {
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, 'bench.json'), `${JSON.stringify(rep, null, 2)}\n`);
  writeAtomic(join(dir, 'bench.md'), markdown(rep));
}
