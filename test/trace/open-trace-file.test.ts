import { closeSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ByteReader, openTraceFile } from '../../src/trace/byte-reader.ts';
import { ZstdSource } from '../../src/trace/zstd-source.ts';
import { fixture } from '../helpers/shared.ts';

describe('openTraceFile (shared by the plain and zstd byte sources)', () => {
  it('opens a file and reports its size', () => {
    const path = fixture('ids.txt');
    const { fd, size } = openTraceFile(path);
    closeSync(fd);
    expect(size).toBe(statSync(path).size);
  });

  it('names the file and the reason when it cannot be used, for both sources', () => {
    const missing = fixture('absent.bin');
    const dir = fixture('');
    for (const open of [(p: string) => new ByteReader(p), (p: string) => new ZstdSource(p)]) {
      expect(() => open(missing)).toThrow(InputError);
      expect(() => open(missing)).toThrow(`${missing}: cannot open: ENOENT`);
      expect(() => open(dir)).toThrow(`${dir}: is a directory, expected a trace file`);
    }
  });
});
