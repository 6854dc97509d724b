import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../../src/trace/api.ts';
import { csvReader } from '../../src/trace/readers/csv.ts';
import { csvField, csvWriter, formatSeconds } from '../../src/trace/writers/csv.ts';
import { type Req, readAll, requestSource, writeTrace } from '../helpers/memory-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-csvw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reqs: Req[] = [
  { time: 5_633_898_000_000, key: 15943n, size: 4096, op: OP_GET, ttl: 0 },
  { time: 5_633_898_000_001, key: 2n ** 64n - 1n, size: 512, op: OP_SET, ttl: 60 },
  { time: 1_500_000, key: 15943n, size: 1, op: OP_DELETE, ttl: 0 },
];

const noFlags = { hasTime: false, hasSize: false, hasOp: false, hasTtl: false, hasNext: false };

describe('CSV writer', () => {
  it('writes a header and one exact line per request, across batches', () => {
    const path = join(dir, 'a.csv');
    expect(writeTrace(csvWriter, path, requestSource(reqs, 'u64', 2))).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(
      'time,key,size,op,ttl\n' +
        '5633898.000000,15943,4096,get,0\n' +
        '5633898.000001,18446744073709551615,512,set,60\n' +
        '1.500000,15943,1,delete,0\n',
    );
  });

  it('quotes string keys that need it, and writes only the columns the trace has', () => {
    const keys = ['plain', 'a,b', 'say "hi"', '', 'plain'];
    const path = join(dir, 'b.csv');
    const src = requestSource(
      keys.map((key) => ({ time: 0, key, size: 1, op: OP_GET, ttl: 0 })),
      'string',
      10,
      { ...noFlags, hasOp: true },
    );
    writeTrace(csvWriter, path, src);
    expect(readFileSync(path, 'utf8')).toBe(
      'key,op\nplain,get\n"a,b",get\n"say ""hi""",get\n"",get\nplain,get\n',
    );
  });

  it('adds a next column when the trace has next-access indices', () => {
    const path = join(dir, 'n.csv');
    const withNext = reqs.map((r, i) => ({ ...r, next: i === 0 ? 2 : -1 }));
    writeTrace(csvWriter, path, requestSource(withNext, 'u64', 3, { ...noFlags, hasNext: true }));
    expect(readFileSync(path, 'utf8')).toBe('key,next\n15943,2\n18446744073709551615,-1\n15943,-1\n');
  });

  it('refuses a key with a line break (the CSV reader cannot read it back) and leaves no file', () => {
    const sub = mkdtempSync(join(dir, 'nl-'));
    const path = join(sub, 'x.csv');
    const src = requestSource([{ time: 0, key: 'two\nlines', size: 1, op: OP_GET, ttl: 0 }], 'string', 1);
    expect(() => writeTrace(csvWriter, path, src)).toThrow(InputError);
    expect(() =>
      writeTrace(csvWriter, path, requestSource([{ ...reqs[0], key: 'a\rb' }], 'string', 1)),
    ).toThrow(`${path}: key "a\\rb": a line break cannot be written to CSV`);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('formats microseconds as seconds exactly, even near 2^53', () => {
    expect(formatSeconds(0)).toBe('0.000000');
    expect(formatSeconds(1)).toBe('0.000001');
    expect(formatSeconds(-1_500_000)).toBe('-1.500000');
    expect(formatSeconds(9_007_199_254_740_991)).toBe('9007199254.740991');
    expect(formatSeconds(8_999_999_999_999_999)).toBe('8999999999.999999');
    expect(csvField('x')).toBe('x');
    expect(csvField('"')).toBe('""""');
  });

  it('appears only on finish(); abort() leaves nothing', () => {
    const sub = mkdtempSync(join(dir, 'abort-'));
    const path = join(sub, 'c.csv');
    const src = requestSource(reqs, 'u64', 2);
    const w = csvWriter.create(path, src.info);
    const b = src.next();
    if (b === null) throw new Error('no batch');
    w.write(b, src.keys);
    expect(existsSync(path)).toBe(false);
    w.abort();
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe('CSV writer → CSV reader round trip', () => {
  it('gives back the same requests, key ids and 64-bit keys, with next', () => {
    const extra: Req[] = [
      {
        time: 9_007_199_254_740_991,
        key: 2n ** 53n + 1n,
        size: 4_294_967_295,
        op: OP_GET,
        ttl: 4_294_967_295,
      },
      { time: 7, key: 2n ** 53n + 2n, size: 3, op: OP_SET, ttl: 1 },
    ];
    const many: Req[] = [...reqs, ...extra].map((r, i) => ({ ...r, next: i === 0 ? 2 : -1 }));
    const path = join(dir, 'rt.csv');
    writeTrace(csvWriter, path, requestSource(many, 'u64', 2));
    const back = csvReader.open(path, { header: true });
    expect(back.info).toMatchObject({
      keyKind: 'u64',
      hasTime: true,
      hasSize: true,
      hasOp: true,
      hasTtl: true,
    });
    expect(back.info.hasNext).toBe(true);
    const got = readAll(back);
    const want = readAll(requestSource(many, 'u64', 2));
    expect({ ...got, batchLengths: [] }).toEqual({ ...want, batchLengths: [] });
  });

  it('gives back string keys (quoted ones, empty ones, spaces) when the key column is mapped as :string', () => {
    const keys = ['007', 'a,b', ' padded ', 'say "hi"', '', 'ключ', '007'];
    const strReqs: Req[] = keys.map((key, i) => ({ time: i * 1000, key, size: i + 1, op: OP_GET, ttl: 0 }));
    const path = join(dir, 'rts.csv');
    writeTrace(csvWriter, path, requestSource(strReqs, 'string', 3));
    const back = csvReader.open(path, { header: true, csv: 'time=1,key=2:string,size=3,op=4,ttl=5' });
    const got = readAll(back);
    const want = readAll(requestSource(strReqs, 'string', 3));
    expect({ ...got, batchLengths: [] }).toEqual({ ...want, batchLengths: [] });
    expect(got.keys).toEqual(['007', 'a,b', ' padded ', 'say "hi"', '', 'ключ']);
  });
});
