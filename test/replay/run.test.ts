import { describe, expect, it } from 'vitest';
import { runReplay } from '../../src/replay/run.ts';

const job = {
  trace: 'zipf-small',
  reader: {},
  policies: 'lru,random,s3fifo',
  sizes: '1%,10%',
  byteMode: false,
  warmup: '10%',
  windows: 10,
  honorOps: false,
  bounds: true,
  seed: 7,
};

describe('runReplay', () => {
  it('gives identical results whatever the number of worker threads', async () => {
    const one = await runReplay({ ...job, workers: 1 });
    const two = await runReplay({ ...job, workers: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it('puts the ideal bounds beside every result, and they bound it', async () => {
    const r = await runReplay({ ...job, workers: 1 });
    expect(r.results).toHaveLength(6);
    for (const row of r.results) {
      expect(row.beladyMissRatio).not.toBeNull();
      expect(row.compulsoryMissRatio).toBeLessThanOrEqual(row.beladyMissRatio!);
      expect(row.beladyMissRatio!).toBeLessThanOrEqual(row.missRatio);
      expect(row.windows).toHaveLength(10);
      expect(row.windows.reduce((a, w) => a + w.misses, 0)).toBe(row.misses);
    }
    expect(r.countedRequests).toBe(r.requests - Math.floor(r.requests * 0.1));
  });
});
