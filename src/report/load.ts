/**
 * Reading a results folder (src/experiment/contract.ts: manifest.json, cells/<id>.json, summary.json) and
 * a baseline (a committed baseline.json, or another results folder turned into the same shape) for
 * `cachetopo report`. The only module of the report that touches the file system on the way in; what it
 * returns is plain data for the pure report model. Bad input is one InputError line naming the file and
 * the field.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import type {
  Baseline,
  BaselineEntry,
  CellFile,
  ExperimentManifest,
  Summary,
} from '../experiment/contract.ts';
import { paramsKey } from './groups.ts';

export interface ResultsFolder {
  /** The folder as given, for messages. */
  dir: string;
  manifest: ExperimentManifest;
  summary: Summary;
  /** Every cell file named by the summary or by manifest.idealCellIds, by id. */
  cells: Map<string, CellFile>;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks that `fields` of `v` have the given JSON types; the first mismatch is an InputError. */
function expectFields(
  v: unknown,
  file: string,
  at: string,
  fields: Record<string, 'string' | 'array' | 'object'>,
): Obj {
  if (!isObj(v)) throw new InputError(`${file}: ${at || '/'}: expected an object`);
  for (const [k, kind] of Object.entries(fields)) {
    const x = v[k];
    const ok = kind === 'array' ? Array.isArray(x) : kind === 'object' ? isObj(x) : typeof x === kind;
    if (!ok)
      throw new InputError(`${file}: ${at}/${k}: expected ${kind === 'array' ? 'an array' : `a ${kind}`}`);
  }
  return v;
}

export function loadResults(dir: string): ResultsFolder {
  const manifestPath = join(dir, 'manifest.json');
  const summaryPath = join(dir, 'summary.json');
  if (!existsSync(manifestPath))
    throw new InputError(
      `${dir}: not a results folder (no manifest.json; run \`cachetopo run\` with --out first)`,
    );
  const manifest = expectFields(readJson(manifestPath), manifestPath, '', {
    experiment: 'string',
    model: 'string',
    axes: 'array',
    seeds: 'array',
    metrics: 'array',
    questions: 'array',
  }) as unknown as ExperimentManifest;
  if (manifest.model !== 'topology' && manifest.model !== 'replay')
    throw new InputError(
      `${manifestPath}: /model: expected "topology" or "replay", got ${JSON.stringify(manifest.model)}`,
    );
  const summary = expectFields(readJson(summaryPath), summaryPath, '', {
    cells: 'array',
  }) as unknown as Summary;
  for (const [i, c] of summary.cells.entries())
    expectFields(c, summaryPath, `/cells/${i}`, { id: 'string', params: 'object', metrics: 'object' });
  const cells = new Map<string, CellFile>();
  const ids = [...summary.cells.map((c) => c.id), ...(manifest.idealCellIds ?? [])];
  for (const id of ids) {
    if (cells.has(id)) continue;
    const path = join(dir, 'cells', `${id}.json`);
    const cell = expectFields(readJson(path), path, '', {
      id: 'string',
      params: 'object',
      metrics: 'object',
    });
    cells.set(id, cell as unknown as CellFile);
  }
  return { dir, manifest, summary, cells };
}

/**
 * The baseline for delta columns: a baseline.json as `cachetopo regress --update` writes it, or a results
 * folder, whose summary is regrouped into the same entries (per metric and cells differing only by seed).
 */
export function loadBaseline(path: string): Baseline {
  if (existsSync(path) && statSync(path).isDirectory()) return baselineOf(loadResults(path));
  const b = expectFields(readJson(path), path, '', { format: 'string', entries: 'array' });
  if (b.format !== 'cachetopo-baseline/1')
    throw new InputError(
      `${path}: /format: expected "cachetopo-baseline/1", got ${JSON.stringify(b.format)}`,
    );
  for (const [i, e] of (b.entries as unknown[]).entries())
    expectFields(e, path, `/entries/${i}`, { metric: 'string', params: 'object', values: 'array' });
  return b as unknown as Baseline;
}

function baselineOf(r: ResultsFolder): Baseline {
  const entries = new Map<string, BaselineEntry>();
  const directions = new Map(r.manifest.metrics.map((m) => [m.name, m.direction]));
  for (const c of r.summary.cells) {
    for (const [metric, value] of Object.entries(c.metrics)) {
      const key = `${metric}\u0000${paramsKey(c.params)}`;
      let e = entries.get(key);
      if (!e) {
        e = {
          metric,
          direction: directions.get(metric) ?? 'lower',
          tolerance: {},
          params: c.params,
          seeds: [],
          values: [],
        };
        entries.set(key, e);
      }
      e.seeds.push(c.seed);
      e.values.push(value);
    }
  }
  return {
    format: 'cachetopo-baseline/1',
    experiment: r.manifest.experiment,
    codeVersion: r.manifest.codeVersion,
    configHash: r.manifest.configHash,
    traceHash: r.manifest.traceHash,
    entries: [...entries.values()],
  };
}
