/**
 * Native copies of the trace files an experiment reads many times. A topology cell opens its workload on
 * its own, and replay cells read theirs once per task, so a sweep over a CSV or oracleGeneral trace parses
 * the same text or records again in every cell; the native reader takes raw typed arrays out of msgpack
 * frames, and reads the 114k-request sample trace 2.3× faster than its oracleGeneral file, 4.3× than its
 * text and 4.7× than its vscsi file (best of 5, Node 20). So a trace file that two or more tasks of a run
 * read is converted once to `<dir>/<trace hash>-<format>.ctt` — by default traces/.cache, gitignored —
 * and the cells read that instead.
 *
 * The copy is named by the SHA-256 of the source's bytes (the trace hash every cell records) and the
 * reader that parsed it, so an edited trace gets a new copy and a present copy is reused as it is. It is
 * written atomically (AtomicFile), so concurrent runs and shards race harmlessly to the same bytes. The
 * native format keeps every request field and the key map in first-seen order, so cells give the same
 * results from the copy as from the source (test/experiment/trace-cache.test.ts checks the bytes).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { copyTrace } from '../trace/convert.ts';
import { findReader, findWriter, openTrace } from '../trace/registry.ts';

/** Where `cachetopo run` keeps native copies, relative to the working directory. */
export const TRACE_CACHE_DIR = join('traces', '.cache');

/** A trace file workload and the reader that parses it. */
export interface TraceFile {
  /** Absolute path of the source. */
  path: string;
  /** The workload's `format`, when it names one. */
  format?: string;
  /** The reader's registry name (what a replay report calls the format). */
  reader: string;
  /** SHA-256 of the source's bytes (provenance.ts). */
  traceHash: string;
}

/** The trace file a workload names, or null for a generator, a preset, or a file already native. */
export function traceFileOf(workload: unknown, baseDir: string, traceHash: string): TraceFile | null {
  const w = workload as { trace?: unknown; format?: unknown };
  if (typeof w.trace !== 'string') return null;
  const path = resolve(isAbsolute(w.trace) ? w.trace : join(baseDir, w.trace));
  const format = typeof w.format === 'string' ? w.format : undefined;
  const reader = findReader(path, format).name;
  if (reader === 'native') return null;
  return { path, ...(format === undefined ? {} : { format }), reader, traceHash };
}

/** The path of `trace`'s native copy under `dir` (absolute). */
export function nativeCopyPath(dir: string, trace: TraceFile): string {
  return resolve(dir, `${trace.traceHash}-${trace.reader}.ctt`);
}

/**
 * The native copy of `trace` under `dir`: reused when present, else converted now. Returns its absolute
 * path and whether it was converted.
 */
export function ensureNativeCopy(dir: string, trace: TraceFile): { path: string; converted: boolean } {
  const path = nativeCopyPath(dir, trace);
  if (existsSync(path)) return { path, converted: false };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`${dir}: cannot create the trace cache: ${(e as NodeJS.ErrnoException).code}`);
  }
  const src = openTrace(trace.path, trace.format === undefined ? {} : { format: trace.format });
  copyTrace(src, findWriter(path, 'native').create(path, src.info));
  return { path, converted: true };
}
