/**
 * What openWorkload accepts: a preset, a spec file, or the spec's JSON itself (inline, as replay
 * experiments hand it to their workers), each giving the same requests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { looksLikeSpec, openWorkload } from '../../src/trace/workload.ts';
import { tempDir } from '../experiment/fixtures.ts';
import { readAll } from '../helpers/memory-source.ts';

const spec = { generator: 'zipf', requests: 500, objects: 50, alpha: 0.8, seed: 3 };

describe('openWorkload', () => {
  it('opens an inline spec exactly as the same spec in a file', () => {
    const file = join(tempDir(), 'w.json');
    writeFileSync(file, JSON.stringify(spec));
    const inline = JSON.stringify(spec);
    expect(looksLikeSpec(inline)).toBe(true);
    expect(looksLikeSpec(` ${inline}`)).toBe(true);
    const a = readAll(openWorkload(inline));
    const b = readAll(openWorkload(file));
    expect(a.key.length).toBe(500);
    expect(a).toEqual(b);
  });

  it('names an inline spec in its errors, not a file', () => {
    expect(() => openWorkload('{"generator": 3}')).toThrow(
      new InputError('inline generator spec: /generator: expected a generator name, got 3'),
    );
    expect(() => openWorkload('{not json')).toThrow(/^inline generator spec: not valid JSON/);
  });
});
