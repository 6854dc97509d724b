/**
 * Plain-text traces: one object id per line and nothing else, as libCacheSim's txt reader takes them.
 * Every request is a get of size 1 at time 0.
 *
 * Ids are numeric (u64) when the first line is a canonical decimal integer below 2^64, otherwise strings
 * (the whole line, verbatim apart from a trailing \r). In a numeric file a later non-numeric line is an
 * error naming the line, never folded into another id; such a file reads as strings with
 * `--format csv --csv key=1:string` (see delimited-source.ts for why the kind is fixed at open).
 */
import { InputError } from '../../errors.ts';
import type { ReaderEntry, ReaderOptions } from '../registry.ts';
import { DelimitedSource } from './delimited-source.ts';
import { FieldScanner } from './field-scanner.ts';

/** Opens a plain-text trace; `chunkBytes` sets the read buffer (tests use tiny ones). */
export function openPlainText(path: string, opts: ReaderOptions, chunkBytes?: number): DelimitedSource {
  if (opts.csv !== undefined || opts.csvOps !== undefined || opts.delimiter !== undefined || opts.header) {
    throw new InputError(
      `${path}: --csv, --csv-ops, --delimiter and --header do not apply to the txt format`,
    );
  }
  const sc = new FieldScanner(path, { delimiter: -1, quotes: false, chunkBytes });
  return new DelimitedSource(sc, {
    format: 'txt',
    key: { index: 0, name: 'id' },
    sizes: [],
    stringKeys: false,
    stringKeysHint: 'to read string ids, use --format csv --csv key=1:string',
  });
}

export const plainTextReader: ReaderEntry = {
  name: 'txt',
  description: 'plain text, one object id per line (time 0, size 1)',
  suffixes: ['.txt'],
  open: (path, opts) => openPlainText(path, opts),
};
