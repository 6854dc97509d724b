import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, TraceFormatError } from '../../src/errors.ts';
import { type ExecuteInput, executeCells } from '../../src/replay/execute.ts';
import { BATCH_SIZE, type KeyCounter, type RequestSource } from '../../src/trace/api.ts';
import { openThreaded, shouldReadThreaded, type ThreadedOptions } from '../../src/trace/threaded-source.ts';
import { openWorkload } from '../../src/trace/workload.ts';
import { encodeOracleGeneral, type OracleRecord } from '../helpers/binary-traces.ts';
import { fixture, sharedFile } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-threaded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` requests over `objects` ids in a scrambled order (an LCG), with correct next-access indexes. */
function records(n: number, objects: number): OracleRecord[] {
  const out: OracleRecord[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const k = (x >>> 8) % objects;
    out.push({ time: Math.floor(i / 1000), id: (BigInt(k) << 40n) + 7n, size: 100 + (k % 900), next: -1n });
  }
  const last = new Map<bigint, number>();
  for (let i = n - 1; i >= 0; i--) {
    const r = out[i];
    const nx = last.get(r.id);
    r.next = nx === undefined ? -1n : BigInt(nx + 1);
    last.set(r.id, i);
  }
  return out;
}

const REQUESTS = 200_000; // four batches, the last one partial
const RECORDS = records(REQUESTS, 30_000);
const big = join(dir, 'gen.oracleGeneral.bin');
writeFileSync(big, encodeOracleGeneral(RECORDS));

interface Drained {
  batches: {
    length: number;
    keysAfter: number;
    fields: (number[] | null)[];
  }[];
  progress: { done: number; total: number };
}

/** Every batch (all fields, copied) and the key count after it. */
function drain(src: RequestSource<KeyCounter>): Drained {
  const batches: Drained['batches'] = [];
  try {
    for (let b = src.next(); b !== null; b = src.next()) {
      const n = b.length;
      const fields = [b.time, b.key, b.size, b.op, b.ttl, b.next].map((a) =>
        a === null ? null : Array.from(a.subarray(0, n)),
      );
      batches.push({ length: n, keysAfter: src.keys.size, fields });
    }
    return { batches, progress: src.progress() };
  } finally {
    src.close();
  }
}

function expectSame(arg: string, opts: ThreadedOptions = {}): Drained {
  const { slots: _, ...readerOpts } = opts;
  const plain = openWorkload(arg, readerOpts);
  const threaded = openThreaded(arg, opts);
  expect(threaded.info).toEqual(plain.info);
  const want = drain(plain);
  const got = drain(threaded);
  expect(got.batches.length).toBe(want.batches.length);
  got.batches.forEach((b, i) => {
    expect(b).toEqual(want.batches[i]);
  });
  expect(got.progress).toEqual(want.progress);
  return got;
}

/** The error `f` throws (failing the test if it throws none). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('threaded source', () => {
  it('hands out the plain source’s batches, key counts and progress (oracleGeneral, ring of 2)', () => {
    const got = expectSame(big, { slots: 2 });
    expect(got.batches.map((b) => b.length)).toEqual([
      BATCH_SIZE,
      BATCH_SIZE,
      BATCH_SIZE,
      REQUESTS - 3 * BATCH_SIZE,
    ]);
    expect(got.batches.at(-1)?.keysAfter).toBe(new Set(RECORDS.map((r) => r.id)).size);
    expect(got.progress).toEqual({ done: REQUESTS * 24, total: REQUESTS * 24 });
  });

  it('carries ops, TTLs and string keys (twitter fixture)', () => {
    const got = expectSame(fixture('sample.twitter.csv'));
    expect(got.batches[0].fields[3]).toContain(1); // a set
    expect(got.batches[0].fields[4]?.some((t) => t > 0)).toBe(true);
  });

  it.for<[string, ThreadedOptions]>([
    ['traces/cloudPhysicsIO.oracleGeneral.bin', {}],
    ['traces/cloudPhysicsIO.vscsi', {}],
    ['traces/cloudPhysicsIO.txt', {}],
    ['traces/cloudPhysicsIO.csv', { csv: 'time=2,key=5,size=4,op=3', csvOps: '28=get,2a=set', header: true }],
  ])('matches the plain reader on %s (../shared)', ([rel, opts], ctx) => {
    const path = sharedFile(rel);
    if (!path) return ctx.skip();
    const got = expectSame(path, opts);
    expect(got.batches.reduce((a, b) => a + b.length, 0)).toBe(113_872);
    expect(got.batches.at(-1)?.keysAfter).toBe(48_974);
  });

  it('fails to open with the reader’s own error', () => {
    const cut = join(dir, 'cut.oracleGeneral.bin');
    writeFileSync(cut, encodeOracleGeneral(RECORDS.slice(0, 1000)).subarray(0, 1000 * 24 - 10));
    const want = thrown(() => openWorkload(cut));
    const got = thrown(() => openThreaded(cut));
    expect(got).toBeInstanceOf(TraceFormatError);
    expect(got.message).toBe(want.message);
    expect(got.message).toBe(
      `${cut}: record 999 (byte 23976): record: the data ends 14 bytes into a 24-byte record (truncated, or not an oracleGeneral trace)`,
    );
    expect((got as TraceFormatError).field).toBe('record');
    const absent = join(dir, 'absent.oracleGeneral.bin');
    const none = thrown(() => openThreaded(absent));
    expect(none).toBeInstanceOf(InputError);
    expect(none.message).toBe(thrown(() => openWorkload(absent)).message);
  });

  it('raises a mid-stream error from next() after the batches before it, as the plain reader does', () => {
    const bad = join(dir, 'bad.oracleGeneral.bin');
    const recs = RECORDS.map((r) => ({ ...r }));
    recs[100_000].next = 5n; // points backwards: invalid, in the second batch
    writeFileSync(bad, encodeOracleGeneral(recs));
    const run = (src: RequestSource<KeyCounter>): { read: number; error: Error } => {
      let read = 0;
      try {
        const error = thrown(() => {
          for (let b = src.next(); b !== null; b = src.next()) read += b.length;
        });
        return { read, error };
      } finally {
        src.close();
      }
    };
    const want = run(openWorkload(bad));
    const got = run(openThreaded(bad));
    expect(want.read).toBe(BATCH_SIZE);
    expect(got.read).toBe(BATCH_SIZE);
    expect(got.error).toBeInstanceOf(TraceFormatError);
    expect(got.error.message).toBe(want.error.message);
    expect(got.error.message).toMatch(/record 100000 \(byte 2400000\): next_access_vtime: expected -1/);
  });

  it('close() mid-stream stops the reader, which closes its file first', () => {
    // Descriptors are the process's: one the reader left open would outlive its thread.
    const open = (): boolean =>
      readdirSync('/proc/self/fd').some((fd) => {
        try {
          return readlinkSync(join('/proc/self/fd', fd)) === big;
        } catch {
          return false; // closed while listing
        }
      });
    const src = openThreaded(big, { slots: 2 });
    expect(src.next()?.length).toBe(BATCH_SIZE);
    if (existsSync('/proc/self/fd')) expect(open()).toBe(true);
    src.close();
    if (existsSync('/proc/self/fd')) expect(open()).toBe(false);
    expect(src.next()).toBeNull();
    src.close(); // twice is harmless
  });
});

describe('replay with a threaded read', () => {
  const base: ExecuteInput = {
    trace: big,
    reader: {},
    seed: 3,
    byteMode: false,
    honorOps: false,
    warmupRequests: 5_000,
    windowRequests: 20_000,
    keySpace: 1_000,
    withNext: true,
    cells: ['lru', 'fifo', 's3fifo', 'arc', 'random', 'belady'].map((policy) => ({
      policy,
      capacity: 3_000,
    })),
  };

  it('gives the same results as a plain read (oracleGeneral, next accesses from the file)', () => {
    const plain = executeCells({ ...base, threadedRead: false });
    const threaded = executeCells({ ...base, threadedRead: true });
    expect(threaded).toEqual(plain);
    expect(plain.results[0].requests).toBe(REQUESTS - 5_000);
  });

  it('gives the same results with ops honoured and next accesses computed (twitter fixture)', () => {
    const input = { ...base, trace: fixture('sample.twitter.csv'), honorOps: true, warmupRequests: 0 };
    const cells = [
      { policy: 'lru', capacity: 2 },
      { policy: 'belady', capacity: 2 },
    ];
    const plain = executeCells({ ...input, cells, threadedRead: false });
    expect(executeCells({ ...input, cells, threadedRead: true })).toEqual(plain);
  });

  it('gives the same results on the vscsi sample with Belady (two threaded reads) (../shared)', (ctx) => {
    const path = sharedFile('traces/cloudPhysicsIO.vscsi');
    if (!path) return ctx.skip();
    const input = { ...base, trace: path, warmupRequests: 0, byteMode: true };
    const cells = [
      { policy: 'sieve', capacity: 50_000_000 },
      { policy: 'belady', capacity: 50_000_000 },
    ];
    const plain = executeCells({ ...input, cells, threadedRead: false });
    expect(executeCells({ ...input, cells, threadedRead: true })).toEqual(plain);
  });

  it('is used only for readers that map keys, and by default only for large files', () => {
    expect(shouldReadThreaded(big, undefined, true)).toBe(true);
    expect(shouldReadThreaded(big, undefined, false)).toBe(false);
    expect(shouldReadThreaded(big)).toBe(false); // 4.8 MB: below the size that repays a thread's start-up
    expect(shouldReadThreaded('zipf-small', undefined, true)).toBe(false);
    expect(shouldReadThreaded(join(dir, 'x.ctt'), undefined, true)).toBe(false);
  });
});
