import { describe, expect, it } from 'vitest';
import { allocBatch, OP_DELETE, OP_GET, OP_SET, type RequestSource } from '../../src/trace/api.ts';
import { formatStatsTable, inspectTrace, type TraceStats } from '../../src/trace/inspect.ts';
import { KeyMap } from '../../src/trace/keymap.ts';
import { oracleGeneralReader } from '../../src/trace/readers/oracle-general.ts';
import { openGenerator } from '../../src/trace/workload.ts';
import { sharedFile } from '../helpers/shared.ts';

interface Req {
  /** Seconds. */
  t: number;
  key: number;
  size: number;
  op?: number;
  ttl?: number;
}

/** A source over an array of requests, handed out `batchSize` at a time through one reused batch. */
function arraySource(reqs: readonly Req[], batchSize = 3, hasTime = true): RequestSource {
  const keys = new KeyMap('u64');
  const batch = allocBatch(batchSize);
  let pos = 0;
  return {
    info: {
      format: 'test',
      name: 'hand',
      hasTime,
      hasSize: true,
      hasOp: true,
      hasTtl: true,
      hasNext: false,
      keyKind: 'u64',
      provenance: { kind: 'file', path: 'hand', format: 'test' },
    },
    keys,
    next() {
      if (pos >= reqs.length) return null;
      let n = 0;
      for (; n < batchSize && pos < reqs.length; n++, pos++) {
        const r = reqs[pos];
        batch.time[n] = r.t * 1e6;
        batch.key[n] = keys.idOfNumber(r.key);
        batch.size[n] = r.size;
        batch.op[n] = r.op ?? OP_GET;
        batch.ttl[n] = r.ttl ?? 0;
      }
      batch.length = n;
      return batch;
    },
    progress: () => ({ done: pos, total: reqs.length }),
    close() {},
  };
}

const hand: Req[] = [
  { t: 0, key: 100, size: 10 },
  { t: 1, key: 200, size: 20, op: OP_SET, ttl: 60 },
  { t: 1, key: 100, size: 12 }, // a new size: the working set keeps the first (10)
  { t: 3, key: 300, size: 5 },
  { t: 4, key: 200, size: 20, op: OP_DELETE },
  { t: 9, key: 100, size: 12 },
  { t: 10, key: 400, size: 1, op: OP_SET, ttl: 5 },
];

/** Requests with the given count per key (key i requested counts[i] times, interleaved round-robin). */
function withFrequencies(counts: number[]): Req[] {
  const out: Req[] = [];
  const left = [...counts];
  while (left.some((c) => c > 0)) {
    left.forEach((c, k) => {
      if (c > 0) {
        out.push({ t: out.length, key: k, size: 1 });
        left[k]--;
      }
    });
  }
  return out;
}

describe('inspectTrace', () => {
  it('gives exact stats on a hand-built trace', () => {
    const st = inspectTrace(arraySource(hand));
    // Stack distances: -1 -1 1 -1 2 2 -1 → re-accesses at 1, 2, 2.
    // Request sizes sorted: 1 5 10 12 12 20 20; first sizes per object sorted: 1 5 10 20.
    // 0.5 s windows from 0: times 0, 1, 1, 3, 4, 9, 10 s fall in windows 0, 2, 2, 6, 8, 18, 20.
    const windowCounts = new Array<number>(21).fill(0);
    for (const w of [0, 2, 2, 6, 8, 18, 20]) windowCounts[w]++;
    const want: TraceStats = {
      name: 'hand',
      format: 'test',
      hasTime: true,
      hasSize: true,
      hasOp: true,
      hasTtl: true,
      requests: 7,
      uniqueObjects: 4,
      totalBytes: 80,
      uniqueBytes: 36,
      gets: 4,
      sets: 2,
      deletes: 1,
      readWriteRatio: 2,
      oneHitWonders: 2,
      oneHitWonderRatio: 0.5,
      // ln f on ln rank for f = 3 2 1 1, fitted independently (Python).
      zipfAlpha: expect.closeTo(0.8698740813069396, 12) as unknown as number,
      reuses: 3,
      reuseDistance: { min: 1, p10: 1, p25: 1, p50: 2, p75: 2, p90: 2, p99: 2, max: 2, mean: 5 / 3 },
      sizePerRequest: { min: 1, p10: 1, p25: 5, p50: 12, p75: 20, p90: 20, p99: 20, max: 20, mean: 80 / 7 },
      sizePerObject: { min: 1, p10: 1, p25: 1, p50: 5, p75: 10, p90: 20, p99: 20, max: 20, mean: 9 },
      firstSeconds: 0,
      lastSeconds: 10,
      durationSeconds: 10,
      requestsPerSecond: 0.7,
      rateOverTime: {
        startSeconds: 0,
        windowSeconds: 0.5,
        requests: windowCounts,
        perSecond: windowCounts.map((c) => c * 2),
      },
      requestsWithTtl: 2,
      ttlShare: 2 / 7,
    };
    expect(st).toEqual(want);
  });

  it('reports progress after each batch', () => {
    const calls: [number, number][] = [];
    inspectTrace(arraySource(hand, 3), (d, t) => calls.push([d, t]));
    expect(calls).toEqual([
      [3, 7],
      [6, 7],
      [7, 7],
    ]);
  });

  it('does not depend on how requests are batched', () => {
    expect(inspectTrace(arraySource(hand, 1))).toEqual(inspectTrace(arraySource(hand, 64)));
  });

  it('fits the Zipf exponent of exact power laws', () => {
    // 12/r for r = 1..4 (alpha 1); 36/r^2 for r = 1..3 (alpha 2).
    expect(inspectTrace(arraySource(withFrequencies([6, 12, 3, 4]))).zipfAlpha).toBeCloseTo(1, 12);
    expect(inspectTrace(arraySource(withFrequencies([4, 36, 9]))).zipfAlpha).toBeCloseTo(2, 12);
    expect(inspectTrace(arraySource(withFrequencies([5]))).zipfAlpha).toBeNull();
  });

  it('leaves undefined quantities null, and the stats are plain JSON', () => {
    const empty = inspectTrace(arraySource([]));
    expect(empty).toMatchObject({
      requests: 0,
      uniqueObjects: 0,
      readWriteRatio: null,
      oneHitWonderRatio: null,
      zipfAlpha: null,
      reuseDistance: null,
      sizePerRequest: null,
      sizePerObject: null,
      durationSeconds: null,
      requestsPerSecond: null,
      rateOverTime: null,
      ttlShare: null,
    });
    expect(JSON.parse(JSON.stringify(empty))).toEqual(empty);
    const untimed = inspectTrace(arraySource(hand, 3, false));
    expect([untimed.firstSeconds, untimed.durationSeconds, untimed.rateOverTime]).toEqual([null, null, null]);
    const one = inspectTrace(arraySource([{ t: 5, key: 1, size: 9 }]));
    expect([one.durationSeconds, one.requestsPerSecond, one.rateOverTime]).toEqual([0, null, null]);
  });

  it('is deterministic: the same input gives identical JSON', () => {
    const reqs = withFrequencies([7, 1, 3, 3, 9, 1, 2]);
    const a = JSON.stringify(inspectTrace(arraySource(reqs)));
    expect(JSON.stringify(inspectTrace(arraySource(reqs)))).toBe(a);
    expect(JSON.parse(a)).toEqual(inspectTrace(arraySource(reqs)));
  });
});

describe('formatStatsTable', () => {
  it('prints a readable table ending with a newline', () => {
    const text = formatStatsTable(inspectTrace(arraySource(hand)));
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n');
    expect(lines).toContain('requests               7');
    expect(lines).toContain('working set            36 B, first size of each object');
    expect(lines).toContain('gets / sets / deletes  4 / 2 / 1');
    expect(lines).toContain('one-hit wonders        2 (50.00% of objects)');
    expect(lines).toContain('time span              0 s to 10 s (10 s)');
    expect(lines).toContain('requests over time (21 windows of 0.5 s):');
    expect(lines.find((l) => l.startsWith('reuse distance'))?.split(/\s+/)).toEqual([
      'reuse',
      'distance',
      '(objects)',
      '1',
      '1',
      '1',
      '2',
      '2',
      '2',
      '2',
      '2',
      '1.7',
    ]);
    expect(
      lines
        .find((l) => l.trim().startsWith('1 '))
        ?.trim()
        .split(/\s+/),
    ).toEqual(['1', '2', '4.00', '#'.repeat(40)]);
  });

  it('prints dashes for what an empty trace lacks', () => {
    const text = formatStatsTable(inspectTrace(arraySource([])));
    expect(text).toContain('Zipf alpha (fit)       -');
    expect(text).not.toContain('requests over time');
  });
});

describe('inspectTrace on the CloudPhysics sample (../shared)', () => {
  const path = sharedFile('traces/cloudPhysicsIO.oracleGeneral.bin');
  it.skipIf(path === null)('matches the counts documented in traces/README.md', () => {
    const src = oracleGeneralReader.open(path as string, {});
    let st: TraceStats;
    try {
      st = inspectTrace(src);
    } finally {
      src.close();
    }
    expect(st).toMatchObject({
      format: 'oracleGeneral',
      requests: 113_872,
      uniqueObjects: 48_974,
      totalBytes: 4_368_040_448,
      uniqueBytes: 2_029_769_728,
      oneHitWonders: 21_049,
      gets: 113_872,
      firstSeconds: 5_633_898,
      lastSeconds: 5_641_098,
      durationSeconds: 7200,
    });
    expect(st.oneHitWonderRatio).toBe(21_049 / 48_974);
    expect(st.reuses).toBe(113_872 - 48_974);
    expect(st.sizePerObject?.min).toBe(512);
    expect(st.sizePerRequest?.max).toBe(69_632);
    expect(st.rateOverTime?.requests.reduce((a, b) => a + b, 0)).toBe(113_872);
  });
});

describe('fitted Zipf alpha on generated traces', () => {
  for (const alpha of [0.6, 0.9, 1.2]) {
    it(`recovers alpha ${alpha} within 0.03 (1M requests over 100k objects)`, () => {
      const src = openGenerator(
        { generator: 'zipf', requests: 1_000_000, objects: 100_000, alpha },
        'test',
        3,
      );
      const st = inspectTrace(src);
      src.close();
      expect(Math.abs((st.zipfAlpha as number) - alpha)).toBeLessThan(0.03);
    });
  }
});
