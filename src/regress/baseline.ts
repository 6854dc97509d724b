/**
 * The committed regression baseline (format `cachetopo-baseline/1`, the Baseline type of
 * src/experiment/contract.ts): read and validated with zod so a hand-edited or truncated file is refused
 * with one line naming the file and the JSON pointer, and written atomically so an interrupted
 * `cachetopo regress --update` never leaves half a baseline behind.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { readJsonFile, validateConfig } from '../config/load.ts';
import { InputError } from '../errors.ts';
import type { Baseline, CellParams, JsonValue } from '../experiment/contract.ts';
import { writeFileAtomic } from '../trace/writers/atomic-file.ts';

export const BASELINE_FORMAT = 'cachetopo-baseline/1';

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

export const toleranceSchema = z.strictObject({
  abs: z.number().min(0).optional(),
  rel: z.number().min(0).optional(),
});

export const directionSchema = z.enum(['lower', 'higher']);

export const paramsSchema: z.ZodType<CellParams> = z.record(z.string(), jsonValue);

const entrySchema = z
  .strictObject({
    metric: z.string().min(1),
    direction: directionSchema,
    tolerance: toleranceSchema,
    params: paramsSchema,
    seeds: z.array(z.number().int()),
    values: z.array(z.number().nullable()),
  })
  .refine((e) => e.seeds.length === e.values.length, {
    message: 'expected as many values as seeds',
    path: ['values'],
  });

export const baselineSchema = z.strictObject({
  format: z.literal(BASELINE_FORMAT),
  experiment: z.string(),
  codeVersion: z.string(),
  configHash: z.string(),
  traceHash: z.string(),
  entries: z.array(entrySchema),
});

/** Reads and validates a baseline file; a missing file points at `--update`, which creates it. */
export function readBaseline(path: string): Baseline {
  if (!existsSync(path))
    throw new InputError(`${path}: cannot read: no such file (create it with cachetopo regress --update)`);
  const json = readJsonFile(path);
  return validateConfig({ raw: json, files: [{ file: path, json }] }, baselineSchema);
}

/** The baseline as its file's text: two-space JSON with a final newline, so diffs in review stay small. */
export function formatBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

/** Writes the baseline atomically, creating its directory. */
export function writeBaseline(path: string, b: Baseline): void {
  writeFileAtomic(path, formatBaseline(b), { mkdir: true });
}
