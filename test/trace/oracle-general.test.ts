import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { BATCH_SIZE } from '../../src/trace/api.ts';
import { openOracleGeneral, oracleGeneralReader } from '../../src/trace/readers/oracle-general.ts';
import { findReader } from '../../src/trace/registry.ts';
import {
  encodeOracleGeneral,
  LOOP_N,
  LOOP_PERIOD,
  loopTrace,
  type OracleRecord,
  TINY,
} from '../helpers/binary-traces.ts';
import { readAll } from '../helpers/memory-source.ts';
import { fixture, sharedFile } from '../helpers/shared.ts';
import { formatError } from '../helpers/trace-errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-og-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tempFile(name: string, data: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** What a correct reader yields for a trace of distinct-or-repeated ids, computed independently. */
function expected(records: readonly OracleRecord[]): Record<'time' | 'key' | 'size' | 'next', number[]> {
  const ids = new Map<bigint, number>();
  return {
    time: records.map((r) => r.time * 1e6),
    key: records.map((r) => {
      if (!ids.has(r.id)) ids.set(r.id, ids.size);
      return ids.get(r.id)!;
    }),
    size: records.map((r) => r.size),
    next: records.map((r) => (r.next > 0n && r.next < 1n << 62n ? Number(r.next) - 1 : -1)),
  };
}

describe('oracleGeneral reader', () => {
  it('decodes the tiny fixture field by field', () => {
    expect(readFileSync(fixture('tiny.oracleGeneral.bin'))).toEqual(encodeOracleGeneral(TINY));
    const src = openOracleGeneral(fixture('tiny.oracleGeneral.bin'));
    expect(src.info).toMatchObject({ format: 'oracleGeneral', hasTime: true, hasSize: true, hasNext: true });
    expect(src.info).toMatchObject({ hasOp: false, keyKind: 'u64', requests: 7 });
    const d = readAll(src);
    expect(d.batchLengths).toEqual([7]);
    expect(d.time).toEqual([100e6, 100e6, 101e6, 102e6, 105e6, 105e6, 106e6]);
    expect(d.key).toEqual([0, 1, 0, 2, 1, 3, 4]);
    expect(d.size).toEqual([512, 4096, 512, 100, 4096, 0, 1]);
    expect(d.op).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // 1-based absolute indices 3 and 5 become 0-based 2 and 4; -1 and INT64_MAX both mean never.
    expect(d.next).toEqual([2, 4, -1, -1, -1, -1, -1]);
    expect(src.progress()).toEqual({ done: 168, total: 168 });
  });

  it('keeps 64-bit ids above 2^53 distinct and exact', () => {
    const src = openOracleGeneral(fixture('tiny.oracleGeneral.bin'));
    readAll(src);
    expect(src.keys.size).toBe(5);
    expect(src.keys.keyOf(1)).toBe('9223372036854775809');
    expect(src.keys.keyOf(2)).toBe('9223372036854775810');
    expect(src.keys.keyOf(3)).toBe('0');
    expect(src.keys.keyOf(4)).toBe('18446744073709551615');
  });

  it('gives the same requests whatever the read window', () => {
    const want = expected(TINY);
    for (const chunkBytes of [24, 25, 47, 48, 100]) {
      const d = readAll(openOracleGeneral(fixture('tiny.oracleGeneral.bin'), { chunkBytes }));
      expect({ time: d.time, key: d.key, size: d.size, next: d.next }).toEqual(want);
    }
  });

  it('splits a long trace into BATCH_SIZE batches', () => {
    const records = loopTrace(BATCH_SIZE + 3, 7);
    const path = tempFile('long.oracleGeneral.bin', encodeOracleGeneral(records));
    const d = readAll(openOracleGeneral(path, { chunkBytes: 1000 }));
    expect(d.batchLengths).toEqual([BATCH_SIZE, 3]);
    expect({ time: d.time, key: d.key, size: d.size, next: d.next }).toEqual(expected(records));
  });

  it('refuses text-format options', () => {
    const path = fixture('tiny.oracleGeneral.bin');
    expect(() => oracleGeneralReader.open(path, { header: true })).toThrow(
      new InputError(
        `${path}: --csv, --csv-ops, --delimiter and --header do not apply to the oracleGeneral format`,
      ),
    );
  });

  it('is chosen by every oracleGeneral suffix', () => {
    for (const name of [
      'a.oracleGeneral.bin',
      'a.oracleGeneral',
      'a.oracleGeneral.zst',
      'a.oracleGeneral.bin.zst',
    ]) {
      expect(findReader(name)).toBe(oracleGeneralReader);
    }
  });
});

describe('oracleGeneral reader, zstd-compressed', () => {
  it('decodes the tiny .zst fixture like the plain file', () => {
    const src = openOracleGeneral(fixture('tiny.oracleGeneral.bin.zst'));
    expect(src.info.requests).toBeUndefined();
    const d = readAll(src);
    expect(d.batchLengths).toEqual([7]);
    expect({ time: d.time, key: d.key, size: d.size, next: d.next }).toEqual(expected(TINY));
    expect(src.keys.keyOf(2)).toBe('9223372036854775810');
    expect(src.progress()).toEqual({ done: 77, total: 77 });
  });

  it('streams a two-frame file across any window and compressed-piece size', () => {
    const want = expected(loopTrace(LOOP_N, LOOP_PERIOD));
    for (const [chunkBytes, zstdChunkBytes] of [
      [undefined, undefined],
      [24, 1],
      [50, 7],
      [1000, 333],
    ]) {
      const src = openOracleGeneral(fixture('loop.oracleGeneral.zst'), { chunkBytes, zstdChunkBytes });
      const d = readAll(src);
      expect(d.time.length).toBe(LOOP_N);
      expect({ time: d.time, key: d.key, size: d.size, next: d.next }).toEqual(want);
      expect(src.keys.size).toBe(LOOP_PERIOD);
    }
  });

  it('rejects data that is not zstd, or a cut-off stream', () => {
    const garbage = tempFile(
      'garbage.oracleGeneral.zst',
      Buffer.from('this is not zstd at all, not even close'),
    );
    let e = formatError(() => readAll(openOracleGeneral(garbage)));
    expect(e.field).toBe('zstd');
    expect(e.location).toEqual({ byte: 0 });
    expect(e.message).toMatch(
      /^.*garbage\.oracleGeneral\.zst: byte 0: zstd: cannot decompress in bytes 0–38: /,
    );

    const whole = readFileSync(fixture('loop.oracleGeneral.zst'));
    const cut = tempFile('cut.oracleGeneral.zst', whole.subarray(0, whole.length - 100));
    e = formatError(() => readAll(openOracleGeneral(cut)));
    expect(e.field).toBe('zstd');
    expect(e.message).toContain('unexpected EOF');
  });

  it('reports a partial last record at its offset in the decompressed stream', () => {
    const e = formatError(() => readAll(openOracleGeneral(fixture('partial.oracleGeneral.zst'))));
    expect(e.location).toEqual({ record: 7, byte: 168 });
    expect(e.field).toBe('record');
    expect(e.message).toContain('partial.oracleGeneral.zst (decompressed): record 7 (byte 168): record: ');
    expect(e.message).toContain('ends 5 bytes into a 24-byte record');
  });

  it('reports a next access past the end once the end is known', () => {
    // The file holds 2 requests; records 0 and 1 name requests 3 and 5: the farthest is reported.
    const e = formatError(() => readAll(openOracleGeneral(fixture('dangling.oracleGeneral.zst'))));
    expect(e.location).toEqual({ record: 1, byte: 24 });
    expect(e.field).toBe('next_access_vtime');
    expect(e.message).toContain('record 1 (byte 24): next_access_vtime: 5 is past the last request (2)');
  });

  it('reports an empty stream', () => {
    const empty = tempFile('empty.oracleGeneral.zst', new Uint8Array(0));
    const e = formatError(() => readAll(openOracleGeneral(empty)));
    expect(e.location).toEqual({ record: 0, byte: 0 });
    expect(e.message).toContain('empty trace');
  });
});

describe('oracleGeneral reader, bad input', () => {
  it('rejects an empty file at open', () => {
    const path = tempFile('empty.oracleGeneral.bin', new Uint8Array(0));
    const e = formatError(() => openOracleGeneral(path));
    expect(e.location).toEqual({ record: 0, byte: 0 });
    expect(e.message).toBe(
      `${path}: record 0 (byte 0): record: empty trace; expected 24-byte oracleGeneral records`,
    );
  });

  it('rejects a truncated last record at its byte offset', () => {
    const tiny = encodeOracleGeneral(TINY);
    const path = tempFile('short.oracleGeneral.bin', tiny.subarray(0, tiny.length - 19));
    const e = formatError(() => openOracleGeneral(path));
    expect(e.location).toEqual({ record: 6, byte: 144 });
    expect(e.field).toBe('record');
    expect(e.message).toContain('ends 5 bytes into a 24-byte record');
  });

  const badNext: [string, bigint, string][] = [
    ['its own index', 3n, 'got 3'],
    ['an earlier request', 1n, 'got 1'],
    ['zero', 0n, 'got 0'],
    ['-2', -2n, 'got -2'],
    ['past the end', 8n, 'got 8'],
    ['above 2^53', 1n << 60n, `got ${1n << 60n}`],
  ];
  for (const [what, next, got] of badNext) {
    it(`rejects a next_access_vtime of ${what}`, () => {
      const records = TINY.map((r) => ({ ...r }));
      records[2].next = next; // record 2 is request 3 (1-based); valid values are 4..7, -1, INT64_MAX
      const path = tempFile(`next-${next}.oracleGeneral.bin`, encodeOracleGeneral(records));
      const e = formatError(() => readAll(openOracleGeneral(path)));
      expect(e.location).toEqual({ record: 2, byte: 48 });
      expect(e.field).toBe('next_access_vtime');
      expect(e.message).toBe(
        `${path}: record 2 (byte 48): next_access_vtime: expected -1, INT64_MAX or the 1-based index of a later ` +
          `request (4..7), ${got}`,
      );
    });
  }
});

describe('oracleGeneral reader on the CloudPhysics sample', () => {
  const path = sharedFile('traces/cloudPhysicsIO.oracleGeneral.bin');
  it.skipIf(path === null)('has the documented counts', () => {
    const src = openOracleGeneral(path!);
    let requests = 0;
    let never = 0;
    let bytes = 0;
    let batches = 0;
    for (let b = src.next(); b !== null; b = src.next()) {
      batches++;
      for (let i = 0; i < b.length; i++) {
        bytes += b.size[i];
        if (b.next![i] === -1) never++;
        else if (b.next![i] <= requests + i) throw new Error(`next ${b.next![i]} at ${requests + i}`);
      }
      requests += b.length;
    }
    src.close();
    expect(batches).toBe(2);
    expect(requests).toBe(113_872);
    expect(src.keys.size).toBe(48_974);
    expect(never).toBe(48_974);
    expect(bytes).toBe(4_368_040_448);
  });
});
