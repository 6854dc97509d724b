import { describe, expect, it } from 'vitest';
import { SHARDS_MODULUS, ShardsSource, shardsHash, shardsThreshold } from '../../src/analysis/shards.ts';
import { InputError } from '../../src/errors.ts';
import { OP_GET, OP_SET } from '../../src/trace/api.ts';
import { openWorkload } from '../../src/trace/workload.ts';
import { type Req, readAll, requestSource } from '../helpers/memory-source.ts';

/** 600 requests over 150 keys, key i (a u64 above 2^32) requested with a pattern, size = 100 + key. */
function requests(): Req[] {
  const out: Req[] = [];
  for (let i = 0; i < 600; i++) {
    const k = (i * 7919) % 150;
    out.push({
      time: i,
      key: (1n << 40n) + BigInt(k),
      size: 100 + k,
      op: i % 5 === 0 ? OP_SET : OP_GET,
      ttl: i % 3,
    });
  }
  return out;
}

describe('shardsThreshold', () => {
  it('rounds R · 2^24 and rejects rates outside (0, 1]', () => {
    expect(shardsThreshold(1)).toBe(SHARDS_MODULUS);
    expect(shardsThreshold(0.5)).toBe(1 << 23);
    expect(shardsThreshold(0.01)).toBe(167_772);
    for (const bad of [0, -0.1, 1.5, Number.NaN, 1e-9])
      expect(() => shardsThreshold(bad), String(bad)).toThrow(InputError);
  });
});

describe('ShardsSource', () => {
  it('keeps every request of the keys hashed below T, in order, with their fields, and renumbers keys densely', () => {
    const reqs = requests();
    const full = readAll(requestSource(reqs, 'u64', 64));
    const rate = 0.3;
    const salt = 5;
    const t = shardsThreshold(rate);
    const src = new ShardsSource(requestSource(reqs, 'u64', 64), rate, salt);
    const got = readAll(src);

    const keptIdx = full.key.map((k, i) => (shardsHash(k, salt) < t ? i : -1)).filter((i) => i >= 0);
    // The sample: the same requests, same order, same fields, keys by their original names.
    expect(got.time).toEqual(keptIdx.map((i) => full.time[i]));
    expect(got.size).toEqual(keptIdx.map((i) => full.size[i]));
    expect(got.op).toEqual(keptIdx.map((i) => full.op[i]));
    expect(got.ttl).toEqual(keptIdx.map((i) => full.ttl[i]));
    expect(got.key.map((id) => got.keys[id])).toEqual(keptIdx.map((i) => full.keys[full.key[i]]));
    // New ids are 0, 1, 2, … in order of first appearance.
    let seen = 0;
    for (const id of got.key) {
      expect(id).toBeLessThanOrEqual(seen);
      if (id === seen) seen++;
    }
    expect(seen).toBe(src.keys.size);
    expect(src.keys.size).toBe(new Set(keptIdx.map((i) => full.key[i])).size);
    // Counters over the full trace, for SHARDS-adj.
    expect(src.rate).toBe(t / SHARDS_MODULUS);
    expect(src.requestsSeen).toBe(600);
    expect(src.bytesSeen).toBe(full.size.reduce((a, b) => a + b, 0));
    expect(src.requestsKept).toBe(keptIdx.length);
    expect(src.keysSeen).toBe(150);
    expect(got.next).toBeNull();
    expect(src.info.requests).toBeUndefined();
    // A sample of 150 keys at 0.3 is neither empty nor everything.
    expect(keptIdx.length).toBeGreaterThan(0);
    expect(keptIdx.length).toBeLessThan(600);
  });

  it('samples string keys the same way', () => {
    const reqs = requests().map((r) => ({ ...r, key: `k${r.key}` }));
    const a = readAll(new ShardsSource(requestSource(reqs, 'string', 50), 0.3, 5));
    const b = readAll(new ShardsSource(requestSource(requests(), 'u64', 50), 0.3, 5));
    // Dense ids are the same for both key kinds, so the same keys are sampled.
    expect(a.key).toEqual(b.key);
    expect(a.keys).toEqual(b.keys.map((k) => `k${k}`));
  });

  it('at rate 1 is the identity, and fills whole batches across inner batches', () => {
    const src = new ShardsSource(openWorkload('zipf-small'), 1);
    const lengths: number[] = [];
    for (let b = src.next(); b !== null; b = src.next()) lengths.push(b.length);
    expect(lengths).toEqual([65_536, 100_000 - 65_536]);
    const direct = readAll(openWorkload('zipf-small'));
    const sampled = readAll(new ShardsSource(openWorkload('zipf-small'), 1));
    expect(sampled.key).toEqual(direct.key);
    expect(sampled.keys).toEqual(direct.keys);
  });

  it('keeps a fraction R of the keys, and another set under another seed', () => {
    const rate = 0.1;
    const t = shardsThreshold(rate);
    const n = 200_000;
    let a = 0;
    let both = 0;
    for (let id = 0; id < n; id++) {
      const inA = shardsHash(id, 1) < t;
      const inB = shardsHash(id, 2) < t;
      if (inA) a++;
      if (inA && inB) both++;
    }
    // Binomial(200000, 0.1): sd 134; 5 sd either side.
    expect(Math.abs(a - n * rate)).toBeLessThan(5 * 134);
    // Independent seeds overlap in R² of the keys (sd ≈ 44), not R.
    expect(Math.abs(both - n * rate * rate)).toBeLessThan(5 * 44);
  });
});
