/**
 * Loading an experiment config: read JSON, resolve `extends`, drop annotations, validate, hash.
 *
 * - A config may name another in `extends` (a path relative to itself); the chain is followed to its root
 *   and merged from the root down, each child over its parent: objects merge key by key, and anything else
 *   (arrays, strings, numbers, null) replaces the parent's value whole — so a child can change one field
 *   of a tier without restating the tier, and a list means exactly what the child wrote.
 * - `comment`, `$schema` and `extends` may sit in any object, at any depth (inside arrays too); they are
 *   annotations for people and editors and are removed before validation, so schemas stay strict and an
 *   unknown key is a typo, not a note.
 * - Validation is by a zod schema; every problem is reported at once in one InputError, one line each,
 *   `<file>: /json/pointer: expected …, got …`, naming the file of the chain that wrote the bad value
 *   (lines worded by the shared formatter, trace/generators/spec.ts; failed unions made readable first).
 * - The hash (SHA-256 of the canonical JSON of the resolved config, annotations removed) identifies what
 *   was run, for result provenance: reordering keys or editing comments does not change it.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { describeIssue } from '../trace/generators/spec.ts';
import { configHash } from './canonical.ts';
import { findJsonProblem, lineColumn } from './json-syntax.ts';
import { explainUnion } from './union-issues.ts';

/** Keys allowed in any object of a config and removed before validation. */
export const ANNOTATION_KEYS: readonly string[] = ['comment', '$schema', 'extends'];

/** One file of an `extends` chain as written (annotations still in). */
export interface ConfigFile {
  /** The path as given, or joined onto the extending file's directory. */
  file: string;
  json: unknown;
}

export interface ResolvedConfig {
  /** The merged config with annotations removed: what the schema validates and the hash covers. */
  raw: unknown;
  /** The chain, the config first and the root of its `extends` chain last. */
  files: ConfigFile[];
}

export interface LoadedConfig<T> {
  config: T;
  raw: unknown;
  /** Hex SHA-256 of the canonical JSON of `raw`. */
  hash: string;
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function readText(file: string, extendedBy: string | null): string {
  try {
    // A byte-order mark is legal in a file but not in JSON; editors on some systems add one.
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    if (extendedBy !== null) throw new InputError(`${extendedBy}: /extends: cannot read ${file}: ${reason}`);
    throw new InputError(`${file}: cannot read: ${reason}`);
  }
}

/** Parses a JSON file; a syntax error is reported as `<file>:<line>:<column>: JSON: expected …, got …`. */
export function readJsonFile(file: string, extendedBy: string | null = null): unknown {
  const text = readText(file, extendedBy);
  const problem = findJsonProblem(text);
  if (problem !== null) {
    const { line, column } = lineColumn(text, problem.offset);
    throw new InputError(`${file}:${line}:${column}: JSON: ${problem.problem}`);
  }
  return JSON.parse(text);
}

/** `over` merged onto `base`: objects key by key (recursively), any other value replaces. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  // Entries and fromEntries, not assignment: a "__proto__" key stays a plain key (an unknown field later).
  const out = new Map(Object.entries(base));
  for (const [k, v] of Object.entries(over)) out.set(k, out.has(k) ? deepMerge(out.get(k), v) : v);
  return Object.fromEntries(out);
}

/** A copy of `v` without annotation keys in any object, at any depth. */
export function stripAnnotations(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripAnnotations);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !ANNOTATION_KEYS.includes(k))
      .map(([k, x]) => [k, stripAnnotations(x)]),
  );
}

/** Reads `path` and the configs it extends, merges them and removes annotations. */
export function resolveConfig(path: string): ResolvedConfig {
  const files: ConfigFile[] = [{ file: path, json: readJsonFile(path) }];
  const seen = [resolve(path)];
  for (;;) {
    const { file, json } = files[files.length - 1];
    if (!isObject(json) || !Object.hasOwn(json, 'extends')) break;
    const ext = json.extends;
    if (typeof ext !== 'string' || ext === '') {
      throw new InputError(
        `${file}: /extends: expected the path of the config this one extends (relative to it), got ${show(ext)}`,
      );
    }
    const parent = isAbsolute(ext) ? ext : join(dirname(file), ext);
    const again = seen.indexOf(resolve(parent));
    if (again >= 0) {
      const chain = [...files.map((f) => f.file), files[again].file].join(' -> ');
      throw new InputError(`${file}: /extends: expected a chain of configs without a cycle, got ${chain}`);
    }
    const parentJson = readJsonFile(parent, file);
    if (!isObject(parentJson)) {
      throw new InputError(
        `${parent}: expected a JSON object at the top level (${file} extends it), got ${show(parentJson)}`,
      );
    }
    files.push({ file: parent, json: parentJson });
    seen.push(resolve(parent));
  }
  let merged = files[files.length - 1].json;
  for (let i = files.length - 2; i >= 0; i--) merged = deepMerge(merged, files[i].json);
  return { raw: stripAnnotations(merged), files };
}

/**
 * The file of the chain that wrote the value at `path`: the most derived one that has it, or that has a
 * non-object at a prefix of it (that value replaced everything below). A missing value is the config's.
 */
function sourceOf(files: readonly ConfigFile[], path: readonly PropertyKey[]): string {
  for (const { file, json } of files) {
    let v = json;
    let owns = true;
    for (const key of path) {
      if (!isObject(v)) break;
      if (!Object.hasOwn(v, String(key))) {
        owns = false;
        break;
      }
      v = v[String(key)];
    }
    if (owns) return file;
  }
  return files[0].file;
}

/** Validates a resolved config; throws one InputError listing every problem, each naming its file. */
export function validateConfig<T>(resolved: ResolvedConfig, schema: z.ZodType<T>): T {
  const { raw, files } = resolved;
  const r = schema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  const lines = r.error.issues.flatMap(explainUnion).flatMap((issue) => {
    // One issue lists every unknown key of an object; each may come from a different file.
    const single =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => ({ issue: { ...issue, keys: [k] }, path: [...issue.path, k] }))
        : [{ issue, path: issue.path }];
    return single.flatMap(({ issue: one, path }) => {
      const where = sourceOf(files, path);
      return describeIssue(schema, raw, one).map((line) => `${where}: ${line}`);
    });
  });
  throw new InputError(lines[0], lines.slice(1));
}

/** Reads, resolves, validates and hashes the config at `path` (see the module comment). */
export function loadConfig<T>(path: string, schema: z.ZodType<T>): LoadedConfig<T> {
  const resolved = resolveConfig(path);
  return { config: validateConfig(resolved, schema), raw: resolved.raw, hash: configHash(resolved.raw) };
}
