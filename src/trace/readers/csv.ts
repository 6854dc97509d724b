/**
 * CSV traces with a user-given column mapping (like libCacheSim's csv reader parameters).
 *
 * The mapping names 1-based columns for the request fields: `time=1,key=2,size=3,op=5,ttl=6[,next=7]`;
 * key is required, `key=2:string` forces string keys (otherwise the first row decides, see
 * delimited-source.ts). Without a mapping, `--header` finds the columns named time, key (or obj_id, id),
 * size, op, ttl and next in the first line. Times are seconds (fractional allowed), sizes bytes (default 1),
 * TTLs seconds, next the 0-based index of the next request to the key (-1 for none).
 *
 * Op values are matched as text without regard to case: by default get, set, delete, read (get) and
 * write (set); `--csv-ops 28=get,2a=set` replaces that table. Any other value is an error.
 * The delimiter is one ASCII character (default ","; `\t` means tab). Quoted fields follow RFC 4180 but
 * may not span lines (see field-scanner.ts).
 */
import { InputError, TraceFormatError } from '../../errors.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../api.ts';
import type { ReaderEntry, ReaderOptions } from '../registry.ts';
import { type Column, type DelimitedLayout, DelimitedSource } from './delimited-source.ts';
import { FieldScanner, type OpTable, opTable } from './field-scanner.ts';

const FIELDS = ['time', 'key', 'size', 'op', 'ttl', 'next'] as const;
type Field = (typeof FIELDS)[number];
type Columns = Partial<Record<Field, number>>;

/** Header names that select each field when there is no mapping, in order of preference. */
const HEADER_NAMES: Record<Field, readonly string[]> = {
  time: ['time'],
  key: ['key', 'obj_id', 'id'],
  size: ['size'],
  op: ['op'],
  ttl: ['ttl'],
  next: ['next'],
};

const OP_NAMES: Record<string, number> = {
  get: OP_GET,
  read: OP_GET,
  set: OP_SET,
  write: OP_SET,
  delete: OP_DELETE,
};
const DEFAULT_OPS = opTable(Object.entries(OP_NAMES));

export interface CsvMapping {
  /** 0-based column of each mapped field. */
  columns: Columns;
  stringKeys: boolean;
}

/** Parses `time=1,key=2:string,size=3`; throws InputError naming the bad part. */
export function parseMapping(mapping: string): CsvMapping {
  const bad = (problem: string): InputError => new InputError(`--csv "${mapping}": ${problem}`);
  const columns: Columns = {};
  let stringKeys = false;
  for (const part of mapping.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*(\d+)\s*(:\s*string\s*)?$/i.exec(part);
    if (!m) throw bad(`expected field=column (e.g. key=2, key=2:string), got "${part}"`);
    const [, name, digits, asString] = m;
    const field = FIELDS.find((f) => f === name.toLowerCase());
    if (field === undefined) throw bad(`unknown field "${name}"; expected one of ${FIELDS.join(', ')}`);
    if (columns[field] !== undefined) throw bad(`field ${field} is mapped twice`);
    const column = Number(digits);
    if (column < 1 || column > 1_000_000)
      throw bad(`${field}: expected a column from 1 to 1000000, got ${digits}`);
    if (asString !== undefined) {
      if (field !== 'key') throw bad(`only the key can be read as :string, not ${field}`);
      stringKeys = true;
    }
    columns[field] = column - 1;
  }
  if (columns.key === undefined) throw bad('the key column is required (e.g. key=2)');
  return { columns, stringKeys };
}

/** Parses `28=get,2a=set`; throws InputError naming the bad part. */
export function parseOps(ops: string): OpTable {
  const pairs: [string, number][] = [];
  for (const part of ops.split(',')) {
    const eq = part.lastIndexOf('=');
    const value = part.slice(0, eq).trim();
    const op =
      OP_NAMES[
        part
          .slice(eq + 1)
          .trim()
          .toLowerCase()
      ];
    if (eq < 0 || value === '' || op === undefined) {
      throw new InputError(
        `--csv-ops "${ops}": expected value=op with op one of ${Object.keys(OP_NAMES).join(', ')}, got "${part}"`,
      );
    }
    if (pairs.some(([v]) => v.toLowerCase() === value.toLowerCase())) {
      throw new InputError(`--csv-ops "${ops}": value "${value}" is mapped twice`);
    }
    pairs.push([value, op]);
  }
  return opTable(pairs);
}

/** The delimiter byte: one ASCII character, or `\t` for tab. */
export function parseDelimiter(d: string | undefined): number {
  if (d === undefined) return 44;
  const c = d === '\\t' ? '\t' : d;
  const code = c.charCodeAt(0);
  if (c.length !== 1 || code > 127 || c === '"' || c === '\n' || c === '\r') {
    throw new InputError(
      `--delimiter "${d}": expected one ASCII character other than a quote or newline, or \\t`,
    );
  }
  return code;
}

/** Finds the columns by the names in the header line the scanner holds. */
function columnsByName(sc: FieldScanner): Columns {
  // A byte-order mark (spreadsheet exports) is not part of the first name.
  const names = Array.from({ length: sc.count }, (_, i) =>
    sc
      .str(i)
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  const columns: Columns = {};
  for (const field of FIELDS) {
    for (const name of HEADER_NAMES[field]) {
      const i = names.indexOf(name);
      if (i >= 0) {
        columns[field] = i;
        break;
      }
    }
  }
  if (columns.key === undefined) {
    throw new TraceFormatError(
      sc.path,
      { line: 1 },
      'key',
      `no column named key, obj_id or id in the header (columns: ${names.join(', ')}); map the columns with --csv`,
    );
  }
  return columns;
}

function layoutOf(
  columns: Columns,
  stringKeys: boolean,
  ops: OpTable,
  header: boolean,
  mapped: boolean,
): DelimitedLayout {
  const c = (field: Field): Column | undefined => {
    const index = columns[field];
    return index === undefined ? undefined : { index, name: field };
  };
  const key = c('key')!;
  const size = c('size');
  const op = c('op');
  return {
    format: 'csv',
    key,
    time: c('time'),
    sizes: size ? [size] : [],
    op: op ? { column: op, table: ops } : undefined,
    ttl: c('ttl'),
    next: c('next'),
    stringKeys,
    stringKeysHint: mapped
      ? `to read string keys, map it as key=${key.index + 1}:string`
      : `to read string keys, map the columns with --csv and key=${key.index + 1}:string`,
    firstLineHint: header ? undefined : ' (if line 1 is a header, pass --header)',
  };
}

/** Opens a CSV trace; `chunkBytes` sets the read buffer (tests use tiny ones). */
export function openCsv(path: string, opts: ReaderOptions, chunkBytes?: number): DelimitedSource {
  const delimiter = parseDelimiter(opts.delimiter);
  const mapping = opts.csv === undefined ? null : parseMapping(opts.csv);
  const ops = opts.csvOps === undefined ? DEFAULT_OPS : parseOps(opts.csvOps);
  const header = opts.header === true;
  if (!mapping && !header) {
    throw new InputError(
      `${path}: the CSV column mapping is required: pass --csv (e.g. time=1,key=2,size=3,op=4), ` +
        'or --header to find the columns time, key (obj_id, id), size, op, ttl by name',
    );
  }
  const sc = new FieldScanner(path, { delimiter, quotes: true, chunkBytes });
  let columns = mapping?.columns;
  try {
    if (header) {
      if (!sc.nextLine())
        throw new TraceFormatError(path, { line: 1 }, 'header', 'empty file; expected a header line');
      columns ??= columnsByName(sc);
    }
  } catch (e) {
    sc.close();
    throw e;
  }
  return new DelimitedSource(
    sc,
    layoutOf(columns!, mapping?.stringKeys ?? false, ops, header, mapping !== null),
  );
}

export const csvReader: ReaderEntry = {
  name: 'csv',
  description: 'CSV with a column mapping (--csv time=1,key=2,size=3,op=4) or --header naming the columns',
  suffixes: ['.csv'],
  open: (path, opts) => openCsv(path, opts),
};
