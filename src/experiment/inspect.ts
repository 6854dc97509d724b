/**
 * `cachetopo ls` and `cachetopo rerun`: looking at a results folder after the fact.
 *
 * ls gives each cell of the manifest a state: done (its file is there and current), missing (not run yet,
 * or in another shard's folder), or stale (its file was computed by other code, from another trace, or
 * its config no longer matches its hash: a run would compute it again).
 *
 * rerun runs one cell again from its file alone — the config, model and seed it records; relative trace
 * paths are read from the directory of the experiment file the manifest names — and compares the new
 * result with the recorded one.
 */
import { dirname, join } from 'node:path';
import { canonicalJson, configHash } from '../config/canonical.ts';
import { InputError } from '../errors.ts';
import type { CellFile, CellParams } from './contract.ts';
import { executeTask } from './execute.ts';
import { codeVersion, workloadHash } from './provenance.ts';
import { cellPath, MANIFEST, readCell, readJsonOrNull, readManifest } from './results.ts';

export type CellState = 'done' | 'missing' | 'stale';

export interface CellListing {
  id: string;
  state: CellState;
  params: CellParams | null;
  seed: number | null;
  /** Why a stale cell is stale. */
  reason?: string;
}

export function listCells(out: string): { experiment: string; cells: CellListing[] } {
  const m = readManifest(out);
  const current = codeVersion();
  const cells = (m.cellIds ?? []).map((id): CellListing => {
    const f = readCell(cellPath(out, id));
    if (f === null) return { id, state: 'missing', params: null, seed: null };
    const p = f.provenance;
    const reason =
      p.codeVersion !== current
        ? `code ${p.codeVersion}, now ${current}`
        : configHash(f.config) !== p.configHash
          ? 'config edited since the run'
          : m.axes.every((a) => !a.name.startsWith('workload')) && p.traceHash !== m.traceHash
            ? 'another trace'
            : undefined;
    return {
      id,
      state: reason === undefined ? 'done' : 'stale',
      params: f.params,
      seed: f.seed,
      ...(reason ? { reason } : {}),
    };
  });
  return { experiment: m.experiment, cells };
}

export interface RerunOutcome {
  identical: boolean;
  /** Lines describing each difference (metrics first, then provenance). */
  differences: string[];
  fresh: CellFile;
}

export async function rerunCell(file: string): Promise<RerunOutcome> {
  const old = readCell(file);
  if (old === null)
    throw new InputError(`${file}: expected a cell file of a results folder (cells/<id>.json)`);
  const manifest = readJsonOrNull(join(dirname(file), '..', MANIFEST)) as { configFile?: string } | null;
  const configFile = manifest?.configFile ?? file;
  const baseDir = manifest?.configFile === undefined ? '.' : dirname(manifest.configFile);
  const config = old.config as Record<string, unknown>;
  const [fresh] = await executeTask({
    model: old.model,
    cells: [
      {
        index: Number.parseInt(old.id, 10),
        id: old.id,
        params: old.params,
        seed: old.seed,
        config: old.config,
        configHash: configHash(old.config),
        traceHash: workloadHash(config.workload, baseDir, configFile),
      },
    ],
    file: configFile,
    baseDir,
    codeVersion: codeVersion(),
    metrics: Object.keys(old.metrics),
  });
  const differences: string[] = [];
  for (const [name, v] of Object.entries(old.metrics)) {
    if (fresh.metrics[name] !== v)
      differences.push(`metric ${name}: recorded ${v}, now ${fresh.metrics[name]}`);
  }
  if (differences.length === 0 && canonicalJson(fresh.result) !== canonicalJson(old.result))
    differences.push('result document differs (metrics equal)');
  if (differences.length > 0) {
    for (const k of ['codeVersion', 'traceHash', 'node'] as const) {
      if (fresh.provenance[k] !== old.provenance[k])
        differences.push(`${k}: recorded ${old.provenance[k]}, now ${fresh.provenance[k]}`);
    }
  }
  return { identical: differences.length === 0, differences, fresh };
}
