/**
 * A memcached tier's capacity is memcached's -m: below twice the item size limit the server refuses to
 * start, and a limit below one slab page per class in use does not bind (every class gets its first page
 * past -m, as memcached 1.6.18 does). Every capacity accepted either lowers the hit ratio as it shrinks or
 * comes with a warning naming the JSON path.
 */
import { describe, expect, it } from 'vitest';
import type { ResultDocument } from '../../src/topology/result.ts';
import { baseConfig, problems, run, ZERO } from './helpers.ts';

const MiB = 2 ** 20;

/** 100k requests over 100k objects with values of 100–400 bytes: five slab classes, a ~15 MiB footprint. */
function memcachedTier(capacity: string | number, policy?: string) {
  return baseConfig({
    workload: {
      generator: 'zipf',
      requests: 100_000,
      objects: 100_000,
      alpha: 0.8,
      sizes: { dist: 'uniform', min: 100, max: 400 },
    },
    tiers: { cache: { server: 'memcached', nodes: 1, capacity, policy, service: ZERO, threads: 1 } },
  });
}

describe('memcached tier capacity', () => {
  it('refuses a capacity below memcached -m minimum, twice the item size limit', () => {
    const cases: [string | number, number][] = [
      ['1MiB', MiB],
      ['64KiB', 65536],
      [2 * MiB - 1, 2 * MiB - 1],
    ];
    for (const [capacity, bytes] of cases) {
      expect(problems(memcachedTier(capacity))).toEqual([
        `test.json: /tiers/cache/capacity: ${bytes} bytes per node is below memcached's minimum -m of 2097152 ` +
          'bytes (twice the item size limit -I, 1048576; memcached 1.6 refuses to start)',
      ]);
    }
    expect(problems(memcachedTier('3MiB', `memcached(itemSizeMax=${2 * MiB})`))[0]).toMatch(
      /capacity: 3145728 bytes per node is below memcached's minimum -m of 4194304 bytes/,
    );
    expect(problems(memcachedTier('2MiB'))).toEqual([]);
  });

  it('hit ratio falls as the capacity shrinks, or the run says the capacity does not bind', () => {
    const results: [number, ResultDocument][] = [16, 12, 8, 6, 5, 4, 2].map((m) => [
      m,
      run(memcachedTier(`${m}MiB`)),
    ]);
    const hit = (r: ResultDocument) => r.metrics.tiers.cache.hitRatio ?? Number.NaN;
    const binding = results.filter(([, r]) => r.warnings === undefined);
    expect(binding.map(([m]) => m)).toEqual([16, 12, 8, 6, 5]);
    // The workload's footprint exceeds 12 MiB, so each binding step down loses hits.
    for (let i = 1; i < binding.length; i++) expect(hit(binding[i][1])).toBeLessThan(hit(binding[i - 1][1]));
    // Below five pages (five classes in use) memcached holds five pages whatever -m says.
    for (const [m, r] of results.slice(5)) {
      expect(hit(r)).toBe(hit(binding[binding.length - 1][1]));
      expect(r.warnings).toEqual([
        `test.json: /tiers/cache/capacity: ${m} MiB per node does not bind: memcached gives every slab class ` +
          'in use its first page past -m, and a node used 5 classes (5 MiB)',
      ]);
    }
  });
});
