/**
 * The models predict the real servers: on a small Zipf trace, at three memory sizes, Redis allkeys-lru and
 * allkeys-lfu and memcached miss within 1 percentage point of what the simulator says. Starts its own
 * redis-server and memcached processes on free loopback ports, through `cachetopo calibrate --json` on
 * experiments/calibration/zipf-200b.json (the trace of the README's table).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serversAvailable } from '../helpers/binaries.ts';
import { inProcess } from '../helpers/cli.ts';
import { repoRoot } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-calibrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!serversAvailable('redis', 'memcached'))('calibrate against real servers', () => {
  it('keeps every gap within 1 pp, and prints the --json contract', { timeout: 120_000 }, async () => {
    const spec = join(repoRoot, 'experiments/calibration/zipf-200b.json');
    const out = join(dir, 'calibration.json');
    const run = await inProcess('calibrate', spec, '--memory', '2MiB,3MiB,4MiB', '--json', '-o', out);
    expect(run.code, run.err).toBe(0);
    const { rows } = JSON.parse(run.out) as { rows: Record<string, unknown>[] };
    expect(rows.map((r) => `${r.server} ${r.policy} ${r.memory}`)).toEqual([
      'redis allkeys-lru 2097152',
      'redis allkeys-lru 3145728',
      'redis allkeys-lru 4194304',
      'redis allkeys-lfu 2097152',
      'redis allkeys-lfu 3145728',
      'redis allkeys-lfu 4194304',
      'memcached segmented-lru 2097152',
      'memcached segmented-lru 3145728',
      'memcached segmented-lru 4194304',
    ]);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual([
        'server',
        'policy',
        'memory',
        'realMissRatio',
        'simMissRatio',
        'gapPp',
      ]);
      const label = `${r.server} ${r.policy} ${r.memory}`;
      // The caches must be small enough to evict, or the test would prove nothing.
      expect(r.realMissRatio as number, label).toBeGreaterThan(0.05);
      expect(Math.abs(r.gapPp as number), label).toBeLessThanOrEqual(1);
      expect(r.gapPp as number).toBeCloseTo(
        ((r.realMissRatio as number) - (r.simMissRatio as number)) * 100,
        9,
      );
    }
    // Smaller memory, more misses, in the real servers as in the models.
    for (let i = 0; i < rows.length; i += 3) {
      expect(rows[i].realMissRatio as number).toBeGreaterThan(rows[i + 2].realMissRatio as number);
    }
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.kind).toBe('cachetopo-calibration');
    expect(doc.rows).toHaveLength(9);
    expect(doc.trace).toMatchObject({ requests: 150_000, keyLength: 7, capped: 0 });
  });
});
