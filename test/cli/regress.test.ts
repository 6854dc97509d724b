/**
 * `cachetopo regress` on results folders (--results): exit codes, the table, the files it writes, and
 * --update. Most cases call main() in this process (fast); one spawns the real binary for the exit code.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatBaseline } from '../../src/regress/baseline.ts';
import { snapshotOf } from '../../src/regress/snapshot.ts';
import { cli, inProcess } from '../helpers/cli.ts';
import { fixture } from '../helpers/shared.ts';

type SummaryJson = { cells: { seed: number; metrics: Record<string, number | null> }[] };

let dir: string;
let out: string;
let err: string;

/** A copy of the fixture run with its summary edited, and a config naming its experiment. */
function results(
  name: string,
  edit: (s: SummaryJson, m: Record<string, unknown>) => void = () => {},
): string {
  const d = join(dir, name);
  cpSync(fixture('regress/run'), d, { recursive: true });
  const s = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8'));
  const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
  edit(s, m);
  writeFileSync(join(d, 'summary.json'), JSON.stringify(s));
  writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
  return d;
}

async function regress(...args: string[]): Promise<number> {
  let code: number;
  ({ code, out, err } = await inProcess('regress', join(dir, 'experiment.json'), ...args));
  return code;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cachetopo-regress-'));
  writeFileSync(join(dir, 'experiment.json'), JSON.stringify({ name: 'fixture-replay' }));
  writeFileSync(join(dir, 'baseline.json'), formatBaseline(snapshotOf(fixture('regress/run'))));
});

describe('cachetopo regress --results', () => {
  it('passes an honest run (another code version, same numbers) and prints the diff table', async () => {
    const run = results('honest', (_, m) => {
      m.codeVersion = 'v0.2.0';
    });
    const junit = join(dir, 'junit.xml');
    const summary = join(dir, 'summary.md');
    const code = await regress(
      '--results',
      run,
      '--baseline',
      join(dir, 'baseline.json'),
      '--junit',
      junit,
      '--summary',
      summary,
    );
    expect(code, err).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('regress fixture-replay: 4 comparisons, no regression');
    expect(lines[1]).toBe('note: the code changed since the baseline (v0.1.0-1-gabc1234 → v0.2.0)');
    expect(lines[3]).toMatch(/^metric +group +baseline +now +delta +tolerance +p +verdict$/);
    expect(lines[4]).toMatch(
      /^missRatio +replay.policy=lru replay.size=100 +0.32 \(n=3\) +0.32 \(n=3\) +0 +0.005 +- +pass$/,
    );
    expect(readFileSync(junit, 'utf8')).toContain('tests="4" failures="0" errors="0"');
    expect(readFileSync(summary, 'utf8')).toMatch(
      /^### ✅ cachetopo regress `fixture-replay`: no regression\n/,
    );
  });

  it('fails a real regression with exit 1, naming the metric and group', async () => {
    const run = results('worse', (s) => {
      for (const c of s.cells.slice(3)) c.metrics.missRatio = 0.27; // sieve: 0.25 → 0.27 on every seed
    });
    const junit = join(dir, 'junit.xml');
    expect(await regress('--results', run, '--baseline', join(dir, 'baseline.json'), '--junit', junit)).toBe(
      1,
    );
    expect(err).toBe(
      `cachetopo: 1 regression against ${join(dir, 'baseline.json')}: missRatio [replay.policy=sieve replay.size=100] ` +
        'rose by 0.02, beyond its tolerance 0.005 (the same shift on all 3 seeds)\n',
    );
    expect(out).toMatch(
      /missRatio +replay.policy=sieve replay.size=100 +0.25 \(n=3\) +0.27 \(n=3\) +\+0.02 \(\+8%\) .* regression\n/,
    );
    expect(readFileSync(junit, 'utf8')).toContain('tests="4" failures="1" errors="0"');
  });

  it('passes a noisy metric that moves beyond tolerance within noise', async () => {
    // lru miss ratio 0.30, 0.32, 0.34 → 0.35, 0.31, 0.33 on the same seeds: mean +0.01 > 0.005, but the
    // paired differences +0.05, −0.01, −0.01 give t = 0.01 / (0.03464 / √3) = 0.5 on 2 df, p = 2/3
    const run = results('noisy', (s) => {
      [0.35, 0.31, 0.33].forEach((v, i) => {
        s.cells[i].metrics.missRatio = v;
      });
    });
    expect(await regress('--results', run, '--baseline', join(dir, 'baseline.json'))).toBe(0);
    expect(out).toMatch(/missRatio +replay.policy=lru .* \+0.01 \(\+3.125%\) +0.005 +0.6667 +pass/);
  });

  it('refuses a baseline of another trace with exit 2, and still writes the summary', async () => {
    const run = results('other-trace', (_, m) => {
      m.traceHash = 'ffff000000000000000000000000000000000000000000000000000000000000';
    });
    const summary = join(dir, 'summary.md');
    expect(
      await regress('--results', run, '--baseline', join(dir, 'baseline.json'), '--summary', summary),
    ).toBe(2);
    expect(err).toBe(
      `cachetopo: ${join(dir, 'baseline.json')}: cannot compare with this run: traceHash: the baseline was measured ` +
        'on another trace (7a7a00000000…, now ffff00000000…)\n',
    );
    expect(readFileSync(summary, 'utf8')).toContain('cannot compare with the baseline');
  });

  it('refuses results of another experiment than the config names, and a missing baseline', async () => {
    const run = results('renamed', (s, m) => {
      m.experiment = 'other';
      (s as unknown as { experiment: string }).experiment = 'other';
    });
    expect(await regress('--results', run, '--baseline', join(dir, 'baseline.json'))).toBe(2);
    expect(err).toContain('/experiment: expected "fixture-replay" (the name in');
    expect(await regress('--results', results('ok'), '--baseline', join(dir, 'none.json'))).toBe(2);
    expect(err).toContain('none.json: cannot read: no such file (create it with cachetopo regress --update)');
  });

  it('--update writes the run as the baseline, which then passes against itself', async () => {
    const run = results('changed', (s, m) => {
      m.codeVersion = 'v0.3.0';
      for (const c of s.cells) if (c.metrics.missRatio !== null) c.metrics.missRatio += 0.1;
    });
    const path = join(dir, 'new', 'baseline.json');
    expect(await regress('--results', run, '--baseline', path, '--update')).toBe(0);
    expect(out).toBe(`wrote ${path}: 4 entries (fixture-replay, v0.3.0)\n`);
    expect(readFileSync(path, 'utf8')).toBe(formatBaseline(snapshotOf(run)));
    expect(await regress('--results', run, '--baseline', path)).toBe(0);

    // Over an existing baseline it shows what the update changes.
    expect(await regress('--results', run, '--baseline', join(dir, 'baseline.json'), '--update')).toBe(0);
    expect(out).toMatch(/2 regressions/);
    expect(out).toMatch(/wrote .*baseline.json: 4 entries/);
    expect(await regress('--results', run, '--baseline', join(dir, 'baseline.json'))).toBe(0);
  });

  it('exits 1 from the real binary', () => {
    const run = results('binary', (s) => {
      for (const c of s.cells.slice(3)) c.metrics['latencyMs.p99'] = 30;
    });
    const r = cli(
      'regress',
      join(dir, 'experiment.json'),
      '--results',
      run,
      '--baseline',
      join(dir, 'baseline.json'),
    );
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(
      /^cachetopo: 1 regression against .*: latencyMs\.p99 \[replay\.policy=sieve replay\.size=100\] rose by 27, beyond its tolerance 0.15 \(the same shift on all 3 seeds\)\n$/,
    );
  });
});
