import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { BATCH_SIZE, OP_GET, OP_SET } from '../../src/trace/api.ts';
import { openOracleGeneral } from '../../src/trace/readers/oracle-general.ts';
import { openVscsi, vscsiReader } from '../../src/trace/readers/vscsi.ts';
import { findReader } from '../../src/trace/registry.ts';
import { encodeVscsi, type VscsiRecord } from '../helpers/binary-traces.ts';
import { readAll } from '../helpers/memory-source.ts';
import { sharedFile } from '../helpers/shared.ts';
import { formatError } from '../helpers/trace-errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-vscsi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function tempFile(data: Uint8Array): string {
  const p = join(dir, `t${files++}.vscsi`);
  writeFileSync(p, data);
  return p;
}

const TINY: VscsiRecord[] = [
  { ts: 5_633_898_368_802n, lbn: 42_932_745n, len: 512, cmd: 0x28 },
  { ts: 5_633_898_611_441n, lbn: (1n << 63n) + 1n, len: 4096, cmd: 0x2a },
  { ts: 5_633_899_000_000n, lbn: 42_932_745n, len: 1024, cmd: 0x2a },
  { ts: 5_633_899_000_001n, lbn: (1n << 63n) + 2n, len: 8192, cmd: 0x08 }, // READ(6)
  { ts: 5_633_899_000_002n, lbn: (1n << 63n) + 1n, len: 512, cmd: 0x8a }, // WRITE(16)
  { ts: 5_633_899_000_003n, lbn: 0n, len: 512, cmd: 0x12 }, // INQUIRY: not a read or write
];

const WANT = {
  time: [
    5_633_898_368_802, 5_633_898_611_441, 5_633_899_000_000, 5_633_899_000_001, 5_633_899_000_002,
    5_633_899_000_003,
  ],
  key: [0, 1, 0, 2, 1, 3],
  size: [512, 4096, 1024, 8192, 512, 512],
  op: [OP_GET, OP_SET, OP_SET, OP_GET, OP_SET, OP_GET],
};

describe('vscsi reader', () => {
  for (const version of [1, 2] as const) {
    it(`decodes v${version} records field by field`, () => {
      const path = tempFile(encodeVscsi(version, TINY));
      const src = openVscsi(path);
      expect(src.info).toMatchObject({
        format: 'vscsi',
        hasTime: true,
        hasSize: true,
        hasOp: true,
        hasNext: false,
      });
      expect(src.info.requests).toBe(6);
      const d = readAll(src);
      expect(d.batchLengths).toEqual([6]);
      expect({ time: d.time, key: d.key, size: d.size, op: d.op }).toEqual(WANT);
      expect(src.keys.keyOf(1)).toBe('9223372036854775809');
      expect(src.keys.keyOf(2)).toBe('9223372036854775810');
      expect(src.progress()).toEqual({
        done: 6 * (version === 1 ? 32 : 40),
        total: 6 * (version === 1 ? 32 : 40),
      });
    });

    it(`gives the same v${version} requests whatever the read window`, () => {
      const path = tempFile(encodeVscsi(version, TINY));
      for (const chunkBytes of [80, 81, 99, 128]) {
        const d = readAll(openVscsi(path, { chunkBytes }));
        expect({ time: d.time, key: d.key, size: d.size, op: d.op }).toEqual(WANT);
      }
    });
  }

  it('reads a one-record file', () => {
    const d = readAll(openVscsi(tempFile(encodeVscsi(1, TINY.slice(0, 1)))));
    expect(d.time).toEqual([5_633_898_368_802]);
  });

  it('splits a long trace into BATCH_SIZE batches', () => {
    const records: VscsiRecord[] = [];
    for (let i = 0; i < BATCH_SIZE + 2; i++)
      records.push({ ts: BigInt(i), lbn: BigInt(i % 5), len: i, cmd: 0x28 });
    const d = readAll(openVscsi(tempFile(encodeVscsi(2, records)), { chunkBytes: 1000 }));
    expect(d.batchLengths).toEqual([BATCH_SIZE, 2]);
    expect(d.time[BATCH_SIZE + 1]).toBe(BATCH_SIZE + 1);
    expect(d.size[BATCH_SIZE]).toBe(BATCH_SIZE);
    expect(d.key[BATCH_SIZE]).toBe(BATCH_SIZE % 5);
  });

  it('refuses text-format options', () => {
    const path = tempFile(encodeVscsi(1, TINY));
    expect(() => vscsiReader.open(path, { csv: 'key=1' })).toThrow(InputError);
  });

  it('is chosen by the .vscsi suffix', () => {
    expect(findReader('trace.vscsi')).toBe(vscsiReader);
  });
});

describe('vscsi reader, bad input', () => {
  it('rejects an empty file', () => {
    const path = tempFile(new Uint8Array(0));
    const e = formatError(() => openVscsi(path));
    expect(e.location).toEqual({ record: 0, byte: 0 });
    expect(e.message).toBe(`${path}: record 0 (byte 0): record: empty file; expected vscsi records`);
  });

  it('rejects a file shorter than one record', () => {
    const e = formatError(() => openVscsi(tempFile(encodeVscsi(1, TINY).subarray(0, 31))));
    expect(e.message).toContain('the file is 31 bytes, shorter than one vscsi record (32)');
  });

  it('rejects a file whose first records carry no known version', () => {
    const path = tempFile(encodeVscsi(1, TINY, 0x0300));
    const e = formatError(() => openVscsi(path));
    expect(e.location).toEqual({ record: 0, byte: 0 });
    expect(e.field).toBe('ver');
    expect(e.message).toBe(
      `${path}: record 0 (byte 0): ver: expected 0x01nn (v1, at byte 14) or 0x02nn (v2, at byte 2), ` +
        'got 0x0300 and 0x8000; not a vscsi trace',
    );
  });

  it('rejects a truncated last record at its byte offset', () => {
    const e = formatError(() => openVscsi(tempFile(encodeVscsi(2, TINY).subarray(0, 5 * 40 + 9))));
    expect(e.location).toEqual({ record: 5, byte: 200 });
    expect(e.field).toBe('record');
    expect(e.message).toContain('the file ends 9 bytes into a 40-byte v2 record');
  });

  it('rejects a record whose version differs from the first ones', () => {
    const v1 = encodeVscsi(1, TINY);
    v1.writeUInt16LE(0x0200, 4 * 32 + 14);
    const path = tempFile(v1);
    const e = formatError(() => readAll(openVscsi(path, { chunkBytes: 100 })));
    expect(e.location).toEqual({ record: 4, byte: 128 });
    expect(e.message).toBe(
      `${path}: record 4 (byte 128): ver: expected version 1 (0x01nn) like the first records, got 0x0200`,
    );
  });

  it('rejects a timestamp that a double cannot hold exactly', () => {
    const records = TINY.map((r) => ({ ...r }));
    records[3].ts = 1n << 53n;
    const e = formatError(() => readAll(openVscsi(tempFile(encodeVscsi(2, records)))));
    expect(e.location).toEqual({ record: 3, byte: 120 });
    expect(e.field).toBe('ts');
    expect(e.message).toContain(`expected microseconds below 2^53, got ${1n << 53n}`);
  });
});

describe('vscsi reader on the CloudPhysics sample', () => {
  const path = sharedFile('traces/cloudPhysicsIO.vscsi');
  const og = sharedFile('traces/cloudPhysicsIO.oracleGeneral.bin');
  it.skipIf(path === null || og === null)(
    'has the documented counts and the oracleGeneral (time, key) sequence',
    () => {
      const v = openVscsi(path!);
      const d = readAll(v);
      const o = openOracleGeneral(og!);
      const g = readAll(o);
      expect(v.info.requests).toBe(113_872);
      expect(d.time.length).toBe(113_872);
      expect(v.keys.size).toBe(48_974);
      expect(d.size.reduce((a, b) => a + b, 0)).toBe(4_205_978_112);
      expect(d.op.filter((x) => x === OP_SET).length).toBe(66_898);
      // Dense ids follow first appearance, so equal id sequences plus equal keys per id mean equal key sequences.
      expect(d.key).toEqual(g.key);
      for (let id = 0; id < v.keys.size; id++) {
        if (v.keys.keyOf(id) !== o.keys.keyOf(id))
          throw new Error(`key ${id}: ${v.keys.keyOf(id)} ≠ ${o.keys.keyOf(id)}`);
      }
      expect(d.time.map((t) => Math.floor(t / 1e6))).toEqual(g.time.map((t) => t / 1e6));
    },
  );
});
