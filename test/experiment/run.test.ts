/**
 * Running sweeps into results folders: byte-identical whatever the worker count, resumable, shardable and
 * mergeable; ls and rerun on the folder afterwards.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import type { CellFile, ExperimentManifest } from '../../src/experiment/contract.ts';
import { listCells, rerunCell } from '../../src/experiment/inspect.ts';
import { mergeResults } from '../../src/experiment/merge.ts';
import { planExperiment } from '../../src/experiment/plan.ts';
import { runExperiment, runPlan } from '../../src/experiment/run.ts';
import { replaySweep, snapshot, tempDir, topologySweep, writeConfig } from './fixtures.ts';

describe('runExperiment', () => {
  it('writes the same bytes with 1 and 2 workers (replay, randomised policy included)', async () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 'r', replaySweep());
    const seen: [number, number][] = [];
    const one = await runExperiment(cfg, {
      out: join(dir, 'w1'),
      workers: 1,
      onProgress: (d, t) => seen.push([d, t]),
    });
    await runExperiment(cfg, { out: join(dir, 'w2'), workers: 2 });
    expect(one.cells).toHaveLength(12);
    expect(seen[0]).toEqual([0, 12]);
    expect(seen.at(-1)).toEqual([12, 12]);
    const a = snapshot(join(dir, 'w1'));
    expect(Object.keys(a).sort()).toEqual([
      ...one.cells.map((c) => `cells/${c.id}.json`),
      'manifest.json',
      'summary.json',
    ]);
    expect(snapshot(join(dir, 'w2'))).toEqual(a);
    // summary.json: experiment, then cells in grid × seed order, with params, seed and scalar metrics.
    const summary = JSON.parse(a['summary.json']);
    expect(summary.experiment).toBe('replay-sweep');
    expect(summary.cells[3]).toMatchObject({
      params: { 'replay.policy': 'lru', 'replay.size': '10%' },
      seed: 2,
    });
    expect(Object.keys(summary.cells[3].metrics)).toEqual([
      'missRatio',
      'byteMissRatio',
      'beladyMissRatio',
      'compulsoryMissRatio',
    ]);
    // A bigger cache misses less; Belady bounds every policy.
    const m = (i: number) => summary.cells[i].metrics;
    expect(m(2).missRatio).toBeLessThan(m(0).missRatio);
    for (const c of summary.cells) expect(c.metrics.beladyMissRatio).toBeLessThanOrEqual(c.metrics.missRatio);
    const cell = JSON.parse(a[`cells/${one.cells[0].id}.json`]) as CellFile;
    expect(cell.provenance.seed).toBe(1);
    expect(cell.provenance.node).toBe(process.version);
    expect(cell.provenance.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(cell.model).toBe('replay');
    expect((cell.result as { results: unknown[] }).results).toHaveLength(1);
    expect(a[`cells/${one.cells[0].id}.json`]).not.toContain(dir);
    const manifest = JSON.parse(a['manifest.json']) as ExperimentManifest;
    expect(manifest.cellIds).toEqual(one.cells.map((c) => c.id));
    expect(manifest.seeds).toEqual([1, 2]);
  });

  it('reuses current cells, reruns missing and stale ones, and the result is the same', async () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 't', topologySweep());
    const out = join(dir, 'out');
    await runExperiment(cfg, { out, workers: 1 });
    const first = snapshot(out);
    const ids = Object.keys(first).filter((k) => k.startsWith('cells/'));
    expect(ids).toHaveLength(4);
    const hit = (k: string) => JSON.parse(first[k]).metrics.hitRatio as number;
    expect(hit(ids[2])).toBeGreaterThan(hit(ids[0])); // capacity 200 beats 50
    // Lose one cell, make another stale (another code version), leave a temp file as a kill would.
    const [lost, stale] = [ids[1], ids[3]];
    writeFileSync(join(out, lost), '{"trunc');
    const s = JSON.parse(first[stale]);
    s.provenance.codeVersion = 'v0-old';
    writeFileSync(join(out, stale), JSON.stringify(s));
    writeFileSync(join(out, 'cells', '.x.json.1234.tmp'), 'partial');
    expect(listCells(out).cells.map((c) => c.state)).toEqual(['done', 'missing', 'done', 'stale']);
    const before = statSync(join(out, ids[0])).mtimeMs;
    const seen: number[] = [];
    await runExperiment(cfg, { out, workers: 1, onProgress: (d) => seen.push(d) });
    expect(seen[0]).toBe(2); // two reused
    expect(statSync(join(out, ids[0])).mtimeMs).toBe(before);
    expect(snapshot(out)).toEqual(first);
  });

  it('n shards merged equal one unsharded run, byte for byte; mixed code versions are refused', async () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 'r', replaySweep());
    const whole = join(dir, 'whole');
    await runExperiment(cfg, { out: whole, workers: 1 });
    const plan = planExperiment(cfg);
    const shards = [0, 1, 2].map((i) => join(dir, `shard${i}`));
    const sizes: number[] = [];
    for (const [i, out] of shards.entries()) {
      const s = await runPlan(plan, { out, workers: 1, shard: { index: i, count: 3 } });
      sizes.push(s.cells.length);
      expect(s.cells.map((c) => Number.parseInt(c.id, 10) % 3)).toEqual(s.cells.map(() => i));
    }
    expect(sizes).toEqual([4, 4, 4]);
    expect(() => mergeResults(shards.slice(0, 2), join(dir, 'partial'))).toThrow(/4 of 12 cells are in none/);
    mergeResults(shards, join(dir, 'merged'));
    expect(snapshot(join(dir, 'merged'))).toEqual(snapshot(whole));
    const m = JSON.parse(readFileSync(join(shards[2], 'manifest.json'), 'utf8'));
    m.codeVersion = 'v0-old';
    writeFileSync(join(shards[2], 'manifest.json'), JSON.stringify(m));
    let err: unknown;
    try {
      mergeResults(shards, join(dir, 'merged2'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/shard2\/manifest.json: \/codeVersion: expected .* got v0-old$/);
  });

  it('rerun recomputes a cell from its file alone and finds it identical; an edited result differs', async () => {
    const dir = tempDir();
    const cfg = writeConfig(
      dir,
      't',
      topologySweep({ seeds: 1, sweep: { grid: { 'tiers.cache.capacity': [50] } } }),
    );
    const out = join(dir, 'out');
    const s = await runExperiment(cfg, { out, workers: 1 });
    const file = join(out, 'cells', `${s.cells[0].id}.json`);
    expect((await rerunCell(file)).identical).toBe(true);
    const c = JSON.parse(readFileSync(file, 'utf8'));
    c.metrics.hitRatio = 0.5;
    writeFileSync(file, JSON.stringify(c));
    const r = await rerunCell(file);
    expect(r.identical).toBe(false);
    expect(r.differences[0]).toBe(`metric hitRatio: recorded 0.5, now ${s.cells[0].metrics.hitRatio}`);
  });

  it('names a metric that the result does not have (exit 2)', async () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 'm', replaySweep({ metrics: [{ name: 'missRatoi', direction: 'lower' }] }));
    await expect(runExperiment(cfg, { out: join(dir, 'o'), workers: 1 })).rejects.toThrow(
      new InputError(
        `${cfg}: /metrics/0/name: expected a numeric metric of a replay cell's result, got "missRatoi"`,
      ),
    );
  });
});
