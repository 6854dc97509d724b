/** `cachetopo mrc` as a user runs it: JSON for charts, a readable table, one-line errors. */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';

describe('cachetopo mrc', () => {
  it('prints the exact LRU curve as one JSON object of the agreed shape', () => {
    const r = cli('mrc', 'zipf-small', '--points', '5', '--json');
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out);
    expect(c).toMatchObject({
      trace: 'zipf-small',
      policy: 'lru',
      method: 'exact',
      sampleRate: 1,
      sizeUnit: 'objects',
      requests: 100_000,
    });
    expect(c.error).toBeUndefined();
    expect(c.points).toHaveLength(5);
    for (const p of c.points) expect(Object.keys(p).sort()).toEqual(['byteMissRatio', 'missRatio', 'size']);
    expect(c.points[0].size).toBe(1);
    expect(c.points[4].size).toBe(c.footprint);
    const ratios = c.points.map((p: { missRatio: number }) => p.missRatio);
    expect([...ratios].sort((a, b) => b - a)).toEqual(ratios);
  });

  it('reports SHARDS error against the exact curve with --compare, and mini-sims other policies', () => {
    const s = JSON.parse(
      cli('mrc', 'zipf-small', '--sample', '0.5', '--compare', '--points', '8', '--json').out,
    );
    expect(s.method).toBe('shards');
    expect(s.reference.points).toHaveLength(s.points.length);
    expect(s.error.mae).toBeGreaterThan(0);
    expect(s.error.max).toBeGreaterThanOrEqual(s.error.mae);
    const m = JSON.parse(
      cli('mrc', 'zipf-small', '--policy', 's3fifo', '--sample', '0.5', '--size', '1%,10%', '--json').out,
    );
    expect(m).toMatchObject({ policy: 's3fifo', method: 'mini-sim', sampleRate: 0.5 });
    expect(m.points.map((p: { size: number }) => p.size)).toEqual([93, 932]);
  });

  it('runs fixed-size SHARDS with --sample-size and reports its error with --compare', () => {
    const r = cli('mrc', 'zipf-small', '--sample-size', '1000', '--compare', '--points', '6');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[1]).toMatch(
      /^policy lru, method shards-fixed-size, sample size 1000 keys, final sample rate 0\.\d+ \(\d+ requests\)$/,
    );
    expect(lines.at(-1)).toMatch(/^error against exact: mean \d+\.\d{3}%, max \d+\.\d{3}%$/);
  });

  it('prints a readable table in byte mode', () => {
    const r = cli('mrc', 'zipf-small', '--bytes', '--points', '3', '--scale', 'linear');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^trace zipf-small: 100000 requests, \d+ objects, footprint \d+ B/);
    expect(lines[1]).toBe('policy lru, method exact');
    expect(lines[2]).toMatch(/^size\s+miss ratio\s+byte miss ratio$/);
    expect(lines.slice(4)).toHaveLength(3);
    expect(lines[4]).toMatch(/^1 B \(1 B\)\s+\d+\.\d{3}%\s+\d+\.\d{3}%$/);
  });

  it('exits 2 with one line on bad options', () => {
    for (const args of [
      ['--sample', '2'],
      ['--compare'],
      ['--size', '1%', '--points', '5'],
      ['--policy', 'lru,fifo'],
      ['--scale', 'cubic'],
      ['--sample', '0.1', '--sample-size', '1000'],
    ]) {
      const r = cli('mrc', 'zipf-small', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n').length, r.err).toBeLessThanOrEqual(2);
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(cli('mrc', '--help').out).toMatch(/Usage: cachetopo mrc/);
  });
});
