/**
 * Opens what a user names as a workload: a trace file (format from its name or --format), a generator spec
 * file (.json), an inline spec (the JSON object itself, `{"generator": …}`), or the name of a built-in
 * generator preset.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { RequestSource } from './api.ts';
import { presets } from './generators/presets.ts';
import { findGenerator, openTrace, type ReaderOptions } from './registry.ts';

export interface GeneratorSpecFile {
  /** Registry name of the generator. */
  generator: string;
  seed?: number;
  [field: string]: unknown;
}

/** Reads a generator spec from a JSON file or a preset name; `where` names it in error messages. */
export function loadGeneratorSpec(arg: string): { spec: GeneratorSpecFile; where: string } {
  if (Object.hasOwn(presets, arg)) return { spec: presets[arg], where: `preset ${arg}` };
  const inline = isInlineSpec(arg);
  const where = inline ? 'inline generator spec' : arg;
  if (!inline && !existsSync(arg)) {
    throw new InputError(
      `${arg}: no such file, and not a generator preset (presets: ${Object.keys(presets).join(', ')})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(inline ? arg : readFileSync(arg, 'utf8'));
  } catch (e) {
    throw new InputError(`${where}: not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${where}: expected a JSON object with a "generator" field`);
  }
  const g = (parsed as Record<string, unknown>).generator;
  if (typeof g !== 'string')
    throw new InputError(`${where}: /generator: expected a generator name, got ${JSON.stringify(g)}`);
  return { spec: parsed as GeneratorSpecFile, where };
}

/** The argument is a spec's JSON object itself: no file name starts with "{" in practice. */
function isInlineSpec(arg: string): boolean {
  return arg.trimStart().startsWith('{');
}

/** Opens a generator from its spec; `seed` overrides the spec's own (default 1). */
export function openGenerator(spec: GeneratorSpecFile, where: string, seed?: number): RequestSource {
  const s = seed ?? spec.seed ?? 1;
  if (!Number.isSafeInteger(s))
    throw new InputError(`${where}: /seed: expected an integer, got ${JSON.stringify(s)}`);
  return findGenerator(spec.generator).open(spec, s, where);
}

/** The argument names a generator (a spec file or a preset), not a trace file; asked only when no --format. */
export function looksLikeSpec(arg: string): boolean {
  return arg.endsWith('.json') || isInlineSpec(arg) || Object.hasOwn(presets, arg);
}

/** A trace file or a generator (spec file or preset). */
export function openWorkload(
  arg: string,
  opts: ReaderOptions & { format?: string; seed?: number } = {},
): RequestSource {
  if (!opts.format && looksLikeSpec(arg)) {
    const { spec, where } = loadGeneratorSpec(arg);
    return openGenerator(spec, where, opts.seed);
  }
  return openTrace(arg, opts);
}
