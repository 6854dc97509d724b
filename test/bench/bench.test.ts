/**
 * Smoke test of the bench harness: `bench/run.ts --quick --only trace` into a scratch directory must write
 * bench.json and bench.md of the expected shape. It checks shapes only, never speeds: timings belong to
 * `npm run bench`, not to tests.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../bench/group.ts';
import type { Report } from '../../bench/report.ts';
import { repoRoot } from '../helpers/shared.ts';

const out = mkdtempSync(join(tmpdir(), 'cachetopo-bench-test-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench -- --quick --only trace', () => {
  let r: SpawnSyncReturns<string>;
  beforeAll(() => {
    r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'trace', '--out', out],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, LIBCACHESIM_CACHESIM: '' },
      },
    );
  }, 60_000);

  it('exits 0 and writes both reports', () => {
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'bench.json'))).toBe(true);
    expect(existsSync(join(out, 'bench.md'))).toBe(true);
  });

  it('has one measured row per trace case, each with a same-process baseline and a peak RSS', () => {
    const rep = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as Report;
    expect(rep.quick).toBe(true);
    expect(rep.groups).toEqual(['trace']);
    expect(rep.libcachesim).toBeNull();
    expect(rep.finished).not.toBeNull();
    expect(rep.rows.map((x: Row) => x.case)).toEqual([
      'oracleGeneral read, 200k',
      'native .ctt read, 200k',
      'CSV read, 200k lines',
      'Zipf generator, 200k',
      'oracleGeneral read, 1M',
    ]);
    for (const row of rep.rows) {
      expect(row.status, row.error).toBe('ok');
      const m = row.measurement;
      expect(m?.throughput?.baseline).not.toBeNull();
      expect(m?.throughput?.subject.items).toBe(row.case.includes('1M') ? 1_000_000 : 200_000);
      expect(m?.throughput?.baseline?.items).toBe(m?.throughput?.subject.items);
      expect(m?.peakRssMiB).toBeGreaterThan(0);
    }
    expect(rep.checks).toHaveLength(1);
    expect(rep.checks[0].name).toBe('peak RSS reading 200k vs 1M requests over 20k objects');
  });

  it('renders a Markdown table with a line per row', () => {
    const md = readFileSync(join(out, 'bench.md'), 'utf8');
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| group | case |'));
    expect(head).toBeGreaterThan(0);
    expect(lines[head + 1]).toMatch(/^\|(---\|)+$/);
    expect(lines.slice(head + 2, head + 7).every((l) => l.startsWith('| trace | '))).toBe(true);
    expect(lines[head + 7]).toBe('');
    expect(md).toContain('## Checks');
  });
});
