/**
 * A RequestSource over a delimited text file, given which columns hold which request fields. The CSV,
 * Twitter and plain-text readers differ only in how they build this layout.
 *
 * Key kind: keys are numeric (u64) when the first data row's key is a canonical decimal integer below 2^64,
 * otherwise strings; a layout may force string keys. The kind is fixed when the file is opened, because
 * consumers (writers, the key map) depend on it from the start. A later key that is not a canonical
 * integer in a numeric file is therefore an error naming its line, with the option that reads the file with
 * string keys; it is never folded into some other key. Canonical (no leading zeros) means numeric and
 * string reading give the same identities.
 *
 * Times are seconds in the file (fractional allowed) and whole microseconds in the batch. Fields a layout
 * lacks keep their defaults: time 0, size 1, op get, ttl 0.
 */
import { TraceFormatError } from '../../errors.ts';
import { allocBatch, type KeyKind, type RequestBatch, type RequestSource, type TraceInfo } from '../api.ts';
import { KeyMap } from '../keymap.ts';
import type { FieldScanner, OpTable } from './field-scanner.ts';

const U32_MAX = 0xffffffff;

/** A 0-based column and the name errors give it. */
export interface Column {
  readonly index: number;
  readonly name: string;
}

export interface DelimitedLayout {
  /** Registry name of the reader. */
  readonly format: string;
  readonly key: Column;
  readonly time?: Column;
  /** Columns added up to make the size (Twitter: key size + value size); none: size 1. */
  readonly sizes: readonly Column[];
  readonly op?: { readonly column: Column; readonly table: OpTable };
  readonly ttl?: Column;
  /** 0-based index of the next request to the same key, -1 for none. */
  readonly next?: Column;
  readonly stringKeys: boolean;
  /** How to read a file with string keys, quoted when a numeric file has a non-numeric key. */
  readonly stringKeysHint: string;
  /** Appended to errors on line 1 (e.g. a suggestion that it is a header). */
  readonly firstLineHint?: string;
}

function col(c: Column | undefined): number {
  return c === undefined ? -1 : c.index;
}

export class DelimitedSource implements RequestSource {
  readonly info: TraceInfo;
  readonly keys: KeyMap;
  private readonly sc: FieldScanner;
  private readonly layout: DelimitedLayout;
  private readonly batch: RequestBatch;
  /** Fields each row must have. */
  private readonly width: number;
  private readonly timeCol: number;
  private readonly keyCol: number;
  private readonly sizeCols: Int32Array;
  private readonly opCol: number;
  private readonly ttlCol: number;
  private readonly nextCol: number;
  private readonly numericKeys: boolean;
  /** The scanner holds a data row not yet decoded (the one read to decide the key kind). */
  private pending: boolean;
  private done = false;

  /** `sc` is positioned after any header; the first data row is read here to decide the key kind. */
  constructor(sc: FieldScanner, layout: DelimitedLayout) {
    this.sc = sc;
    this.layout = layout;
    this.timeCol = col(layout.time);
    this.keyCol = layout.key.index;
    this.sizeCols = Int32Array.from(layout.sizes, (c) => c.index);
    this.opCol = col(layout.op?.column);
    this.ttlCol = col(layout.ttl);
    this.nextCol = col(layout.next);
    this.width =
      Math.max(this.timeCol, this.keyCol, this.opCol, this.ttlCol, this.nextCol, ...this.sizeCols) + 1;
    try {
      this.pending = sc.nextLine();
      if (!this.pending && sc.rows === 0) {
        throw new TraceFormatError(
          sc.path,
          { line: 1 },
          layout.key.name,
          'empty file; expected one request a line',
        );
      }
      if (this.pending && sc.count <= this.keyCol) this.missing(layout.key);
    } catch (e) {
      sc.close();
      throw e;
    }
    this.numericKeys = this.pending && !layout.stringKeys && sc.u64(this.keyCol);
    const keyKind: KeyKind = this.numericKeys ? 'u64' : 'string';
    this.keys = new KeyMap(keyKind);
    this.batch = allocBatch(undefined, this.nextCol >= 0);
    if (this.sizeCols.length === 0) this.batch.size.fill(1);
    this.info = {
      format: layout.format,
      name: sc.path,
      hasTime: this.timeCol >= 0,
      hasSize: this.sizeCols.length > 0,
      hasOp: this.opCol >= 0,
      hasTtl: this.ttlCol >= 0,
      hasNext: this.nextCol >= 0,
      keyKind,
      provenance: { kind: 'file', path: sc.path, format: layout.format },
    };
  }

  next(): RequestBatch | null {
    if (this.done) return null;
    const sc = this.sc;
    const b = this.batch;
    const cap = b.key.length;
    let n = 0;
    while (n < cap) {
      if (this.pending) this.pending = false;
      else if (!sc.nextLine()) {
        this.done = true;
        break;
      }
      this.decode(b, n);
      n++;
    }
    b.length = n;
    return n === 0 ? null : b;
  }

  progress(): { done: number; total: number } {
    return this.sc.progress();
  }

  close(): void {
    this.sc.close();
  }

  /** Decodes the scanner's current row into entry n of the batch. */
  private decode(b: RequestBatch, n: number): void {
    const sc = this.sc;
    if (sc.count < this.width) this.missingAny();
    const k = this.keyCol;
    if (this.numericKeys) {
      if (!sc.u64(k)) this.nonNumericKey();
      b.key[n] = this.keys.idOfU64(sc.lo, sc.hi);
    } else {
      b.key[n] = this.keys.idOfString(sc.str(k));
    }
    if (this.timeCol >= 0) {
      const t = sc.seconds(this.timeCol);
      if (Number.isNaN(t)) this.bad(this.layout.time!, 'expected a number of seconds');
      b.time[n] = t;
    }
    const sizeCols = this.sizeCols;
    if (sizeCols.length > 0) {
      let size = 0;
      for (let i = 0; i < sizeCols.length; i++) {
        const v = sc.uint(sizeCols[i], U32_MAX);
        if (v < 0) this.bad(this.layout.sizes[i], 'expected an integer number of bytes below 2^32');
        size += v;
      }
      if (size > U32_MAX)
        this.bad(this.layout.sizes[sizeCols.length - 1], 'sizes add up to 2^32 bytes or more');
      b.size[n] = size;
    }
    if (this.opCol >= 0) {
      const op = sc.op(this.opCol, this.layout.op!.table);
      if (op < 0) this.bad(this.layout.op!.column, `expected one of ${this.layout.op!.table.expected}`);
      b.op[n] = op;
    }
    if (this.ttlCol >= 0) {
      const ttl = sc.uint(this.ttlCol, U32_MAX);
      if (ttl < 0) this.bad(this.layout.ttl!, 'expected an integer number of seconds below 2^32');
      b.ttl[n] = ttl;
    }
    if (this.nextCol >= 0) {
      const nx = this.nextIndex();
      if (nx < -1) this.bad(this.layout.next!, 'expected -1 or the 0-based index of a later request');
      b.next![n] = nx;
    }
  }

  /** The next-request column: -1, or a non-negative integer; -2 when it is neither. */
  private nextIndex(): number {
    const sc = this.sc;
    const v = sc.uint(this.nextCol, Number.MAX_SAFE_INTEGER);
    if (v >= 0) return v;
    return sc.str(this.nextCol).trim() === '-1' ? -1 : -2;
  }

  private error(c: Column, problem: string): never {
    const hint = this.sc.line === 1 && this.layout.firstLineHint ? this.layout.firstLineHint : '';
    throw new TraceFormatError(this.sc.path, { line: this.sc.line }, c.name, `${problem}${hint}`);
  }

  private bad(c: Column, expected: string): never {
    this.error(c, `${expected}, got "${this.sc.text(c.index)}"`);
  }

  private nonNumericKey(): never {
    this.error(
      this.layout.key,
      `expected a decimal integer below 2^64 without leading zeros, got "${this.sc.text(this.keyCol)}" ` +
        `(the first row's key is numeric, so keys are read as numbers; ${this.layout.stringKeysHint})`,
    );
  }

  private missing(c: Column): never {
    this.error(c, `column ${c.index + 1} is past the end of the row (${this.sc.count} columns)`);
  }

  /** The row is too short for the layout: names the first mapped column it lacks. */
  private missingAny(): never {
    const l = this.layout;
    const cols = [l.key, l.time, ...l.sizes, l.op?.column, l.ttl, l.next].filter((c) => c !== undefined);
    this.missing(cols.filter((c) => c.index >= this.sc.count).sort((a, b) => a.index - b.index)[0]);
  }
}
