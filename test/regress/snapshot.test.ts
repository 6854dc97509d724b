import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../src/regress/snapshot.ts';
import { fixture } from '../helpers/shared.ts';

const run = fixture('regress/run');

function copyWith(
  edit: (summary: { experiment: string; cells: { metrics: Record<string, unknown> }[] }) => void,
) {
  const dir = mkdtempSync(join(tmpdir(), 'cachetopo-snapshot-'));
  cpSync(run, dir, { recursive: true });
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  edit(summary);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
}

describe('snapshotOf', () => {
  it('groups cells that differ only by seed, per metric the manifest names', () => {
    const s = snapshotOf(run);
    expect(s).toMatchObject({
      format: 'cachetopo-baseline/1',
      experiment: 'fixture-replay',
      codeVersion: 'v0.1.0-1-gabc1234',
    });
    expect(s.entries).toEqual([
      {
        metric: 'missRatio',
        direction: 'lower',
        tolerance: { abs: 0.005 },
        params: { 'replay.policy': 'lru', 'replay.size': 100 },
        seeds: [1, 2, 3],
        values: [0.3, 0.32, 0.34],
      },
      {
        metric: 'missRatio',
        direction: 'lower',
        tolerance: { abs: 0.005 },
        params: { 'replay.policy': 'sieve', 'replay.size': 100 },
        seeds: [1, 2, 3],
        values: [0.25, 0.25, 0.25],
      },
      {
        metric: 'latencyMs.p99',
        direction: 'lower',
        tolerance: { abs: 0.1, rel: 0.05 },
        params: { 'replay.policy': 'lru', 'replay.size': 100 },
        seeds: [1, 2, 3],
        values: [4, 4.2, null],
      },
      {
        metric: 'latencyMs.p99',
        direction: 'lower',
        tolerance: { abs: 0.1, rel: 0.05 },
        params: { 'replay.policy': 'sieve', 'replay.size': 100 },
        seeds: [1, 2, 3],
        values: [3, 3, 3],
      },
    ]);
  });

  it('names the cell that lacks a metric', () => {
    const dir = copyWith((s) => {
      delete s.cells[4].metrics['latencyMs.p99'];
    });
    expect(() => snapshotOf(dir)).toThrow(
      `${join(dir, 'summary.json')}: /cells/4/metrics: expected "latencyMs.p99" (named in manifest.json), got no such field`,
    );
  });

  it('names the JSON pointer of a malformed value, and a summary of another experiment', () => {
    const bad = copyWith((s) => {
      s.cells[1].metrics.missRatio = 'high';
    });
    expect(() => snapshotOf(bad)).toThrow(/summary\.json: \/cells\/1\/metrics\/missRatio: expected/);
    const other = copyWith((s) => {
      s.experiment = 'other';
    });
    expect(() => snapshotOf(other)).toThrow(
      /\/experiment: expected "fixture-replay" as in manifest.json, got "other"/,
    );
  });

  it('refuses a folder without results', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cachetopo-snapshot-'));
    expect(() => snapshotOf(empty)).toThrow(/manifest\.json: cannot read: no such file/);
  });
});
