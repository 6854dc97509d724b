import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, TraceFormatError } from '../../src/errors.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../../src/trace/api.ts';
import { openTwitter, twitterReader } from '../../src/trace/readers/twitter.ts';
import { readAll } from '../helpers/memory-source.ts';
import { fixture } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-twitter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function tmp(content: string): string {
  const path = join(dir, `t${fileNo++}.twitter.csv`);
  writeFileSync(path, content);
  return path;
}

function formatError(content: string): TraceFormatError {
  const path = tmp(content);
  try {
    readAll(openTwitter(path, {}));
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    expect((e as Error).message.startsWith(`${path}:`)).toBe(true);
    return e as TraceFormatError;
  }
  throw new Error('expected an error');
}

describe('Twitter cache-trace reader', () => {
  it('decodes the sample: size = key + value size, every memcached command mapped, string keys', () => {
    const src = twitterReader.open(fixture('sample.twitter.csv'), {});
    expect(src.info).toMatchObject({
      format: 'twitter',
      hasTime: true,
      hasSize: true,
      hasOp: true,
      hasTtl: true,
      hasNext: false,
      keyKind: 'string',
    });
    const r = readAll(src);
    expect(r.time).toEqual([0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 5].map((s) => s * 1_000_000));
    expect(r.keys).toEqual(['nz:u:eeW511', 'nz:u:12345', 'a']);
    expect(r.key).toEqual([0, 0, 1, 2, 2, 2, 2, 2, 1, 1, 2]);
    expect(r.size).toEqual([110, 10, 2009, 6, 6, 7, 10, 13, 10, 10, 1]);
    // get gets set add replace cas append prepend incr decr delete
    expect(r.op).toEqual([
      OP_GET,
      OP_GET,
      OP_SET,
      OP_SET,
      OP_SET,
      OP_SET,
      OP_SET,
      OP_SET,
      OP_SET,
      OP_SET,
      OP_DELETE,
    ]);
    expect(r.ttl).toEqual([0, 0, 3600, 60, 60, 60, 60, 60, 0, 0, 0]);
  });

  it('keeps numeric-looking keys as strings, so "1" and "01" stay two keys', () => {
    const src = openTwitter(tmp('0,1,1,1,1,get,0\n0,01,2,1,1,GET,0\n0,1,1,1,1,Gets,0\n'), {});
    expect(src.info.keyKind).toBe('string');
    const r = readAll(src);
    expect(r.keys).toEqual(['1', '01']);
    expect(r.key).toEqual([0, 1, 0]);
    expect(r.op).toEqual([OP_GET, OP_GET, OP_GET]);
  });

  it('gives the same requests with any buffer size', () => {
    const path = fixture('sample.twitter.csv');
    const want = readAll(openTwitter(path, {}));
    for (let chunk = 1; chunk <= 48; chunk += 3) expect(readAll(openTwitter(path, {}, chunk))).toEqual(want);
  });

  it('skips a header line with --header', () => {
    const r = readAll(
      openTwitter(tmp('timestamp,key,ks,vs,client,op,ttl\n7,k,1,2,3,set,9\n'), { header: true }),
    );
    expect(r.time).toEqual([7_000_000]);
    expect(r.size).toEqual([3]);
  });

  it('errors name the line and the column', () => {
    const ok = '0,k,1,1,1,get,0\n';
    let e = formatError(`${ok}1,k,1,1,1,frob,0\n`);
    expect(e.location).toEqual({ line: 2 });
    expect(e.field).toBe('operation');
    expect(e.message).toMatch(
      /:2: operation: expected one of get, gets, set, add, replace, cas, append, prepend, incr, decr, delete, got "frob"$/,
    );
    e = formatError(`${ok}${ok}1,k,1,x,1,get,0\n`);
    expect(e.message).toMatch(/:3: value size: expected an integer number of bytes below 2\^32, got "x"$/);
    expect(formatError(`${ok}1,k,-1,1,1,get,0\n`).field).toBe('key size');
    expect(formatError(`${ok}1,k,4294967295,1,1,get,0\n`).message).toMatch(
      /:2: value size: sizes add up to 2\^32 bytes or more, got "1"$/,
    );
    expect(formatError(`${ok}t,k,1,1,1,get,0\n`).field).toBe('timestamp');
    expect(formatError(`${ok}1,k,1,1,1,set,soon\n`).field).toBe('TTL');
    e = formatError(`${ok}1,k,1,1,1,get\n`);
    expect(e.message).toMatch(/:2: TTL: column 7 is past the end of the row \(6 columns\)$/);
    expect(formatError('').message).toMatch(/:1: key: empty file/);
  });

  it('rejects CSV options that do not apply', () => {
    const path = tmp('0,k,1,1,1,get,0\n');
    expect(() => openTwitter(path, { csv: 'key=2' })).toThrow(InputError);
    expect(() => openTwitter(path, { delimiter: ';' })).toThrow('do not apply to the twitter format');
  });
});
