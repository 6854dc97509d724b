import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, TraceFormatError } from '../../src/errors.ts';
import type { RequestSource } from '../../src/trace/api.ts';
import { csvReader } from '../../src/trace/readers/csv.ts';
import { openPlainText, plainTextReader } from '../../src/trace/readers/plain-text.ts';
import { readAll } from '../helpers/memory-source.ts';
import { fixture, sharedFile } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-txt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tmp(content: string): string {
  const path = join(dir, `t${fileNo++}.txt`);
  writeFileSync(path, content);
  return path;
}

describe('plain-text reader', () => {
  it('reads one u64 id per line: \\r\\n, blank lines, no final newline, ids above 2^53 distinct', () => {
    const src = plainTextReader.open(fixture('ids.txt'), {});
    expect(src.info).toMatchObject({
      format: 'txt',
      hasTime: false,
      hasSize: false,
      hasOp: false,
      hasTtl: false,
      hasNext: false,
      keyKind: 'u64',
    });
    const r = readAll(src);
    expect(r.keys).toEqual(['15943', '9007199254740993', '9007199254740992', '18446744073709551615']);
    expect(r.key).toEqual([0, 1, 2, 0, 3]);
    expect(r.time).toEqual([0, 0, 0, 0, 0]);
    expect(r.size).toEqual([1, 1, 1, 1, 1]);
    expect(r.op).toEqual([0, 0, 0, 0, 0]);
  });

  it('reads string ids when the first line is not a canonical integer; lines are taken verbatim', () => {
    const src = openPlainText(tmp('a,b\n1\n01\n"q"\n1 \n1\n'), {});
    expect(src.info.keyKind).toBe('string');
    const r = readAll(src);
    expect(r.keys).toEqual(['a,b', '1', '01', '"q"', '1 ']);
    expect(r.key).toEqual([0, 1, 2, 3, 4, 1]);
  });

  it('gives the same requests with any buffer size', () => {
    const path = fixture('ids.txt');
    const want = readAll(openPlainText(path, {}));
    for (let chunk = 1; chunk <= 30; chunk++) expect(readAll(openPlainText(path, {}, chunk))).toEqual(want);
  });

  it('a non-numeric line in a numeric file is an error naming the line and the way out', () => {
    const path = tmp('1\n2\n\nx7\n');
    let err: unknown;
    try {
      readAll(openPlainText(path, {}));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TraceFormatError);
    const e = err as TraceFormatError;
    expect(e.location).toEqual({ line: 4 });
    expect(e.field).toBe('id');
    expect(e.message).toBe(
      `${path}:4: id: expected a decimal integer below 2^64 without leading zeros, got "x7" (the first row's ` +
        'key is numeric, so keys are read as numbers; to read string ids, use --format csv --csv key=1:string)',
    );
    // The suggested way out works.
    expect(readAll(csvReader.open(path, { csv: 'key=1:string' })).keys).toEqual(['1', '2', 'x7']);
  });

  it('empty file and options that do not apply', () => {
    expect(() => openPlainText(tmp(''), {})).toThrow(
      /t\d+\.txt:1: id: empty file; expected one request a line$/,
    );
    const path = tmp('1\n');
    expect(() => openPlainText(path, { header: true })).toThrow(InputError);
    expect(() => openPlainText(path, { csv: 'key=1' })).toThrow('do not apply to the txt format');
  });
});

function keyIds(src: RequestSource): Uint32Array {
  const ids: number[] = [];
  for (let b = src.next(); b !== null; b = src.next()) ids.push(...b.key.subarray(0, b.length));
  src.close();
  return Uint32Array.from(ids);
}

describe('cloudPhysicsIO.txt (../shared, no newline after the last line)', () => {
  it('gives 113,872 requests and 48,974 keys, the same key sequence as the csv file', (ctx) => {
    const txt = sharedFile('traces/cloudPhysicsIO.txt');
    const csv = sharedFile('traces/cloudPhysicsIO.csv');
    if (!txt || !csv) return ctx.skip();
    const src = plainTextReader.open(txt, {});
    const ids = keyIds(src);
    expect([ids.length, src.keys.size]).toEqual([113_872, 48_974]);
    expect(src.keys.keyOf(ids[ids.length - 1])).toBe('42936150');
    const fromCsv = csvReader.open(csv, { csv: 'key=5', header: true });
    expect(keyIds(fromCsv)).toEqual(ids);
  });
});
