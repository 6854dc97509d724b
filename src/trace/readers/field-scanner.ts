/**
 * Record and field scanning for the delimited text readers (CSV, Twitter cache traces, plain text),
 * working on the bytes of a ByteReader window: no string is built per line, numbers are parsed from bytes.
 *
 * A record (normally one line) is split into fields by recording each field's [start, end) offsets. A
 * record that runs past the buffered window is rescanned after a refill, so records may cross chunk
 * boundaries; one longer than MAX_RECORD_BYTES is an error (a binary file, or a runaway quote), so a bad
 * file cannot make the buffer grow without bound. Line endings are \n or \r\n; the last line may lack
 * one. Blank lines are skipped but counted in line numbers.
 *
 * Quotes follow RFC 4180: a field that starts with `"` runs to the closing quote, may contain the
 * delimiter, line breaks and `""` (an escaped quote), and must be followed by a delimiter or the line end.
 * A quote inside an unquoted field is an ordinary character. Formats without quoting turn this off.
 */
import { TraceFormatError } from '../../errors.ts';
import { ByteReader } from '../byte-reader.ts';

const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const DOT = 46;
const ZERO = 48;
const TWO_32 = 4294967296;
/** Seconds above this overflow exact integer microseconds (2^53 µs). */
const MAX_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / 1e6);
/** Weight in µs of the k-th digit after the decimal point. */
const FRACTION_US = [100_000, 10_000, 1000, 100, 10, 1];
const MINUS = 45;
const EXPONENT_FORM = /^-?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;
export const MAX_RECORD_BYTES = 1 << 20;

/** Text values of a field mapped to ops, compared without regard to ASCII case. */
export interface OpTable {
  /** Each value's bytes, ASCII-lowercased. */
  readonly values: readonly Uint8Array[];
  /** The op of each value. */
  readonly ops: readonly number[];
  /** The accepted values, for error messages. */
  readonly expected: string;
}

function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export function opTable(pairs: readonly (readonly [string, number])[]): OpTable {
  return {
    values: pairs.map(([v]) => Buffer.from(v, 'utf8').map(asciiLower)),
    ops: pairs.map(([, op]) => op),
    expected: pairs.map(([v]) => v).join(', '),
  };
}

export interface ScannerOptions {
  /** Field delimiter byte, or -1 for none (the whole line is one field). */
  delimiter: number;
  /** Whether a leading `"` starts an RFC 4180 quoted field. */
  quotes: boolean;
  /** Read buffer size; tests make it tiny so lines cross refills. */
  chunkBytes?: number;
}

export class FieldScanner {
  readonly path: string;
  private readonly reader: ByteReader;
  private readonly delimiter: number;
  private readonly quotes: boolean;
  /** 1-based line on which the current record starts (blank lines count). */
  line = 0;
  /** Non-blank records returned so far. */
  rows = 0;
  /** Fields in the current record. */
  count = 0;
  /** Halves of the last key parsed by u64(). */
  lo = 0;
  hi = 0;
  /** Lines consumed so far. */
  private lines = 0;
  /** Line breaks inside quoted fields of the record being split. */
  private spanned = 0;
  private buf: Buffer;
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private quoted = new Uint8Array(16);

  constructor(path: string, opts: ScannerOptions) {
    this.path = path;
    this.reader = new ByteReader(path, opts.chunkBytes);
    this.buf = this.reader.buf;
    this.delimiter = opts.delimiter;
    this.quotes = opts.quotes;
  }

  /** Bytes consumed and the file size. */
  progress(): { done: number; total: number } {
    return { done: this.reader.offset, total: this.reader.fileSize };
  }

  close(): void {
    this.reader.close();
  }

  /** Moves to the next non-blank record and splits it; false at the end of the file. */
  nextLine(): boolean {
    const r = this.reader;
    for (;;) {
      if (r.end === r.start && r.fill(1) === 0) return false;
      let after = this.split(r.buf, r.start, r.end, false);
      while (after < 0) {
        const had = r.end - r.start;
        if (had >= MAX_RECORD_BYTES) {
          throw new TraceFormatError(
            this.path,
            { line: this.lines + 1 },
            'line',
            `no line end within ${MAX_RECORD_BYTES} bytes (not a text trace, or an unterminated quote?)`,
          );
        }
        const now = r.fill(had + 1);
        after = this.split(r.buf, r.start, r.end, now === had);
      }
      this.buf = r.buf;
      r.start = after;
      this.line = this.lines + 1;
      this.lines += 1 + this.spanned;
      if (this.count === 1 && this.starts[0] === this.ends[0] && this.quoted[0] === 0) continue;
      this.rows++;
      return true;
    }
  }

  /**
   * Splits the record at `pos` into fields. Returns the offset just past it, or -1 when it runs past
   * `limit` and the file may have more (unless `atEof`, when `limit` ends it).
   */
  private split(buf: Buffer, pos: number, limit: number, atEof: boolean): number {
    const delim = this.delimiter;
    let starts = this.starts;
    let ends = this.ends;
    let quoted = this.quoted;
    let f = 0;
    this.spanned = 0;
    for (;;) {
      starts[f] = pos;
      if (this.quotes && pos < limit && buf[pos] === QUOTE) {
        pos = this.quotedField(buf, pos, limit, atEof, f);
        if (pos < 0) return -1;
      } else {
        quoted[f] = 0;
        while (pos < limit) {
          const c = buf[pos];
          if (c === delim || c === LF) break;
          pos++;
        }
        ends[f] = pos;
      }
      if (pos >= limit) {
        if (!atEof) return -1;
        this.count = f + 1;
        this.dropCR(buf, f, pos);
        return limit;
      }
      const c = buf[pos];
      if (c !== delim) {
        // A line end: \n, or \r\n after a quoted field.
        this.count = f + 1;
        this.dropCR(buf, f, pos);
        return c === LF ? pos + 1 : pos + 2;
      }
      f++;
      if (f === starts.length) {
        this.grow();
        starts = this.starts;
        ends = this.ends;
        quoted = this.quoted;
      }
      pos++;
    }
  }

  /** Drops the \r of a \r\n ending from the last field of a line (a quoted field has none). */
  private dropCR(buf: Buffer, f: number, pos: number): void {
    if (this.quoted[f] === 0 && pos > this.starts[f] && buf[pos - 1] === CR) this.ends[f] = pos - 1;
  }

  /**
   * Reads the quoted field opening at `pos` as field f. Returns the offset after the closing quote, which
   * holds a delimiter, \n or \r\n (or is the end of the file), or -1 when more bytes are needed.
   */
  private quotedField(buf: Buffer, pos: number, limit: number, atEof: boolean, f: number): number {
    const openLine = this.lines + 1 + this.spanned;
    let q = pos + 1;
    for (;;) {
      if (q >= limit) {
        if (atEof) this.fail(openLine, f, 'unterminated quoted field (expected a closing ")');
        return -1;
      }
      const c = buf[q];
      if (c === QUOTE) {
        if (q + 1 >= limit && !atEof) return -1;
        if (q + 1 < limit && buf[q + 1] === QUOTE) {
          q += 2;
          continue;
        }
        break;
      }
      if (c === LF) this.spanned++;
      q++;
    }
    this.starts[f] = pos + 1;
    this.ends[f] = q;
    this.quoted[f] = 1;
    const next = q + 1;
    if (next >= limit) return next;
    const c = buf[next];
    if (c === this.delimiter || c === LF) return next;
    if (c === CR) {
      if (next + 1 >= limit) return atEof ? next + 1 : -1;
      if (buf[next + 1] === LF) return next;
    }
    this.fail(
      this.lines + 1 + this.spanned,
      f,
      'expected a delimiter or the line end after the closing quote',
    );
  }

  private fail(line: number, f: number, problem: string): never {
    throw new TraceFormatError(this.path, { line }, `column ${f + 1}`, problem);
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(n);
    ends.set(this.ends);
    this.ends = ends;
    const quoted = new Uint8Array(n);
    quoted.set(this.quoted);
    this.quoted = quoted;
  }

  /** Field i as a string, verbatim (UTF-8; `""` unescaped in quoted fields). */
  str(i: number): string {
    const s = this.buf.toString('utf8', this.starts[i], this.ends[i]);
    return this.quoted[i] === 0 ? s : s.replaceAll('""', '"');
  }

  /** Field i for an error message, shortened if long. */
  text(i: number): string {
    const s = this.str(i);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  }

  /**
   * Field i as a canonical decimal integer below 2^64 (digits only, no leading zero), split into
   * this.lo and this.hi. Canonical so that distinct texts never share a number. False if not one.
   */
  u64(i: number): boolean {
    const buf = this.buf;
    const s = this.starts[i];
    const e = this.ends[i];
    const len = e - s;
    if (len === 0 || len > 20 || (buf[s] === ZERO && len > 1)) return false;
    let lo = 0;
    let hi = 0;
    if (len <= 15) {
      // Below 10^15 < 2^53: exact in a double, split once at the end.
      for (let p = s; p < e; p++) {
        const d = buf[p] - ZERO;
        if (d < 0 || d > 9) return false;
        lo = lo * 10 + d;
      }
      hi = Math.floor(lo / TWO_32);
      lo -= hi * TWO_32;
    } else {
      // Longer: the first 15 digits exactly in a double (a < 10^15), the other k ≤ 5 in b, and the value
      // a·10^k + b assembled in 32-bit halves; aLo·10^k + b < 2^32·10^5 stays exact, so two divisions
      // suffice instead of a carry per digit.
      let a = 0;
      const mid = s + 15;
      for (let p = s; p < mid; p++) {
        const d = buf[p] - ZERO;
        if (d < 0 || d > 9) return false;
        a = a * 10 + d;
      }
      let b = 0;
      let m = 1;
      for (let p = mid; p < e; p++) {
        const d = buf[p] - ZERO;
        if (d < 0 || d > 9) return false;
        b = b * 10 + d;
        m *= 10;
      }
      const aHi = Math.floor(a / TWO_32);
      const low = (a - aHi * TWO_32) * m + b;
      const carry = Math.floor(low / TWO_32);
      lo = low - carry * TWO_32;
      hi = aHi * m + carry;
      if (hi >= TWO_32) return false;
    }
    this.lo = lo;
    this.hi = hi;
    return true;
  }

  /** Field i (spaces around it allowed) as an unsigned decimal integer ≤ max (≤ 2^53), or -1. */
  uint(i: number, max: number): number {
    const buf = this.buf;
    let s = this.starts[i];
    let e = this.ends[i];
    while (s < e && buf[s] === SPACE) s++;
    while (e > s && buf[e - 1] === SPACE) e--;
    if (s === e) return -1;
    let v = 0;
    for (let p = s; p < e; p++) {
      const d = buf[p] - ZERO;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
      if (v > max) return -1;
    }
    return v;
  }

  /**
   * Field i as a number of seconds (decimal, optionally signed, fractional or with an exponent), returned
   * in whole microseconds (rounded half away from zero), or NaN when it is not one or exceeds 2^53 µs.
   */
  seconds(i: number): number {
    const buf = this.buf;
    let s = this.starts[i];
    let e = this.ends[i];
    while (s < e && buf[s] === SPACE) s++;
    while (e > s && buf[e - 1] === SPACE) e--;
    const sign = s < e && buf[s] === MINUS ? -1 : 1;
    if (sign < 0) s++;
    let whole = 0;
    let p = s;
    for (; p < e; p++) {
      const d = buf[p] - ZERO;
      if (d < 0 || d > 9) break;
      whole = whole * 10 + d;
    }
    let digits = p - s;
    let us = 0;
    if (p < e && buf[p] === DOT) {
      const f0 = ++p;
      for (; p < e; p++) {
        const d = buf[p] - ZERO;
        if (d < 0 || d > 9) break;
        const k = p - f0;
        if (k < 6) us += d * FRACTION_US[k];
        else if (k === 6 && d >= 5) us += 1;
      }
      digits += p - f0;
    }
    if (p < e) return this.exponentSeconds(i);
    if (digits === 0 || whole > MAX_SECONDS) return Number.NaN;
    us += whole * 1e6;
    if (us > Number.MAX_SAFE_INTEGER) return Number.NaN;
    return sign < 0 && us !== 0 ? -us : us;
  }

  /** The rare exponent form (e.g. 1.5e9), through a string. */
  private exponentSeconds(i: number): number {
    const t = this.str(i).trim();
    if (!EXPONENT_FORM.test(t)) return Number.NaN;
    const v = Number(t);
    const us = Math.round(Math.abs(v) * 1e6);
    if (us > Number.MAX_SAFE_INTEGER) return Number.NaN;
    return v < 0 && us !== 0 ? -us : us;
  }

  /** Field i (spaces around it allowed) looked up in an op table: its op, or -1 when not listed. */
  op(i: number, table: OpTable): number {
    const buf = this.buf;
    let s = this.starts[i];
    let e = this.ends[i];
    while (s < e && buf[s] === SPACE) s++;
    while (e > s && buf[e - 1] === SPACE) e--;
    const n = e - s;
    const values = table.values;
    next: for (let v = 0; v < values.length; v++) {
      const value = values[v];
      if (value.length !== n) continue;
      for (let k = 0; k < n; k++) if (asciiLower(buf[s + k]) !== value[k]) continue next;
      return table.ops[v];
    }
    return -1;
  }
}
