/** Expanding an experiment config into cells: order, ids, seeds, and errors that name the JSON path. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { planExperiment } from '../../src/experiment/plan.ts';
import { replaySweep, tempDir, topologySweep, writeConfig } from './fixtures.ts';

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return [e.message, ...e.more];
  }
  return [];
}

describe('planExperiment', () => {
  it('crosses grid axes (first slowest) with seeds (fastest); ids sort in cell order', () => {
    const path = writeConfig(tempDir(), 'r', replaySweep());
    const p = planExperiment(path);
    expect(p.model).toBe('replay');
    expect(p.seeds).toEqual([1, 2]);
    expect(p.axes.map((a) => a.name)).toEqual(['replay.policy', 'replay.size']);
    expect(p.cells.map((c) => [c.params['replay.policy'], c.params['replay.size'], c.seed])).toEqual([
      ['lru', '2%', 1],
      ['lru', '2%', 2],
      ['lru', '10%', 1],
      ['lru', '10%', 2],
      ['sieve', '2%', 1],
      ['sieve', '2%', 2],
      ['sieve', '10%', 1],
      ['sieve', '10%', 2],
      ['random', '2%', 1],
      ['random', '2%', 2],
      ['random', '10%', 1],
      ['random', '10%', 2],
    ]);
    const ids = p.cells.map((c) => c.id);
    expect(ids[0]).toMatch(/^000-[0-9a-f]{8}$/);
    expect(ids[11]).toMatch(/^011-/);
    expect([...ids].sort()).toEqual(ids);
    // The cell config is a replay cell: sweep values and seed in, experiment keys out.
    expect(p.cells[5].config).toEqual({
      name: 'replay-sweep',
      model: 'replay',
      workload: { generator: 'zipf', requests: 5000, objects: 500, alpha: 0.9 },
      replay: { policy: 'sieve', size: '2%' },
      seed: 2,
    });
    // Same trace for all: one hash; ids and hashes do not depend on where the config lives.
    expect(new Set(p.cells.map((c) => c.traceHash)).size).toBe(1);
    const again = planExperiment(writeConfig(tempDir(), 'other-name', replaySweep()));
    expect(again.cells.map((c) => [c.id, c.configHash])).toEqual(p.cells.map((c) => [c.id, c.configHash]));
  });

  it('zips lists, takes explicit seeds, and defaults questions to one per axis', () => {
    const cfg = replaySweep({
      sweep: { zip: { 'replay.policy': ['lru', 'fifo'], 'replay.size': ['1%', '5%'] } },
      seeds: [7, 3],
      metrics: [{ name: 'missRatio', direction: 'lower', tolerance: { abs: 0.01 } }],
    });
    const p = planExperiment(writeConfig(tempDir(), 'z', cfg));
    expect(p.cells.map((c) => `${c.params['replay.policy']}@${c.params['replay.size']}#${c.seed}`)).toEqual([
      'lru@1%#7',
      'lru@1%#3',
      'fifo@5%#7',
      'fifo@5%#3',
    ]);
    expect(p.metrics).toEqual([{ name: 'missRatio', direction: 'lower', tolerance: { abs: 0.01 } }]);
    expect(p.questions.map((q) => [q.title, q.axis, q.series, q.metrics])).toEqual([
      [
        'Which replay.policy is best on missRatio, at each replay.size',
        'replay.size',
        'replay.policy',
        ['missRatio'],
      ],
      [
        'Which replay.size is best on missRatio, at each replay.policy',
        'replay.policy',
        'replay.size',
        ['missRatio'],
      ],
    ]);
  });

  it('keeps a plain topology config one cell, with its metrics window; seeds N count from the seed', () => {
    const dir = tempDir();
    const { sweep: _s, seeds: _n, ...plain } = topologySweep({ metrics: { window: '2s' } });
    const p = planExperiment(writeConfig(dir, 'plain', plain));
    expect(p.isSweep).toBe(false);
    expect(p.cells).toHaveLength(1);
    expect((p.cells[0].config as { metrics: unknown }).metrics).toEqual({ window: '2s' });
    expect(p.metrics.map((m) => m.name)).toEqual([
      'hitRatio',
      'latencyMs.p99',
      'origin.peakQps',
      'staleReadRatio',
    ]);
    const s = planExperiment(writeConfig(dir, 's', { ...plain, seed: 5, seeds: 3 }), { seed: 10 });
    expect(s.seeds).toEqual([10, 11, 12]);
    expect(s.isSweep).toBe(true);
  });

  it('refuses a sweep path that is not in the config, naming it (exit 2)', () => {
    const dir = tempDir();
    const bad = replaySweep({ sweep: { grid: { 'replay.polcy': ['lru'], 'replay.size': ['1%'] } } });
    expect(problems(() => planExperiment(writeConfig(dir, 'b', bad)))).toEqual([
      `${join(dir, 'b.json')}: /sweep/grid/replay/polcy: expected a path of a value in the config, got "replay.polcy"`,
    ]);
    // An optional field the config does not write is a path all the same (its parent is there).
    const optional = topologySweep({ sweep: { grid: { 'tiers.cache.maxConnections': [10, 20] } } });
    expect(planExperiment(writeConfig(dir, 'o', optional)).cells).toHaveLength(4);
    const typo = topologySweep({ sweep: { grid: { 'tiers.cache.maxConections': [10] } } });
    expect(problems(() => planExperiment(writeConfig(dir, 't', typo)))[0]).toMatch(
      /\/sweep\/grid\/tiers\/cache\/maxConections: expected a path of a value in the config/,
    );
    const seed = topologySweep({ sweep: { grid: { seed: [1, 2] } } });
    expect(problems(() => planExperiment(writeConfig(dir, 's', seed)))[0]).toMatch(
      /\/sweep\/grid\/seed: .*use "seeds"/,
    );
    const zip = replaySweep({ sweep: { zip: { 'replay.policy': ['lru', 'fifo'], 'replay.size': ['1%'] } } });
    expect(problems(() => planExperiment(writeConfig(dir, 'z', zip)))).toEqual([
      `${join(dir, 'z.json')}: /sweep/zip/replay/size: expected 2 values like /sweep/zip/replay/policy, got 1`,
    ]);
  });

  it('validates every expanded cell: a bad sweep value is reported at its JSON pointer, once per value', () => {
    const dir = tempDir();
    const cfg = topologySweep({ sweep: { grid: { 'tiers.cache.capacity': [50, '4 gigs', -1] } } });
    const lines = problems(() => planExperiment(writeConfig(dir, 'v', cfg)));
    expect(lines).toHaveLength(4); // two bad values × two seeds
    expect(lines[0]).toMatch(
      new RegExp(
        `^${join(dir, 'v.json')}: /tiers/cache/capacity: .*"4 gigs".* \\(sweep cell tiers.cache.capacity="4 gigs", seed=1\\)$`,
      ),
    );
    expect(lines[2]).toMatch(/\/tiers\/cache\/capacity: .*\(sweep cell tiers.cache.capacity=-1, seed=1\)$/);
  });

  it('refuses experiment keys that are not in the schema, with the experiment schema’s message', () => {
    const dir = tempDir();
    const lines = problems(() =>
      planExperiment(writeConfig(dir, 'k', replaySweep({ seeds: 0, sweeps: {} }))),
    );
    expect(lines.some((l) => l.includes('/seeds'))).toBe(true);
    expect(lines.some((l) => l.includes('sweeps'))).toBe(true);
  });

  it('checks a replay cell’s policy and size with the replay engine’s parsers, all mistakes at once', () => {
    const dir = tempDir();
    const path = writeConfig(
      dir,
      'r',
      replaySweep({ replay: { policy: 'lruu', size: '4 gigs' }, sweep: undefined, seeds: 'two' }),
    );
    expect(problems(() => planExperiment(path))).toEqual([
      `${path}: /replay/policy: unknown policy "lruu" (did you mean "lru"?); expected one of: fifo, lru, clock, sieve, s3fifo, qdlp, random, lfu, belady, slru, twoq, arc, lirs, lecar, hyperbolic, wtinylfu, redis-lru, redis-lfu, redis-random, redis-volatile-lru, redis-volatile-ttl, memcached`,
      `${path}: /replay/size: expected a percentage (1%), a fraction (0.01), a count or a byte size (64MiB), got "4 gigs"`,
      `${path}: /seeds: expected a number or an array, got "two"`,
    ]);
  });
});
