/**
 * Reader for libCacheSim's oracleGeneral binary traces, plain or zstd-compressed (`.zst`).
 *
 * The file is a headerless run of 24-byte packed little-endian records:
 *   u32 clock_time (s) · u64 obj_id · u32 obj_size · i64 next_access_vtime
 * where next_access_vtime is the ABSOLUTE 1-based position of the next request to the same object, and -1
 * or INT64_MAX means never (libCacheSim's traceConv writes it so; its FAQ's "distance" wording is wrong —
 * see ../shared/traces/README.md). We store time in µs, obj_id as a dense id (through its two 32-bit
 * halves, never a double) and next as the 0-based index (value − 1) or -1.
 *
 * Requests of size 0 are kept, unlike libCacheSim's reader (ignore_size_zero_req): next_access_vtime
 * counts every record, so dropping some would leave the next indices of the others pointing at the wrong
 * requests. The CloudPhysics sample has none.
 *
 * Checks that tell a file of another format from this one: the length is a whole number of records and not
 * zero, and each next_access_vtime is never-again or a later request of this trace (a .zst file's length
 * is known only at its end, so a next access past it is reported there, naming the farthest one). A trace
 * cut short at a record boundary fails the last check: its next indices must be recomputed. The record
 * loop does only the common case (a valid later index) inline; the rest goes to a slow path.
 */
import { InputError, TraceFormatError } from '../../errors.ts';
import { allocBatch, BATCH_SIZE, type RequestBatch, type RequestSource, type TraceInfo } from '../api.ts';
import { ByteReader, CHUNK_BYTES } from '../byte-reader.ts';
import type { ByteSource } from '../byte-source.ts';
import { KeyMap } from '../keymap.ts';
import type { ReaderEntry } from '../registry.ts';
import { ZstdSource } from '../zstd-source.ts';

const RECORD = 24;

export interface OracleGeneralOpts {
  /** Bytes in the read window (tests make it small to cross window boundaries). */
  chunkBytes?: number;
  /** Compressed bytes pushed to the zstd decoder at a time (.zst files only). */
  zstdChunkBytes?: number;
}

/** The signed 64-bit value of two 32-bit halves, exactly, for messages. */
function int64(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

class OracleGeneralSource implements RequestSource {
  readonly info: TraceInfo;
  readonly keys = new KeyMap('u64');
  private readonly bytes: ByteSource;
  private readonly zstd: ZstdSource | null;
  private readonly fileSize: number;
  /** File name used in messages; offsets in a .zst file are in its decompressed stream. */
  private readonly label: string;
  /** Ops and TTLs stay 0 (get, no expiry): allocBatch zeroes them and this reader never writes them. */
  private readonly batch = allocBatch(BATCH_SIZE, true);
  /** 0-based index of the next record. */
  private record = 0;
  /** Largest valid next_access_vtime: the request count if known up front, else 2^53 − 1. */
  private readonly limit: number;
  /** For .zst files, whose request count is known only at the end: the farthest next index seen. */
  private farthest = -1;
  private farthestRecord = 0;

  constructor(path: string, opts: OracleGeneralOpts) {
    const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
    let requests: number | undefined;
    if (path.endsWith('.zst')) {
      this.zstd = new ZstdSource(path, chunkBytes, opts.zstdChunkBytes);
      this.bytes = this.zstd;
      this.fileSize = this.zstd.fileSize;
      this.label = `${path} (decompressed)`;
      this.limit = Number.MAX_SAFE_INTEGER;
    } else {
      const reader = new ByteReader(path, chunkBytes);
      this.zstd = null;
      this.bytes = reader;
      this.fileSize = reader.fileSize;
      this.label = path;
      const whole = Math.floor(reader.fileSize / RECORD);
      if (reader.fileSize === 0 || reader.fileSize % RECORD !== 0) {
        reader.close();
        throw this.endError(whole, reader.fileSize % RECORD);
      }
      requests = whole;
      this.limit = whole;
    }
    this.info = {
      format: 'oracleGeneral',
      name: path,
      hasTime: true,
      hasSize: true,
      hasOp: false,
      hasTtl: false,
      hasNext: true,
      keyKind: 'u64',
      provenance: { kind: 'file', path, format: 'oracleGeneral' },
      requests,
    };
  }

  next(): RequestBatch | null {
    const b = this.batch;
    const cap = b.time.length;
    let n = 0;
    while (n < cap) {
      const avail = this.bytes.fill(RECORD);
      if (avail < RECORD) {
        if (avail > 0 || this.record === 0) throw this.endError(this.record, avail);
        break;
      }
      const count = Math.min(Math.floor(avail / RECORD), cap - n);
      this.decode(n, count);
      n += count;
    }
    if (this.zstd !== null) this.noteFarthest(n);
    if (n === 0) {
      if (this.farthest >= this.record) {
        const r = this.farthestRecord;
        throw this.nextError(r, `${this.farthest + 1} is past the last request (${this.record})`);
      }
      return null;
    }
    b.length = n;
    return b;
  }

  progress(): { done: number; total: number } {
    return { done: this.zstd !== null ? this.zstd.consumed : this.bytes.offset, total: this.fileSize };
  }

  close(): void {
    this.bytes.close();
  }

  /**
   * Decodes `count` whole records at bytes.start into batch slots from `at`. A DataView reads as fast as a
   * Uint32Array here and needs no alignment; next_access_vtime is checked as one double (exact below
   * 2^53), which beats testing its high word first, and -1 / INT64_MAX fall through to the slow path.
   */
  private decode(at: number, count: number): void {
    const bytes = this.bytes;
    const view = new DataView(bytes.buf.buffer, bytes.buf.byteOffset + bytes.start, count * RECORD);
    const { time, key, size } = this.batch;
    const next = this.batch.next!;
    const keys = this.keys;
    const limit = this.limit;
    let own = this.record;
    for (let i = 0; i < count; i++) {
      const o = i * RECORD;
      const j = at + i;
      own++; // 1-based index of this record, the unit of next_access_vtime
      time[j] = view.getUint32(o, true) * 1e6;
      key[j] = keys.idOfU64(view.getUint32(o + 4, true), view.getUint32(o + 8, true));
      size[j] = view.getUint32(o + 12, true);
      const v = view.getInt32(o + 20, true) * 4294967296 + view.getUint32(o + 16, true);
      if (v > own && v <= limit) next[j] = v - 1;
      else next[j] = this.nextSlow(view.getUint32(o + 16, true), view.getInt32(o + 20, true), own);
    }
    this.record = own;
    bytes.start += count * RECORD;
  }

  /** next_access_vtime outside the common case: never again, or invalid. */
  private nextSlow(lo: number, hi: number, own: number): number {
    if (lo === 0xffffffff && (hi === -1 || hi === 0x7fffffff)) return -1;
    const v = hi * 4294967296 + lo;
    if (v > own && v <= this.limit) return v - 1;
    const range = this.zstd !== null ? `${own + 1} or more` : `${own + 1}..${this.limit}`;
    return this.nextError(
      own - 1,
      `expected -1, INT64_MAX or the 1-based index of a later request (${range}), got ${int64(lo, hi)}`,
    );
  }

  private nextError(record: number, problem: string): never {
    throw new TraceFormatError(this.label, { record, byte: record * RECORD }, 'next_access_vtime', problem);
  }

  private endError(record: number, partial: number): TraceFormatError {
    const loc = { record, byte: record * RECORD };
    if (record === 0 && partial === 0) {
      return new TraceFormatError(
        this.label,
        loc,
        'record',
        'empty trace; expected 24-byte oracleGeneral records',
      );
    }
    return new TraceFormatError(
      this.label,
      loc,
      'record',
      `the data ends ${partial} bytes into a 24-byte record (truncated, or not an oracleGeneral trace)`,
    );
  }

  /** Remembers the farthest next index of the batch just decoded (its `n` records end at `record`). */
  private noteFarthest(n: number): void {
    const next = this.batch.next!;
    const first = this.record - n;
    for (let i = 0; i < n; i++) {
      if (next[i] > this.farthest) {
        this.farthest = next[i];
        this.farthestRecord = first + i;
      }
    }
  }
}

/** Opens an oracleGeneral trace (.zst by its name) with reader options of its own. */
export function openOracleGeneral(path: string, opts: OracleGeneralOpts = {}): RequestSource {
  return new OracleGeneralSource(path, opts);
}

export const oracleGeneralReader: ReaderEntry = {
  name: 'oracleGeneral',
  description: "libCacheSim's oracleGeneral binary (24-byte records with next access), plain or .zst",
  suffixes: ['.oracleGeneral.bin', '.oracleGeneral', '.oracleGeneral.zst', '.oracleGeneral.bin.zst'],
  open: (path, opts) => {
    if (opts.csv !== undefined || opts.csvOps !== undefined || opts.delimiter !== undefined || opts.header) {
      throw new InputError(
        `${path}: --csv, --csv-ops, --delimiter and --header do not apply to the oracleGeneral format`,
      );
    }
    return openOracleGeneral(path);
  },
};
