import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, TraceFormatError } from '../../src/errors.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../../src/trace/api.ts';
import { csvReader, openCsv, parseDelimiter, parseMapping, parseOps } from '../../src/trace/readers/csv.ts';
import { MAX_RECORD_BYTES } from '../../src/trace/readers/field-scanner.ts';
import type { ReaderOptions } from '../../src/trace/registry.ts';
import { csvWriter } from '../../src/trace/writers/csv.ts';
import { readAll, requestSource, writeTrace } from '../helpers/memory-source.ts';
import { fixture, sharedFile } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tmp(content: string | Buffer): string {
  const path = join(dir, `t${fileNo++}.csv`);
  writeFileSync(path, content);
  return path;
}

const MAP = 'time=1,key=2,size=3,op=4,ttl=5';

/** The error that reading the whole file throws (from open or from next). */
function errorOf(path: string, opts: ReaderOptions, chunkBytes?: number): TraceFormatError | InputError {
  try {
    readAll(openCsv(path, opts, chunkBytes));
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

function formatError(content: string, opts: ReaderOptions = { csv: MAP }): TraceFormatError {
  const path = tmp(content);
  const e = errorOf(path, opts);
  expect(e).toBeInstanceOf(TraceFormatError);
  expect(e.message.startsWith(path)).toBe(true);
  return e as TraceFormatError;
}

describe('CSV reader with a column mapping', () => {
  it('decodes times (s → µs), keys, sizes, ops, ttls; \\r\\n endings; no newline at the end', () => {
    const path = tmp(
      '1,10,100,get,0\n1.5,11,200,SET,60\r\n2.0000005,10,300,delete,0\n\n0.25,12,4294967295,Read,7',
    );
    const src = openCsv(path, { csv: MAP });
    expect(src.info).toMatchObject({
      format: 'csv',
      name: path,
      hasTime: true,
      hasSize: true,
      hasOp: true,
      hasTtl: true,
      hasNext: false,
      keyKind: 'u64',
      provenance: { kind: 'file', path, format: 'csv' },
    });
    const r = readAll(src);
    expect(r.time).toEqual([1_000_000, 1_500_000, 2_000_001, 250_000]);
    expect(r.key).toEqual([0, 1, 0, 2]);
    expect(r.keys).toEqual(['10', '11', '12']);
    expect(r.size).toEqual([100, 200, 300, 4_294_967_295]);
    expect(r.op).toEqual([OP_GET, OP_SET, OP_DELETE, OP_GET]);
    expect(r.ttl).toEqual([0, 60, 0, 7]);
    expect(r.next).toBeNull();
  });

  it('defaults unmapped fields: time 0, size 1, op get, ttl 0; columns in any order', () => {
    const r = readAll(openCsv(tmp('x,7\ny,8\nz,7\n'), { csv: 'key=2' }));
    expect(r.time).toEqual([0, 0, 0]);
    expect(r.size).toEqual([1, 1, 1]);
    expect(r.op).toEqual([OP_GET, OP_GET, OP_GET]);
    expect(r.ttl).toEqual([0, 0, 0]);
    expect(r.keys).toEqual(['7', '8']);
    const s = openCsv(tmp('5,k\n'), { csv: 'key=2,time=1' });
    expect(s.info).toMatchObject({
      hasTime: true,
      hasSize: false,
      hasOp: false,
      hasTtl: false,
      keyKind: 'string',
    });
    expect(readAll(s).time).toEqual([5_000_000]);
  });

  it('reads exponent, signed and space-padded numbers', () => {
    const r = readAll(openCsv(tmp('1.5e3,1, 42 ,get, 9\n-2.5,2,0,get,0\n'), { csv: MAP }));
    expect(r.time).toEqual([1_500_000_000, -2_500_000]);
    expect(r.size).toEqual([42, 0]);
    expect(r.ttl).toEqual([9, 0]);
  });

  it('reads the next-request column: -1 or an index', () => {
    const src = openCsv(tmp('a,2\nb,-1\na,-1\n'), { csv: 'key=1,next=2' });
    expect(src.info.hasNext).toBe(true);
    expect(readAll(src).next).toEqual([2, -1, -1]);
  });

  it('skips the header line when a mapping is given', () => {
    const r = readAll(openCsv(tmp('t,k\n3,99\n'), { csv: 'time=1,key=2', header: true }));
    expect(r.time).toEqual([3_000_000]);
    expect(r.keys).toEqual(['99']);
  });

  it('finds the columns by header name without a mapping', () => {
    const src = openCsv(fixture('requests-by-name.csv'), { header: true });
    expect(src.info.keyKind).toBe('u64');
    const r = readAll(src);
    expect(r.time).toEqual([5_633_898_000_000, 5_633_898_500_000, 5_633_899_000_001]);
    expect(r.keys).toEqual(['15943', '18446744073709551615']);
    expect(r.key).toEqual([0, 1, 0]);
    expect(r.size).toEqual([4096, 512, 1]);
    expect(r.op).toEqual([OP_GET, OP_SET, OP_DELETE]);
    expect(r.ttl).toEqual([0, 60, 0]);
  });

  it('prefers key over obj_id over id in the header; header-only gives no requests', () => {
    expect(readAll(openCsv(tmp('id,obj_id\n1,2\n'), { header: true })).keys).toEqual(['2']);
    expect(readAll(openCsv(tmp('id,KEY ,obj_id\n1,2,3\n'), { header: true })).keys).toEqual(['2']);
    expect(readAll(openCsv(tmp('\uFEFFkey,size\n1,2\n'), { header: true })).size).toEqual([2]);
    const src = openCsv(tmp('time,key\n'), { header: true });
    expect(src.next()).toBeNull();
    src.close();
  });

  it('reads back what the CSV writer writes', () => {
    const path = join(dir, 'written.csv');
    const reqs = [
      { time: 5_633_898_000_001, key: 'a,b', size: 512, op: OP_SET, ttl: 60 },
      { time: 1_500_000, key: 'say "hi"', size: 1, op: OP_DELETE, ttl: 0 },
      { time: 3_000_000, key: 'a,b', size: 9, op: OP_GET, ttl: 5 },
    ] as const;
    writeTrace(csvWriter, path, requestSource([...reqs], 'string', 2));
    const r = readAll(openCsv(path, { header: true }));
    expect(r.keys).toEqual(['a,b', 'say "hi"']);
    expect(r.key).toEqual([0, 1, 0]);
    expect(r.time).toEqual(reqs.map((q) => q.time));
    expect(r.size).toEqual(reqs.map((q) => q.size));
    expect(r.op).toEqual(reqs.map((q) => q.op));
    expect(r.ttl).toEqual(reqs.map((q) => q.ttl));
  });
});

describe('CSV delimiters, quotes and op values', () => {
  it('takes any single ASCII delimiter, \\t as tab', () => {
    expect(readAll(openCsv(tmp('1\t5\n2\t6\n'), { csv: 'time=1,key=2', delimiter: '\\t' })).keys).toEqual([
      '5',
      '6',
    ]);
    expect(readAll(openCsv(tmp('1;5,6\n'), { csv: 'time=1,key=2', delimiter: ';' })).keys).toEqual(['5,6']);
    expect(parseDelimiter(undefined)).toBe(44);
    expect(parseDelimiter('\t')).toBe(9);
    for (const bad of [';;', '', '"', '\n', 'é']) expect(() => parseDelimiter(bad)).toThrow(InputError);
  });

  it('reads RFC 4180 quoted fields: delimiters, "" and line breaks inside, \\r\\n after', () => {
    const path = tmp('"a,b",1\r\n"say ""hi""",2\n"two\nlines",3\n"",4\nx"y,5\n"3",6\n');
    const r = readAll(openCsv(path, { csv: 'key=1,size=2' }));
    expect(r.keys).toEqual(['a,b', 'say "hi"', 'two\nlines', '', 'x"y', '3']);
    expect(r.size).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('maps op values given by --csv-ops, without regard to case, replacing the names', () => {
    const r = readAll(openCsv(tmp('1,28\n2,2A\n3,2a\n'), { csv: 'key=1,op=2', csvOps: '28=get,2a=set' }));
    expect(r.op).toEqual([OP_GET, OP_SET, OP_SET]);
    const e = formatError('1,28\n2,get\n', { csv: 'key=1,op=2', csvOps: '28=get,2a=set' });
    expect(e.message).toMatch(/:2: op: expected one of 28, 2a, got "get"$/);
    expect(e.location).toEqual({ line: 2 });
    expect(e.field).toBe('op');
  });

  it('rejects bad mappings and op tables with one line naming the option', () => {
    expect(() => parseMapping('time=1')).toThrow('--csv "time=1": the key column is required (e.g. key=2)');
    expect(() => parseMapping('key=2,color=3')).toThrow('unknown field "color"; expected one of time, key');
    expect(() => parseMapping('key=2,key=3')).toThrow('field key is mapped twice');
    expect(() => parseMapping('key=0')).toThrow('key: expected a column from 1');
    expect(() => parseMapping('key=two')).toThrow('expected field=column');
    expect(() => parseMapping('key=1,size=2:string')).toThrow('only the key can be read as :string');
    expect(parseMapping(' Key = 3 : string , TIME=1')).toEqual({
      columns: { key: 2, time: 0 },
      stringKeys: true,
    });
    expect(() => parseOps('28=fetch')).toThrow('--csv-ops "28=fetch": expected value=op with op one of get');
    expect(() => parseOps('28')).toThrow('got "28"');
    expect(() => parseOps('a=get,A=set')).toThrow('value "A" is mapped twice');
  });
});

describe('CSV keys', () => {
  it('parses every length of 64-bit decimal id exactly (seeded random ids, checked with BigInt)', () => {
    let x = 0x9e3779b97f4a7c15n;
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) {
      // xorshift64 over BigInt, then cut to 1–20 digits so every branch of the parser is taken.
      x ^= (x << 13n) & 0xffffffffffffffffn;
      x ^= x >> 7n;
      x ^= (x << 17n) & 0xffffffffffffffffn;
      const digits = x.toString().slice(0, 1 + (i % 20));
      ids.push(BigInt(digits).toString());
    }
    const r = readAll(openCsv(tmp(`${ids.join('\n')}\n`), { csv: 'key=1' }));
    const distinct = [...new Set(ids)];
    expect(r.keys).toEqual(distinct);
    expect(r.key).toEqual(ids.map((k) => distinct.indexOf(k)));
  });

  it('keeps 64-bit ids above 2^53 distinct (they share a double)', () => {
    const src = openCsv(tmp('9007199254740993\n9007199254740992\n9007199254740993\n18446744073709551615\n'), {
      csv: 'key=1',
    });
    expect(src.info.keyKind).toBe('u64');
    const r = readAll(src);
    expect(r.key).toEqual([0, 1, 0, 2]);
    expect(r.keys).toEqual(['9007199254740993', '9007199254740992', '18446744073709551615']);
  });

  it('reads string keys when the first key is not a canonical integer, never folding distinct texts', () => {
    const src = openCsv(tmp('k1\n1\n01\n1.0\n 1\n1\nk1\n'), { csv: 'key=1' });
    expect(src.info.keyKind).toBe('string');
    const r = readAll(src);
    expect(r.keys).toEqual(['k1', '1', '01', '1.0', ' 1']);
    expect(r.key).toEqual([0, 1, 2, 3, 4, 1, 0]);
  });

  it('key=N:string forces string keys', () => {
    const src = openCsv(tmp('5\n7\nabc\n'), { csv: 'key=1:string' });
    expect(src.info.keyKind).toBe('string');
    expect(readAll(src).keys).toEqual(['5', '7', 'abc']);
  });

  it('a non-numeric key after a numeric first row is an error naming its line and the fix', () => {
    for (const bad of ['abc', '007', '18446744073709551616', '-1']) {
      const e = formatError(`5\n7\n\n${bad}\n`, { csv: 'key=1' });
      expect(e.location).toEqual({ line: 4 });
      expect(e.field).toBe('key');
      expect(e.message).toContain(`got "${bad}"`);
      expect(e.message).toContain('map it as key=1:string');
    }
  });
});

describe('CSV reading across chunk boundaries', () => {
  it('gives the same requests with any buffer size, lines crossing refills', () => {
    // Mixed \n and \r\n endings, 64-bit keys, a quoted op, and no newline after the last line.
    const lines = Array.from({ length: 40 }, (_, i) => {
      const key = i % 3 === 0 ? '18446744073709551615' : String(9_007_199_254_740_000 + (i % 11));
      return `${i}.${i % 7},${key},${i * 13},${i % 2 ? 'get' : '"set"'},${i % 5}`;
    });
    const text =
      `time,key,size,op,ttl\n${lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('')}`.trimEnd();
    const path = tmp(text);
    const want = readAll(openCsv(path, { header: true }));
    expect(want.time.length).toBe(40);
    expect(want.keys.length).toBe(12);
    for (let chunk = 1; chunk <= 40; chunk++) {
      expect(readAll(openCsv(path, { header: true }, chunk)), `chunk ${chunk}`).toEqual(want);
    }
  });

  it('reports the right line when the bad line crosses a refill', () => {
    const path = tmp('1,1\n2,2\n3,three\n4,4\n');
    for (const chunk of [1, 3, 5, 9, 64]) {
      const e = errorOf(path, { csv: 'time=1,size=2,key=1' }, chunk) as TraceFormatError;
      expect(e.location).toEqual({ line: 3 });
      expect(e.field).toBe('size');
    }
  });
});

describe('CSV errors: one line naming file, line and field', () => {
  const OK = '1,1,1,get,0\n';

  it('non-numeric or missing numeric fields', () => {
    expect(formatError('1,1,1,get,0\n1,1,1,get,0\nx,1,1,get,0\n').message).toMatch(
      /:3: time: expected a number of seconds, got "x"$/,
    );
    expect(formatError('1,1,1,get,0\n1,1,,get,0\n').message).toMatch(
      /:2: size: expected an integer number of bytes below 2\^32, got ""$/,
    );
    expect(formatError(`${OK}1,1,4294967296,get,0\n`).message).toMatch(/:2: size: .*got "4294967296"$/);
    expect(formatError(`${OK}1,1,1.5,get,0\n`).message).toMatch(/:2: size: .*got "1.5"$/);
    expect(formatError(`${OK}1,1,1,get,-1\n`).message).toMatch(
      /:2: ttl: expected an integer number of seconds below 2\^32, got "-1"/,
    );
    expect(formatError(`${OK}1,1,1,fetch,0\n`).message).toMatch(
      /:2: op: expected one of get, read, set, write, delete, got "fetch"$/,
    );
    expect(formatError('a,2\na,-2\n', { csv: 'key=1,next=2' }).message).toMatch(
      /:2: next: expected -1 or the 0-based index of a later request, got "-2"$/,
    );
  });

  it('a mapped column past the end of a row names the line and the field', () => {
    const e = formatError('1,1,1,get,0\n1,1,1\n');
    expect(e.location).toEqual({ line: 2 });
    expect(e.field).toBe('op');
    expect(e.message).toMatch(/:2: op: column 4 is past the end of the row \(3 columns\)$/);
    expect(formatError('1\n', { csv: 'time=1,key=3' }).message).toMatch(/:1: key: column 3 is past the end/);
  });

  it('suggests --header when line 1 does not parse', () => {
    expect(formatError('time,key\n1,2\n', { csv: 'time=1,key=2' }).message).toBe(
      `${dir}/t${fileNo - 1}.csv:1: time: expected a number of seconds, got "time" (if line 1 is a header, pass --header)`,
    );
  });

  it('bad quotes', () => {
    const e = formatError('"a",1\n"b"c,2\n', { csv: 'key=1,size=2' });
    expect(e.message).toMatch(/:2: column 1: expected a delimiter or the line end after the closing quote$/);
    expect(formatError('"a",1\n"b,2\n', { csv: 'key=1,size=2' }).message).toMatch(
      /:2: column 1: unterminated quoted field/,
    );
  });

  it('a file with no line end within the record limit is rejected, not buffered without bound', () => {
    const e = formatError(`1,${'k'.repeat(MAX_RECORD_BYTES + 10)}`, { csv: 'time=1,key=2' });
    expect(e.location).toEqual({ line: 1 });
    expect(e.field).toBe('line');
  });

  it('empty file; no mapping and no header; header without a key column', () => {
    for (const content of ['', '\n\n']) {
      const e = formatError(content);
      expect(e.location).toEqual({ line: 1 });
      expect(e.message).toMatch(/empty file/);
    }
    expect(formatError('', { header: true }).field).toBe('header');
    const path = tmp('1,2\n');
    const e = errorOf(path, {});
    expect(e).not.toBeInstanceOf(TraceFormatError);
    expect(e.message).toBe(
      `${path}: the CSV column mapping is required: pass --csv (e.g. time=1,key=2,size=3,op=4), ` +
        'or --header to find the columns time, key (obj_id, id), size, op, ttl by name',
    );
    expect(formatError('time,lbn\n1,2\n', { header: true }).message).toMatch(
      /:1: key: no column named key, obj_id or id in the header \(columns: time, lbn\); map the columns with --csv$/,
    );
  });

  it('a missing file is an InputError', () => {
    expect(() => csvReader.open(join(dir, 'absent.csv'), { csv: 'key=1' })).toThrow(
      /absent\.csv: cannot open: ENOENT/,
    );
  });
});

describe('cloudPhysicsIO.csv (../shared)', () => {
  it('gives 113,872 requests, 48,974 keys, 46,974 gets, 66,898 sets and 4,205,978,112 bytes', (ctx) => {
    const path = sharedFile('traces/cloudPhysicsIO.csv');
    if (!path) return ctx.skip();
    const src = csvReader.open(path, {
      csv: 'time=2,key=5,size=4,op=3',
      csvOps: '28=get,2a=set',
      header: true,
    });
    expect(src.info.keyKind).toBe('u64');
    let n = 0;
    let gets = 0;
    let sets = 0;
    let bytes = 0;
    let first = -1;
    let last = -1;
    for (let b = src.next(); b !== null; b = src.next()) {
      for (let i = 0; i < b.length; i++) {
        if (b.op[i] === OP_GET) gets++;
        else if (b.op[i] === OP_SET) sets++;
        bytes += b.size[i];
        if (first < 0) first = b.time[i];
        last = b.time[i];
      }
      n += b.length;
    }
    expect(src.progress().done).toBe(src.progress().total);
    src.close();
    expect([n, src.keys.size, gets, sets, bytes]).toEqual([113_872, 48_974, 46_974, 66_898, 4_205_978_112]);
    expect([first, last]).toEqual([5_633_898_000_000, 5_641_098_000_000]);
    expect(src.keys.keyOf(0)).toBe('42932745');
  });
});
