/**
 * CSV writer: one header line naming the columns, then one request per line, e.g.
 *
 *   time,key,size,op,ttl
 *   5633898.000000,15943,4096,get,0
 *
 * time is in seconds with exactly six decimals (the trace's microseconds, printed by integer arithmetic so
 * no rounding creeps in), key is the original key (decimal for 64-bit keys; string keys are quoted as in
 * RFC 4180 when they hold a comma or a quote, or are empty), op is get/set/delete, ttl is in seconds and next (only for
 * traces that have it) the 0-based index of the next request to the key, −1 for none. Only the columns the
 * trace has are written (key always), so the CSV reader with --header recovers what the trace knew; string
 * keys that look like numbers read back as numbers unless the key column is mapped as :string. A key with
 * a line break is refused: our CSV reader does not let a quoted field span lines. Lines are built per
 * batch and written with one call per batch to a temporary file that finish() renames into place.
 */
import { InputError } from '../../errors.ts';
import { OP_NAMES, type RequestBatch, type TraceInfo } from '../api.ts';
import type { KeyMap } from '../keymap.ts';
import type { TraceWriter, WriterEntry } from '../registry.ts';
import { AtomicFile } from './atomic-file.ts';

const NEEDS_QUOTES = /[",]/;
const LINE_BREAK = /[\r\n]/;

/** Microseconds as seconds with six decimals: "-1.500000" for −1,500,000 µs. */
export function formatSeconds(us: number): string {
  const t = Math.round(Math.abs(us));
  const frac = t % 1_000_000;
  const sign = us < 0 && t !== 0 ? '-' : '';
  return `${sign}${(t - frac) / 1_000_000}.${String(frac).padStart(6, '0')}`;
}

/**
 * A string key as a CSV field: quoted (quotes doubled) when it holds the delimiter or a quote, and when
 * empty, since the reader skips a blank line.
 */
export function csvField(s: string): string {
  return s === '' || NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

class CsvWriter implements TraceWriter {
  private readonly info: TraceInfo;
  private readonly file: AtomicFile;
  private readonly hasNext: boolean;
  /** String keys below this id were checked for line breaks. */
  private keysChecked = 0;

  constructor(path: string, info: TraceInfo) {
    this.info = info;
    this.hasNext = info.hasNext;
    this.file = new AtomicFile(path);
    const { hasTime, hasSize, hasOp, hasTtl, hasNext } = info;
    const cols = [
      hasTime && 'time',
      'key',
      hasSize && 'size',
      hasOp && 'op',
      hasTtl && 'ttl',
      hasNext && 'next',
    ];
    try {
      this.file.write(Buffer.from(`${cols.filter((c) => c !== false).join(',')}\n`));
    } catch (e) {
      this.file.discard();
      throw e;
    }
  }

  write(batch: RequestBatch, keys: KeyMap): void {
    const { hasTime, hasSize, hasOp, hasTtl } = this.info;
    const next = this.hasNext ? batch.next : null;
    if (this.hasNext && next === null)
      throw new Error('csv writer: the trace declares next indices but a batch has none');
    const strings = keys.kind === 'string';
    if (strings) this.checkNewKeys(keys);
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      const key = keys.keyOf(batch.key[i]);
      let line = hasTime ? `${formatSeconds(batch.time[i])},` : '';
      line += strings ? csvField(key) : key;
      if (hasSize) line += `,${batch.size[i]}`;
      if (hasOp) line += `,${OP_NAMES[batch.op[i]]}`;
      if (hasTtl) line += `,${batch.ttl[i]}`;
      if (next !== null) line += `,${next[i]}`;
      text += `${line}\n`;
    }
    this.file.write(Buffer.from(text));
  }

  finish(): void {
    this.file.commit();
  }

  abort(): void {
    this.file.discard();
  }

  private checkNewKeys(keys: KeyMap): void {
    for (; this.keysChecked < keys.size; this.keysChecked++) {
      const key = keys.keyOf(this.keysChecked);
      if (LINE_BREAK.test(key)) {
        throw new InputError(
          `${this.file.path}: key ${JSON.stringify(key)}: a line break cannot be written to CSV; write .ctt instead`,
        );
      }
    }
  }
}

export const csvWriter: WriterEntry = {
  name: 'csv',
  description: 'CSV with a header line: time (s),key,size,op,ttl,next (the columns the trace has)',
  suffixes: ['.csv'],
  create: (path: string, info: TraceInfo): TraceWriter => new CsvWriter(path, info),
};
