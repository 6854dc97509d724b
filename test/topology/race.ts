/** The write race of issue 5 as a three-request trace, and running it under a write policy. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultMetrics } from '../../src/topology/result.ts';
import { baseConfig, run } from './helpers.ts';

type Json = Record<string, unknown>;

/**
 * One key, three requests (Twitter trace format, times in seconds, replayed at timeScale 0.001 so a
 * second is a millisecond): a GET at 0 ms, a SET at 1 ms, a GET at 20 ms.
 */
export function raceTrace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachetopo-race-'));
  const path = join(dir, 'race.twitter.csv');
  writeFileSync(path, '0,k1,2,100,1,get,0\n1,k1,2,100,1,set,0\n20,k1,2,100,1,get,0\n');
  return path;
}

/**
 * The race's timeline with no network or cache latency, origin reads 10 ms and writes 1 ms (a pool of 4,
 * so nothing waits): the first GET misses and its origin read takes its snapshot (version 0) at 0 ms; the
 * SET commits version 1 at 2 ms and deletes the key; the read's answer fills version 0 at 10 ms; the GET
 * at 20 ms then hits a copy that has been out of date since 2 ms: stale, aged 18 ms.
 */
export function race(policy: string, over: Json = {}): ResultMetrics {
  return run(
    baseConfig({
      workload: { trace: raceTrace(), format: 'twitter' },
      clients: { mode: 'open', timeScale: 0.001 },
      writes: { policy },
      origin: {
        read: { dist: 'constant', value: '10ms' },
        write: { dist: 'constant', value: '1ms' },
        pool: 4,
      },
      ...over,
    }),
  ).metrics;
}
