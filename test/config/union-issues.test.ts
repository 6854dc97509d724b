/** Failed plain unions reported as what the user can act on, through loadConfig as a config author meets them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sizeField } from '../../src/config/fields.ts';
import { loadConfig } from '../../src/config/load.ts';
import { InputError } from '../../src/errors.ts';

const schema = z.strictObject({
  capacity: z.union([z.literal('infinite'), sizeField]).optional(),
  limit: z.union([z.number(), z.strictObject({ rate: z.number(), burst: z.number().optional() })]).optional(),
  flag: z.union([z.string(), z.union([z.literal(3), z.boolean()])]).optional(),
  workload: z
    .union([
      z.strictObject({ trace: z.string(), format: z.string().optional() }),
      z.strictObject({ preset: z.string() }),
      z.looseObject({ generator: z.string() }),
    ])
    .optional(),
  need: z.union([z.literal('infinite'), sizeField]),
});

/** The problem lines for a config holding `json` (file name stripped). */
function problems(json: unknown): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'cachetopo-union-')), 'c.json');
  writeFileSync(file, JSON.stringify(json));
  try {
    loadConfig(file, schema);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return [(e as InputError).message, ...(e as InputError).more].map((l) => l.slice(file.length + 2));
  }
  throw new Error('expected an InputError');
}

describe('failed unions', () => {
  it('joins the expectations of alternatives of different types', () => {
    expect(problems({ capacity: '4 gigs', flag: 5, need: 1 })).toEqual([
      '/capacity: expected "infinite" or a size like "4GiB", got "4 gigs"',
      '/flag: expected a string or 3 or true or false, got 5',
    ]);
    expect(problems({})).toEqual(['/need: expected "infinite" or a size like "4GiB", got nothing']);
  });

  it('reports the issues of the one branch whose shape fits, at their full paths', () => {
    expect(problems({ limit: { rate: 'x', brust: 1 }, need: 1 })).toEqual([
      '/limit/rate: expected a number, got "x"',
      '/limit/brust: unknown field, expected one of rate, burst',
    ]);
    expect(problems({ workload: { preset: 'zipf', seed: 1 }, need: 1 })).toEqual([
      '/workload/seed: unknown field, expected one of preset',
    ]);
  });

  it('names every form by the keys it lacked when no branch fits', () => {
    expect(problems({ workload: { presett: 'zipf' }, limit: { burst: 1 }, need: 1 })).toEqual([
      '/limit: expected a number or an object with rate, got {"burst":1}',
      '/workload: expected an object with trace or an object with preset or an object with generator, got {"presett":"zipf"}',
    ]);
  });
});
