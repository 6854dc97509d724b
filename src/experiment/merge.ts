/**
 * `cachetopo merge`: combines the results folders of the shards of one experiment (`run --shard i/n`)
 * into one, as if it had run unsharded: every cell copied byte for byte, the manifest of the shards, and
 * the summary rebuilt in cell order. Shards of different code versions or configs are refused, and so is
 * a merge that would leave cells missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../trace/writers/atomic-file.ts';
import type { CellFile, Summary } from './contract.ts';
import {
  cellPath,
  MANIFEST,
  prepareFolder,
  readCell,
  readManifest,
  SUMMARY,
  summaryOf,
  writeJson,
} from './results.ts';

export function mergeResults(dirs: readonly string[], out: string): Summary {
  if (dirs.length === 0) throw new InputError('merge: expected at least one results folder');
  const manifests = dirs.map(readManifest);
  const first = manifests[0];
  manifests.forEach((m, i) => {
    for (const field of ['codeVersion', 'configHash'] as const) {
      if (m[field] !== first[field])
        throw new InputError(
          `${join(dirs[i], MANIFEST)}: /${field}: expected ${first[field]} like ${join(dirs[0], MANIFEST)}, got ${m[field]}`,
        );
    }
  });
  const ids = first.cellIds;
  if (ids === undefined)
    throw new InputError(`${join(dirs[0], MANIFEST)}: /cellIds: expected the list of cells`);
  const found: { dir: string; cell: CellFile }[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    let hit: { dir: string; cell: CellFile } | null = null;
    for (const dir of dirs) {
      const cell = readCell(cellPath(dir, id));
      if (cell !== null && cell.provenance.codeVersion === first.codeVersion) {
        hit = { dir, cell };
        break;
      }
    }
    if (hit === null) missing.push(id);
    else found.push(hit);
  }
  if (missing.length > 0)
    throw new InputError(
      `merge: ${missing.length} of ${ids.length} cells are in none of the folders (first: ${missing[0]}); run the missing shards first`,
    );
  prepareFolder(out);
  for (const { dir, cell } of found) {
    if (dir !== out) writeFileAtomic(cellPath(out, cell.id), readFileSync(cellPath(dir, cell.id)));
  }
  writeJson(join(out, MANIFEST), first, true);
  const summary = summaryOf(
    first.experiment,
    found.map((f) => f.cell),
  );
  writeJson(join(out, SUMMARY), summary, true);
  return summary;
}
