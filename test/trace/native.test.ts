import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, TraceFormatError } from '../../src/errors.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../../src/trace/api.ts';
import { copyTrace } from '../../src/trace/convert.ts';
import { MAGIC } from '../../src/trace/native-format.ts';
import { nativeReader } from '../../src/trace/readers/native.ts';
import { oracleGeneralReader } from '../../src/trace/readers/oracle-general.ts';
import { nativeWriter } from '../../src/trace/writers/native.ts';
import { type Req, readAll, requestSource, writeTrace } from '../helpers/memory-source.ts';
import { sharedFile } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tmp = (): string => join(dir, `t${fileNo++}.ctt`);

const TWO53 = 2n ** 53n;
// 2^53 + 1 and 2^53 + 2 round to the same double: they must stay two keys.
const u64Reqs: Req[] = [
  { time: 1_000_000, key: 7n, size: 512, op: OP_GET, ttl: 0, next: 3 },
  { time: 1_000_001, key: TWO53 + 1n, size: 4096, op: OP_SET, ttl: 60, next: 5 },
  { time: 1_500_000, key: TWO53 + 2n, size: 1, op: OP_DELETE, ttl: 0, next: -1 },
  { time: 2_000_000, key: 7n, size: 512, op: OP_GET, ttl: 0, next: -1 },
  { time: 2_000_000, key: 2n ** 64n - 1n, size: 70_000, op: OP_SET, ttl: 4_294_967_295, next: -1 },
  { time: 9_007_199_254_740_991, key: TWO53 + 1n, size: 4096, op: OP_GET, ttl: 0, next: -1 },
  { time: 9_007_199_254_740_991, key: 0n, size: 3, op: OP_GET, ttl: 1, next: -1 },
];

describe('native trace round trip', () => {
  it('gives back the same batches, key ids and 64-bit keys (above 2^53 included) over several frames', () => {
    const path = tmp();
    const src = requestSource(u64Reqs, 'u64', 3);
    expect(writeTrace(nativeWriter, path, src)).toBe(7);
    const back = nativeReader.open(path, {});
    expect(back.info).toMatchObject({
      format: 'native',
      hasTime: true,
      hasSize: true,
      hasOp: true,
      hasTtl: true,
      hasNext: true,
      keyKind: 'u64',
      requests: 7,
      provenance: { kind: 'generator', spec: { name: 'in-memory' }, seed: 42 },
    });
    const got = readAll(back);
    expect(got.batchLengths).toEqual([3, 3, 1]);
    expect(got.key).toEqual([0, 1, 2, 0, 3, 1, 4]);
    expect(got.time).toEqual(u64Reqs.map((r) => r.time));
    expect(got.size).toEqual(u64Reqs.map((r) => r.size));
    expect(got.op).toEqual(u64Reqs.map((r) => r.op));
    expect(got.ttl).toEqual(u64Reqs.map((r) => r.ttl));
    expect(got.next).toEqual([3, 5, -1, -1, -1, -1, -1]);
    expect(got.keys).toEqual(['7', String(TWO53 + 1n), String(TWO53 + 2n), '18446744073709551615', '0']);
    expect(back.keys.halves(3)).toEqual([0xffffffff, 0xffffffff]);
    expect(back.next()).toBeNull();
  });

  it('round-trips string keys, including ones with commas, quotes, newlines and non-ASCII text', () => {
    const names = ['a', 'b,c', '"q"', 'line\nbreak', 'ключ', '', 'a'];
    const reqs: Req[] = names.map((k, i) => ({ time: i, key: k, size: 10 + i, op: OP_GET, ttl: 0 }));
    const path = tmp();
    writeTrace(nativeWriter, path, requestSource(reqs, 'string', 4));
    const got = readAll(nativeReader.open(path, {}));
    expect(got.key).toEqual([0, 1, 2, 3, 4, 5, 0]);
    expect(got.keys).toEqual(['a', 'b,c', '"q"', 'line\nbreak', 'ключ', '']);
    expect(got.size).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(got.batchLengths).toEqual([4, 3]);
  });

  it('stores only the columns the trace has; the others read back as time 0, size 1, get, ttl 0', () => {
    const reqs: Req[] = [
      { time: 0, key: 5n, size: 1, op: OP_GET, ttl: 0 },
      { time: 0, key: 6n, size: 1, op: OP_GET, ttl: 0 },
    ];
    const flags = { hasTime: false, hasSize: false, hasOp: false, hasTtl: false, hasNext: false };
    const path = tmp();
    writeTrace(nativeWriter, path, requestSource(reqs, 'u64', 2, flags));
    const back = nativeReader.open(path, {});
    expect(back.info).toMatchObject(flags);
    const got = readAll(back);
    expect(got).toMatchObject({
      time: [0, 0],
      size: [1, 1],
      op: [0, 0],
      ttl: [0, 0],
      key: [0, 1],
      next: null,
    });
  });

  it('writes byte-identical files for the same input', () => {
    const a = tmp();
    const b = tmp();
    writeTrace(nativeWriter, a, requestSource(u64Reqs, 'u64', 3));
    writeTrace(nativeWriter, b, requestSource(u64Reqs, 'u64', 3));
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('splits a batch larger than a frame allows (65,536) and reads an empty trace', () => {
    const reqs: Req[] = Array.from({ length: 70_000 }, (_, i) => ({
      time: i,
      key: BigInt(i % 1000),
      size: 1,
      op: OP_GET,
      ttl: 0,
    }));
    const path = tmp();
    writeTrace(nativeWriter, path, requestSource(reqs, 'u64', 70_000));
    const got = readAll(nativeReader.open(path, {}));
    expect(got.batchLengths).toEqual([65_536, 4_464]);
    expect(got.key[69_999]).toBe(999);
    expect(got.keys.length).toBe(1000);

    const empty = tmp();
    expect(writeTrace(nativeWriter, empty, requestSource([], 'u64', 4))).toBe(0);
    const e = nativeReader.open(empty, {});
    expect(e.info.requests).toBe(0);
    expect(readAll(e).batchLengths).toEqual([]);
  });

  it('abort() leaves no file, not even the temporary one', () => {
    const sub = mkdtempSync(join(dir, 'abort-'));
    const path = join(sub, 'x.ctt');
    const src = requestSource(u64Reqs, 'u64', 3);
    const w = nativeWriter.create(path, src.info);
    const b = src.next();
    if (b === null) throw new Error('no batch');
    w.write(b, src.keys);
    expect(readdirSync(sub)).toHaveLength(1);
    expect(existsSync(path)).toBe(false);
    w.abort();
    expect(readdirSync(sub)).toEqual([]);
  });
});

/** A file built frame by frame with correct CRCs, for errors that a CRC alone would not show. */
function craft(frames: (Uint8Array | object)[], tailLen?: number): Buffer {
  const parts: Buffer[] = [MAGIC];
  let crc = crc32(MAGIC);
  let last = 0;
  for (const f of frames) {
    const payload = Buffer.from(f instanceof Uint8Array ? f : encode(f));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(payload.length);
    crc = crc32(payload, crc32(len, crc));
    const c = Buffer.alloc(4);
    c.writeUInt32LE(crc);
    crc = crc32(c, crc);
    parts.push(len, payload, c);
    last = payload.length;
  }
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(tailLen ?? last);
  parts.push(tail);
  return Buffer.concat(parts);
}

const header = {
  kind: 'header',
  format: 'cachetopo-trace',
  version: 1,
  keyKind: 'u64',
  hasTime: false,
  hasSize: false,
  hasOp: false,
  hasTtl: false,
  hasNext: false,
  provenance: { kind: 'generator', spec: {}, seed: 1 },
};
const u32s = (...v: number[]): Uint8Array => new Uint8Array(new Uint32Array(v).buffer);
const batch = (over: object = {}): object => ({
  kind: 'batch',
  first: 0,
  n: 2,
  firstKey: 0,
  key: u32s(0, 1),
  newKeysLo: u32s(10, 11),
  newKeysHi: u32s(0, 0),
  ...over,
});
const end = (over: object = {}): object => ({ kind: 'end', requests: 2, uniqueKeys: 2, batches: 1, ...over });

function failure(bytes: Buffer): TraceFormatError {
  const path = tmp();
  writeFileSync(path, bytes);
  try {
    readAll(nativeReader.open(path, {}));
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toContain(path);
    expect((e as Error).message).not.toContain('\n');
    return e as TraceFormatError;
  }
  throw new Error('expected a TraceFormatError');
}

describe('native trace errors', () => {
  const good = craft([header, batch(), end()]);

  it('reads the crafted reference file', () => {
    const path = tmp();
    writeFileSync(path, good);
    const got = readAll(nativeReader.open(path, {}));
    expect(got.key).toEqual([0, 1]);
    expect(got.keys).toEqual(['10', '11']);
  });

  it('bad magic: not a cachetopo native trace', () => {
    const e = failure(Buffer.from('time,key\n1,2\n'));
    expect(e.field).toBe('magic');
    expect(e.message).toContain(': byte 0: magic: not a cachetopo native trace');
  });

  it('unknown version', () => {
    const e = failure(craft([{ ...header, version: 2 }, batch(), end()]));
    expect(e.field).toBe('version');
    expect(e.message).toMatch(/: byte 8: version: unknown version 2;/);
  });

  it('truncated frame: a length running past the trailer', () => {
    const bytes = Buffer.from(good);
    const batchAt = 8 + 8 + bytes.readUInt32LE(8);
    bytes.writeUInt32LE(1_000_000, batchAt);
    const e = failure(bytes);
    expect(e.field).toBe('frame');
    expect(e.message).toContain(`: byte ${batchAt}: frame: truncated frame`);
  });

  it('a frame that is not msgpack', () => {
    const e = failure(craft([header, Uint8Array.of(0xc1), end()]));
    expect(e.field).toBe('frame');
    expect(e.message).toContain('cannot decode msgpack');
  });

  it('missing trailer: a truncated file, or an unfinished one', () => {
    expect(failure(good.subarray(0, good.length - 7)).field).toBe('trailer');
    expect(failure(craft([header, batch()], 3)).field).toBe('trailer');
    expect(failure(craft([header, batch(), { kind: 'batch' }])).message).toContain('is not an end frame');
  });

  it('key id out of range, with the request index and the byte of the id', () => {
    const e = failure(craft([header, batch({ key: u32s(1, 2) }), end()]));
    expect(e.field).toBe('key');
    expect(e.location).toMatchObject({ record: 1 });
    expect(e.message).toContain('key id 2 out of range: only 2 keys are defined so far');
    const at = (e.location as { byte: number }).byte;
    expect(craft([header, batch({ key: u32s(1, 2) }), end()]).readUInt32LE(at)).toBe(2);
  });

  it('checksum mismatch on a flipped payload byte', () => {
    const bytes = Buffer.from(good);
    const batchAt = 8 + 8 + bytes.readUInt32LE(8);
    bytes[batchAt + 10] ^= 0x01;
    const e = failure(bytes);
    expect(e.field).toBe('crc');
    expect(e.message).toContain('checksum mismatch');
  });

  it('frames that disagree with each other', () => {
    expect(failure(craft([header, batch({ first: 5 }), end()])).field).toBe('first');
    expect(failure(craft([header, batch({ firstKey: 1 }), end()])).field).toBe('firstKey');
    const strings = { ...header, keyKind: 'string' };
    const twice = batch({ newKeysLo: undefined, newKeysHi: undefined, newKeys: ['a', 'a'] });
    expect(failure(craft([strings, twice, end()])).message).toContain('newKeys: key "a" is defined twice');
    expect(failure(craft([header, batch({ n: 3 }), end()])).message).toContain(
      'key: expected 12 bytes, got 8',
    );
    expect(failure(craft([header, batch(), end({ requests: 3 })])).field).toBe('requests');
    expect(failure(craft([header, batch(), end({ uniqueKeys: 3 })])).field).toBe('uniqueKeys');
    const second = batch({ first: 2, firstKey: 2, newKeysLo: u32s(12, 13) });
    expect(failure(craft([header, batch(), second, end({ requests: 4, uniqueKeys: 4 })])).field).toBe(
      'batches',
    );
  });
});

describe('oracleGeneral → native conversion (../shared sample)', () => {
  const sample = sharedFile('traces/cloudPhysicsIO.oracleGeneral.bin');
  it.skipIf(sample === null)('reads back the same requests, keys and next indices', () => {
    const path = sample as string;
    const out = tmp();
    const src = oracleGeneralReader.open(path, {});
    expect(copyTrace(src, nativeWriter.create(out, src.info))).toBe(113_872);
    const want = readAll(oracleGeneralReader.open(path, {}));
    const back = nativeReader.open(out, {});
    expect(back.info).toMatchObject({ requests: 113_872, hasNext: true, keyKind: 'u64' });
    expect(back.info.provenance).toEqual(src.info.provenance);
    const got = readAll(back);
    expect(got.keys).toHaveLength(48_974);
    expect(got.next?.filter((n) => n === -1)).toHaveLength(48_974);
    expect(got).toEqual(want);
  });
});
