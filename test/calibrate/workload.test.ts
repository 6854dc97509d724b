/** Calibration workloads: key names, the value cap and the batches that keep GET-then-SET order. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyName, loadWorkload, planBatches } from '../../src/calibrate/workload.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-workload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibration workload', () => {
  it('pads key ids to one width', () => {
    expect(keyName(7, 3)).toBe('k:007');
    expect(keyName(123, 3)).toBe('k:123');
  });

  it('cuts a batch before a repeated key, at the request limit and at the byte limit', () => {
    const keys = Uint32Array.from([0, 1, 0, 2, 3, 4, 5, 8]);
    const sizes = Uint32Array.from([10, 10, 10, 10, 10, 50, 10, 10]);
    // Key 0 again at index 2; three requests at most (2, 3, 4); 60 bytes at most (5 and 6 make 60, 7 would make 70).
    expect(Array.from(planBatches(keys, sizes, 9, 3, 60))).toEqual([0, 2, 5, 7, 8]);
    expect(Array.from(planBatches(new Uint32Array(0), new Uint32Array(0), 0))).toEqual([0]);
  });

  it('reads a generator into memory and caps values at the memcached item limit', () => {
    const spec = join(dir, 'big.json');
    writeFileSync(
      spec,
      JSON.stringify({
        generator: 'uniform',
        requests: 50,
        objects: 12,
        sizes: { dist: 'constant', value: 2_000_000 },
      }),
    );
    const w = loadWorkload(spec);
    expect(w.requests).toBe(50);
    expect(w.objects).toBe(12);
    expect(w.keyLength).toBe(4); // k:00 … k:11
    // 1 MiB = 48 header + 4 key + 1 + value + 2 + 8 CAS.
    expect(w.valueLimit).toBe(1_048_576 - 63);
    expect(w.capped).toBe(50);
    expect(Math.max(...w.sizes)).toBe(w.valueLimit);
    expect(w.starts[0]).toBe(0);
    expect(w.starts[w.starts.length - 1]).toBe(50);
  });
});
