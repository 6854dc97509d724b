import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBaseline, readBaseline, writeBaseline } from '../../src/regress/baseline.ts';
import { snapshotOf } from '../../src/regress/snapshot.ts';
import { fixture } from '../helpers/shared.ts';

describe('baseline files', () => {
  it('round-trip: what is written reads back equal, and writes the same bytes again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachetopo-baseline-'));
    const path = join(dir, 'nested', 'b.json');
    const b = snapshotOf(fixture('regress/run'));
    writeBaseline(path, b);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(formatBaseline(b));
    expect(readBaseline(path)).toEqual(b);
    writeBaseline(path, readBaseline(path));
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses a malformed baseline with the JSON pointer of every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachetopo-baseline-'));
    const path = join(dir, 'b.json');
    const b = JSON.parse(formatBaseline(snapshotOf(fixture('regress/run'))));
    b.format = 'cachetopo-baseline/0';
    b.entries[1].values.pop();
    writeFileSync(path, JSON.stringify(b));
    let err: { message: string; more: readonly string[] } | undefined;
    try {
      readBaseline(path);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.message).toBe(
      `${path}: /format: expected "cachetopo-baseline/1", got "cachetopo-baseline/0"`,
    );
    expect(err?.more).toEqual([`${path}: /entries/1/values: expected as many values as seeds`]);
  });

  it('points at --update when the file is missing', () => {
    expect(() => readBaseline('nowhere/b.json')).toThrow(
      'nowhere/b.json: cannot read: no such file (create it with cachetopo regress --update)',
    );
  });
});
