/**
 * The one table of trace readers, writers and generators. Adding a format or a generator is one module and
 * one line here; the CLI, experiments and format detection all read this table.
 */
import { InputError } from '../errors.ts';
import { unknownName } from '../names.ts';
import type { RequestBatch, RequestSource, TraceInfo } from './api.ts';
import { hotsetGenerator } from './generators/hotset.ts';
import { loopGenerator } from './generators/loop.ts';
import { mixGenerator } from './generators/mix.ts';
import { scanGenerator } from './generators/scan.ts';
import { uniformGenerator } from './generators/uniform.ts';
import { zipfGenerator } from './generators/zipf.ts';
import type { KeyMap } from './keymap.ts';
import { csvReader } from './readers/csv.ts';
import { nativeReader } from './readers/native.ts';
import { oracleGeneralReader } from './readers/oracle-general.ts';
import { plainTextReader } from './readers/plain-text.ts';
import { twitterReader } from './readers/twitter.ts';
import { vscsiReader } from './readers/vscsi.ts';
import { csvWriter } from './writers/csv.ts';
import { nativeWriter } from './writers/native.ts';

/** Options a reader may need beyond the path (raw CLI strings; each reader parses and validates its own). */
export interface ReaderOptions {
  /** CSV column mapping, e.g. "time=1,key=2,size=3,op=5". */
  csv?: string;
  /** CSV op value mapping, e.g. "28=get,2a=set". */
  csvOps?: string;
  /** CSV delimiter (a single character; "\t" for tab). */
  delimiter?: string;
  /** The first CSV line is a header. */
  header?: boolean;
}

export interface ReaderEntry {
  readonly name: string;
  readonly description: string;
  /** File-name endings that select this reader; the longest match over all readers wins. */
  readonly suffixes: readonly string[];
  open(path: string, opts: ReaderOptions): RequestSource;
}

/** Receives batches and the key map as they grow; `finish` makes the file appear atomically. */
export interface TraceWriter {
  write(batch: RequestBatch, keys: KeyMap): void;
  /** Completes the file (temporary file renamed into place). */
  finish(): void;
  /** Removes the temporary file; nothing half-written is left. */
  abort(): void;
}

export interface WriterEntry {
  readonly name: string;
  readonly description: string;
  readonly suffixes: readonly string[];
  create(path: string, info: TraceInfo): TraceWriter;
}

/** A synthetic workload: validates its JSON spec and opens a seeded source over it. */
export interface GeneratorEntry {
  readonly name: string;
  readonly description: string;
  /** Throws InputError naming each bad field (`where` prefixes messages, e.g. the spec file). */
  open(spec: unknown, seed: number, where: string): RequestSource;
}

export const readers: readonly ReaderEntry[] = [
  oracleGeneralReader,
  vscsiReader,
  plainTextReader,
  csvReader,
  twitterReader,
  nativeReader,
];

export const writers: readonly WriterEntry[] = [nativeWriter, csvWriter];

export const generators: readonly GeneratorEntry[] = [
  zipfGenerator,
  uniformGenerator,
  scanGenerator,
  loopGenerator,
  hotsetGenerator,
  mixGenerator,
];

function bySuffix<T extends { suffixes: readonly string[] }>(entries: readonly T[], path: string): T | null {
  let best: T | null = null;
  let bestLen = 0;
  for (const e of entries) {
    for (const s of e.suffixes) {
      if (path.endsWith(s) && s.length > bestLen) {
        best = e;
        bestLen = s.length;
      }
    }
  }
  return best;
}

function byName<T extends { name: string }>(entries: readonly T[], name: string, what: string): T {
  const e = entries.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!e)
    throw new InputError(
      unknownName(
        what,
        name,
        entries.map((x) => x.name),
      ),
    );
  return e;
}

export function findReader(path: string, format?: string): ReaderEntry {
  if (format) return byName(readers, format, 'trace format');
  const e = bySuffix(readers, path);
  if (!e) {
    const known = readers.flatMap((r) => r.suffixes).join(', ');
    throw new InputError(
      `${path}: cannot tell the trace format from the file name (known: ${known}); pass --format`,
    );
  }
  return e;
}

export function findWriter(path: string, format?: string): WriterEntry {
  if (format) return byName(writers, format, 'output format');
  const e = bySuffix(writers, path);
  if (!e) {
    const known = writers.flatMap((w) => w.suffixes).join(', ');
    throw new InputError(
      `${path}: cannot tell the output format from the file name (known: ${known}); pass --format`,
    );
  }
  return e;
}

export function findGenerator(name: string): GeneratorEntry {
  return byName(generators, name, 'generator');
}

export function openTrace(path: string, opts: ReaderOptions & { format?: string } = {}): RequestSource {
  return findReader(path, opts.format).open(path, opts);
}
