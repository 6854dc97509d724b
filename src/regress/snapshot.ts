/**
 * A results folder (src/experiment/contract.ts: manifest.json and summary.json) seen as a baseline: for
 * every metric the manifest names and every group of cells that differ only by seed, the value of each
 * seed. `cachetopo regress` compares two such snapshots, and `--update` writes this one as the new
 * baseline, so the file a team commits is exactly what a run produced.
 *
 * Only the fields the gate needs are validated; writers may add optional fields to the contract.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../config/canonical.ts';
import { readJsonFile, validateConfig } from '../config/load.ts';
import { InputError } from '../errors.ts';
import type { Baseline, BaselineEntry, CellParams, MetricSpec } from '../experiment/contract.ts';
import { BASELINE_FORMAT, directionSchema, paramsSchema, toleranceSchema } from './baseline.ts';

const metricSpecSchema = z.object({
  name: z.string().min(1),
  direction: directionSchema,
  tolerance: toleranceSchema.optional(),
});

const manifestSchema = z.object({
  experiment: z.string(),
  configHash: z.string(),
  codeVersion: z.string(),
  traceHash: z.string(),
  seeds: z.array(z.number().int()),
  metrics: z.array(metricSpecSchema),
});

const summarySchema = z.object({
  experiment: z.string(),
  cells: z.array(
    z.object({
      id: z.string(),
      params: paramsSchema,
      seed: z.number().int(),
      metrics: z.record(z.string(), z.number().nullable()),
    }),
  ),
});

function readValidated<T>(path: string, schema: z.ZodType<T>): T {
  const json = readJsonFile(path);
  return validateConfig({ raw: json, files: [{ file: path, json }] }, schema);
}

/** The snapshot of the results folder `dir`; every inconsistency is an InputError naming the file. */
export function snapshotOf(dir: string): Baseline {
  const manifestPath = join(dir, 'manifest.json');
  const summaryPath = join(dir, 'summary.json');
  const manifest = readValidated(manifestPath, manifestSchema);
  const summary = readValidated(summaryPath, summarySchema);
  if (summary.experiment !== manifest.experiment)
    throw new InputError(
      `${summaryPath}: /experiment: expected "${manifest.experiment}" as in manifest.json, got "${summary.experiment}"`,
    );
  if (manifest.metrics.length === 0)
    throw new InputError(`${manifestPath}: /metrics: expected at least one metric to compare, got []`);

  const groups = new Map<string, { params: CellParams; cells: number[] }>();
  summary.cells.forEach((cell, i) => {
    const key = canonicalJson(cell.params);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { params: cell.params, cells: [i] });
    else group.cells.push(i);
  });

  const entries: BaselineEntry[] = [];
  for (const spec of manifest.metrics as MetricSpec[]) {
    for (const { params, cells } of groups.values()) {
      const values = cells.map((i) => {
        const v = summary.cells[i].metrics[spec.name];
        if (v === undefined)
          throw new InputError(
            `${summaryPath}: /cells/${i}/metrics: expected "${spec.name}" (named in manifest.json), got no such field`,
          );
        return v;
      });
      entries.push({
        metric: spec.name,
        direction: spec.direction,
        tolerance: spec.tolerance ?? {},
        params,
        seeds: cells.map((i) => summary.cells[i].seed),
        values,
      });
    }
  }
  return {
    format: BASELINE_FORMAT,
    experiment: manifest.experiment,
    codeVersion: manifest.codeVersion,
    configHash: manifest.configHash,
    traceHash: manifest.traceHash,
    entries,
  };
}
