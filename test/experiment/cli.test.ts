/**
 * `cachetopo run` on sweeps as a user meets it: in a child process killed with SIGKILL mid-sweep, then
 * stopped with Ctrl-C (SIGINT), then run to the end, it writes the same summary.json bytes as an
 * uninterrupted run. In-process (main(), faster): `ls`, `rerun` and `merge` on a folder; exit 2 for a bad
 * sweep path.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/run.ts';
import { BIN, cliIn, inProcess } from '../helpers/cli.ts';
import { tempDir, topologySweep, writeConfig } from './fixtures.ts';

afterEach(() => {
  process.exitCode = undefined;
});

/** 8 topology cells of 10k requests: long enough to interrupt between cells. */
function slowSweep(): Record<string, unknown> {
  const c = topologySweep({ sweep: { grid: { 'tiers.cache.capacity': [25, 50, 100, 200] } }, seeds: 2 });
  return { ...c, workload: { generator: 'zipf', requests: 10_000, objects: 1_000, alpha: 0.9 } };
}

function cellFiles(out: string): string[] {
  return existsSync(join(out, 'cells')) ? readdirSync(join(out, 'cells')) : [];
}

/** Starts `cachetopo run`, waits until `cells` cell files exist, sends `signal`; resolves with the exit. */
function interrupt(
  cwd: string,
  args: string[],
  out: string,
  cells: number,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string; cellsAtSignal: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    let atSignal = -1;
    const poll = setInterval(() => {
      const n = cellFiles(out).filter((f) => f.endsWith('.json')).length;
      if (n >= cells && atSignal < 0) {
        atSignal = n;
        child.kill(signal);
      }
    }, 10);
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, err, cellsAtSignal: atSignal });
    });
  });
}

describe('cachetopo run (sweeps)', () => {
  it('resumes after SIGKILL and after Ctrl-C with the same summary.json bytes as an uninterrupted run', async () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 'slow', slowSweep());
    const reference = join(dir, 'reference');
    await runExperiment(cfg, { out: reference, workers: 1 });
    const expected = readFileSync(join(reference, 'summary.json'), 'utf8');

    // No --out: the folder is reports/<name> under the working directory.
    const out = join(dir, 'reports', 'topo-sweep');
    const k = await interrupt(dir, ['run', 'slow.json', '--workers', '1', '--no-report'], out, 2, 'SIGKILL');
    expect(k.signal).toBe('SIGKILL');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const s = await interrupt(
      dir,
      ['run', 'slow.json', '--workers', '2', '--no-report'],
      out,
      k.cellsAtSignal + 1,
      'SIGINT',
    );
    expect(s.err).toMatch(
      /^cachetopo: interrupted: \d+ of 8 cells done; run the same command again to resume\n$/,
    );
    expect(s.code).toBe(130);
    expect(cellFiles(out).filter((f) => !f.endsWith('.json'))).toEqual([]);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const again = cliIn(dir, 'run', 'slow.json', '--workers', '1', '--no-report');
    expect(again.code).toBe(0);
    const reused = Number(/and (\d+) reused/.exec(again.out)?.[1]);
    expect(reused).toBeGreaterThanOrEqual(k.cellsAtSignal + 1);
    expect(reused).toBeLessThan(8);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(expected);
  }, 60_000);

  it('lists cells, reruns one, merges shards; exit 2 on a bad sweep path', async () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 't', topologySweep());
    const s1 = join(dir, 's1');
    const r = await inProcess('run', cfg, '--workers', '1', '--shard', '1/2', '--out', s1, '--no-report');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      `topo-sweep: 2 cells (shard 1/2), 2 run and 0 reused in ${/in ([\d.]+) s/.exec(r.out)?.[1]} s; results in ${s1}`,
      expect.stringMatching(
        /^tiers\.cache\.capacity\s+seeds\s+hitRatio\s+latencyMs\.p99\s+origin\.peakQps\s+staleReadRatio$/,
      ),
      expect.stringMatching(/^50\s+1\s+0\.\d{4}\s/),
      expect.stringMatching(/^200\s+1\s+0\.\d{4}\s/),
    ]);
    const ls = await inProcess('ls', s1);
    expect(ls.code).toBe(0);
    expect(ls.out.split('\n')[0]).toBe('topo-sweep: 4 cells, 2 done, 2 missing, 0 stale');
    expect(ls.out).toMatch(/\n001-[0-9a-f]{8} {2}done {5}seed=2 {2}tiers\.cache\.capacity=50\n/);
    const file = join(s1, 'cells', readdirSync(join(s1, 'cells'))[0]);
    expect((await inProcess('rerun', file)).out).toBe(`${file}: identical (4 metrics, result document)\n`);
    const m = join(dir, 'm');
    expect((await inProcess('merge', s1, '--out', m)).code).toBe(2);
    const s0 = join(dir, 's0');
    expect(
      (await inProcess('run', cfg, '--workers', '1', '--shard', '0/2', '--out', s0, '--no-report')).code,
    ).toBe(0);
    expect((await inProcess('merge', s0, s1, '--out', m)).out).toBe(
      `topo-sweep: 4 cells from 2 folders into ${m}\n`,
    );
    const bad = writeConfig(dir, 'bad', topologySweep({ sweep: { grid: { 'tiers.cahce.capacity': [1] } } }));
    const b = await inProcess('run', bad);
    expect(b.code).toBe(2);
    expect(b.err).toBe(
      `cachetopo: ${bad}: /sweep/grid/tiers/cahce/capacity: expected a path of a value in the config, got "tiers.cahce.capacity"\n`,
    );
  });
});
