/**
 * Native copies of trace files read by many cells (traces/.cache): converted once, reused when present,
 * and the results folder byte-identical to reading the source in every cell.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/run.ts';
import { cliIn } from '../helpers/cli.ts';
import { fixture } from '../helpers/shared.ts';
import { replaySweep, snapshot, tempDir, topologySweep, writeConfig } from './fixtures.ts';

/** A Twitter cache-trace CSV: 3000 requests over 300 string keys, sets and deletes among them. */
function twitterCsv(path: string): void {
  const ops = ['get', 'get', 'get', 'get', 'set', 'get', 'delete', 'get'];
  const lines: string[] = [];
  let x = 12345;
  for (let i = 0; i < 3000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const key = `user:${(x >>> 8) % 300}`;
    lines.push(`${Math.floor(i / 100)},${key},${key.length},${100 + (x % 900)},7,${ops[i % ops.length]},0`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** A topology sweep over two capacities reading a Twitter CSV beside it: two cells, one seed. */
function capacitySweepOverCsv(): { dir: string; cfg: string } {
  const dir = tempDir();
  twitterCsv(join(dir, 'req.csv'));
  const cfg = writeConfig(
    dir,
    't',
    topologySweep({
      workload: { trace: 'req.csv', format: 'twitter' },
      sweep: { grid: { 'tiers.cache.capacity': ['10KiB', '40KiB'] } },
      seeds: 1,
    }),
  );
  return { dir, cfg };
}

describe('trace cache', () => {
  it('cachetopo run keeps the copies where --trace-cache says, and none with --no-trace-cache', () => {
    const { dir, cfg } = capacitySweepOverCsv();
    const flags = ['--workers', '1', '--no-report'];
    const off = cliIn(dir, 'run', cfg, '--out', 'off', '--no-trace-cache', ...flags);
    expect(off.err).toBe('');
    expect(off.code).toBe(0);
    expect(existsSync(join(dir, 'traces'))).toBe(false);
    const on = cliIn(dir, 'run', cfg, '--out', 'on', '--trace-cache', 'copies', ...flags);
    expect(on.code).toBe(0);
    expect(readdirSync(join(dir, 'copies'))).toEqual([expect.stringMatching(/-twitter\.ctt$/)]);
    expect(existsSync(join(dir, 'traces'))).toBe(false);
    expect(snapshot(join(dir, 'on'))).toEqual(snapshot(join(dir, 'off')));
  });

  it('converts a CSV trace once for a topology sweep; cells are byte-identical; a second run reuses it', async () => {
    const { dir, cfg } = capacitySweepOverCsv();
    const cache = join(dir, 'cache');
    await runExperiment(cfg, { out: join(dir, 'direct'), workers: 1, traceCache: null });
    await runExperiment(cfg, { out: join(dir, 'cached'), workers: 1, traceCache: cache });
    const copies = readdirSync(cache);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/^[0-9a-f]{64}-twitter\.ctt$/);
    const direct = snapshot(join(dir, 'direct'));
    expect(Object.keys(direct).filter((k) => k.startsWith('cells/'))).toHaveLength(2);
    expect(snapshot(join(dir, 'cached'))).toEqual(direct);
    // Cells did run (a write policy sees sets and deletes) and differ by capacity.
    const summary = JSON.parse(direct['summary.json']);
    expect(summary.cells[1].metrics.hitRatio).toBeGreaterThan(summary.cells[0].metrics.hitRatio);

    const before = statSync(join(cache, copies[0]));
    await runExperiment(cfg, { out: join(dir, 'again'), workers: 1, traceCache: cache });
    const after = statSync(join(cache, copies[0]));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(snapshot(join(dir, 'again'))).toEqual(direct);
    // Cells read the copy, not the source: a damaged copy fails the run.
    writeFileSync(join(cache, copies[0]), 'not a trace');
    await expect(
      runExperiment(cfg, { out: join(dir, 'damaged'), workers: 1, traceCache: cache }),
    ).rejects.toThrow(/ctt/);
  });

  it('converts an oracleGeneral trace read by two replay tasks; one task alone reads the source', async () => {
    const dir = tempDir();
    const cfg = writeConfig(
      dir,
      'r',
      replaySweep({
        workload: { trace: fixture('loop.oracleGeneral.zst') },
        sweep: { grid: { 'replay.policy': ['lru', 'sieve'], 'replay.size': ['2%', '10%'] } },
        seeds: 1,
      }),
    );
    const lone = join(dir, 'lone');
    await runExperiment(cfg, { out: join(dir, 'one'), workers: 1, traceCache: lone });
    expect(() => readdirSync(lone)).toThrow(/ENOENT/);
    const cache = join(dir, 'cache');
    await runExperiment(cfg, { out: join(dir, 'two'), workers: 2, traceCache: cache });
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^[0-9a-f]{64}-oracleGeneral\.ctt$/)]);
    const one = snapshot(join(dir, 'one'));
    expect(snapshot(join(dir, 'two'))).toEqual(one);
    const cell = JSON.parse(one[Object.keys(one).find((k) => k.startsWith('cells/')) as string]);
    expect(cell.result.format).toBe('oracleGeneral');
  });
});
