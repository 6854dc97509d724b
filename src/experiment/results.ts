/**
 * Reading and writing a results folder (contract.ts): manifest.json, cells/<id>.json, summary.json. Every
 * file is written atomically (temp + rename), so a reader — or a resumed run — sees a whole file or none.
 * Manifest and summary are indented for people; cell files, which carry time series, are compact.
 *
 * A finished cell can be reused when its provenance matches what would be computed now: the same cell
 * config hash, code version and trace hash (the resume key).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../trace/writers/atomic-file.ts';
import type { CellFile, ExperimentManifest, Summary } from './contract.ts';
import type { ExperimentPlan, PlannedCell } from './plan.ts';

export const MANIFEST = 'manifest.json';
export const SUMMARY = 'summary.json';
export const CELLS = 'cells';

export function cellPath(out: string, id: string): string {
  return join(out, CELLS, `${id}.json`);
}

export function writeJson(path: string, value: unknown, indent: boolean): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, indent ? 2 : undefined)}\n`);
}

/** Creates `<out>/cells` and removes temporary files a killed run may have left there. */
export function prepareFolder(out: string): void {
  try {
    mkdirSync(join(out, CELLS), { recursive: true });
  } catch (e) {
    throw new InputError(`--out ${out}: cannot create the directory: ${(e as NodeJS.ErrnoException).code}`);
  }
  for (const name of readdirSync(join(out, CELLS))) {
    if (name.startsWith('.') && name.endsWith('.tmp')) rmSync(join(out, CELLS, name), { force: true });
  }
}

/** A JSON file's contents, or null when it is absent or not JSON. */
export function readJsonOrNull(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

export function readCell(path: string): CellFile | null {
  const v = readJsonOrNull(path) as CellFile | null;
  return v !== null && typeof v === 'object' && typeof v.provenance === 'object' ? v : null;
}

/** Whether a cell file holds what running `cell` with this code would compute. */
export function isCurrent(file: CellFile, cell: PlannedCell, codeVersion: string): boolean {
  const p = file.provenance;
  return (
    file.id === cell.id &&
    p.configHash === cell.configHash &&
    p.codeVersion === codeVersion &&
    p.traceHash === cell.traceHash &&
    p.seed === cell.seed
  );
}

/** The manifest of a plan; `traceHash` is the workload's, or a hash of all of them when cells differ. */
export function manifestOf(plan: ExperimentPlan, codeVersion: string, traceHash: string): ExperimentManifest {
  return {
    experiment: plan.name,
    model: plan.model,
    configHash: plan.configHash,
    codeVersion,
    traceHash,
    axes: plan.axes,
    seeds: plan.seeds,
    metrics: plan.metrics,
    questions: plan.questions,
    ...(plan.cost === undefined ? {} : { cost: plan.cost }),
    ...(plan.faults.length === 0 ? {} : { faults: plan.faults }),
    ...(plan.idealCellIds.length === 0 ? {} : { idealCellIds: plan.idealCellIds }),
    cellIds: plan.cells.map((c) => c.id),
    configFile: plan.file,
  };
}

/** The summary of `cells`, in the order given (the plan's). */
export function summaryOf(experiment: string, cells: readonly CellFile[]): Summary {
  return {
    experiment,
    cells: cells.map((c) => ({ id: c.id, params: c.params, seed: c.seed, metrics: c.metrics })),
  };
}

export function readManifest(out: string): ExperimentManifest {
  const m = readJsonOrNull(join(out, MANIFEST)) as ExperimentManifest | null;
  if (m === null || typeof m !== 'object' || typeof m.experiment !== 'string')
    throw new InputError(
      `${join(out, MANIFEST)}: expected the manifest of a results folder (cachetopo run --out)`,
    );
  return m;
}
