/**
 * Reader for VMware vscsi block-I/O traces (the CloudPhysics captures libCacheSim ships), versions 1 and 2.
 *
 * Headerless little-endian records, 32 bytes in v1 and 40 in v2:
 *   v1: u32 sn · u32 len · u32 nSG · u16 cmd · u16 ver · u64 lbn · u64 ts
 *   v2: u16 cmd · u16 ver · u32 sn · u32 len · u32 nSG · u64 lbn · u64 ts · u64 rt
 * The version is found as libCacheSim finds it: read the `ver` field of the first two records both ways;
 * v2 if its high byte is 2 in both, else v1 if it is 1 in both, else this is not a vscsi file (a file of
 * one record is tested on that one; libCacheSim refuses it). Every later record must carry the same
 * version byte, which catches files of other formats early.
 *
 * A request is time = ts (µs), key = lbn (64-bit, through its halves), size = len. libCacheSim ignores
 * cmd; we map SCSI WRITE opcodes — 0x2a WRITE(10), and 0x0a, 0xaa, 0x8a, the 6-, 12- and 16-byte
 * forms — to set and every other opcode (0x28 READ(10), the other reads, anything else) to get.
 */
import { InputError, TraceFormatError } from '../../errors.ts';
import {
  allocBatch,
  BATCH_SIZE,
  OP_GET,
  OP_SET,
  type RequestBatch,
  type RequestSource,
  type TraceInfo,
} from '../api.ts';
import { ByteReader, CHUNK_BYTES } from '../byte-reader.ts';
import { KeyMap } from '../keymap.ts';
import type { ReaderEntry } from '../registry.ts';

/** Where each version keeps its fields (byte offsets within a record). */
interface Layout {
  readonly version: 1 | 2;
  readonly bytes: number;
  readonly len: number;
  readonly cmd: number;
  /** The high byte of `ver`, which holds the version number. */
  readonly verHigh: number;
}

const V1: Layout = { version: 1, bytes: 32, len: 4, cmd: 12, verHigh: 15 };
const V2: Layout = { version: 2, bytes: 40, len: 8, cmd: 0, verHigh: 3 };
const LBN = 16;
const TS = 24;
/** Records libCacheSim tests to tell the versions apart. */
const TESTED = 2;

export interface VscsiOpts {
  /** Bytes in the read window (tests make it small to cross window boundaries). */
  chunkBytes?: number;
}

function hex(n: number, digits: number): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** True when the first records (up to TESTED, at least one) all carry the layout's version byte. */
function looksLike(head: Uint8Array, fileSize: number, l: Layout): boolean {
  const n = Math.min(TESTED, Math.floor(fileSize / l.bytes));
  for (let i = 0; i < n; i++) if (head[i * l.bytes + l.verHigh] !== l.version) return false;
  return n > 0;
}

class VscsiSource implements RequestSource {
  readonly info: TraceInfo;
  readonly keys = new KeyMap('u64');
  private readonly bytes: ByteReader;
  private readonly layout: Layout;
  /** TTLs stay 0 (no expiry): allocBatch zeroes them and this reader never writes them. */
  private readonly batch = allocBatch(BATCH_SIZE);
  /** 0-based index of the next record. */
  private record = 0;

  constructor(path: string, opts: VscsiOpts) {
    const bytes = new ByteReader(path, opts.chunkBytes ?? CHUNK_BYTES);
    this.bytes = bytes;
    try {
      this.layout = this.detect();
    } catch (e) {
      bytes.close();
      throw e;
    }
    this.info = {
      format: 'vscsi',
      name: path,
      hasTime: true,
      hasSize: true,
      hasOp: true,
      hasTtl: false,
      hasNext: false,
      keyKind: 'u64',
      provenance: { kind: 'file', path, format: 'vscsi' },
      requests: bytes.fileSize / this.layout.bytes,
    };
  }

  next(): RequestBatch | null {
    const b = this.batch;
    const size = this.layout.bytes;
    let n = 0;
    while (n < b.time.length) {
      const avail = this.bytes.fill(size);
      if (avail < size) break; // detect() made sure the file is a whole number of records
      const count = Math.min(Math.floor(avail / size), b.time.length - n);
      this.decode(n, count);
      n += count;
    }
    if (n === 0) return null;
    b.length = n;
    return b;
  }

  progress(): { done: number; total: number } {
    return { done: this.bytes.offset, total: this.bytes.fileSize };
  }

  close(): void {
    this.bytes.close();
  }

  /** Decodes `count` whole records at bytes.start into batch slots from `at`. */
  private decode(at: number, count: number): void {
    const bytes = this.bytes;
    const { bytes: size, len, cmd, verHigh, version } = this.layout;
    const buf = bytes.buf;
    const view = new DataView(buf.buffer, buf.byteOffset + bytes.start, count * size);
    const { time, key, size: objSize, op } = this.batch;
    const keys = this.keys;
    for (let i = 0; i < count; i++) {
      const o = i * size;
      const j = at + i;
      if (view.getUint8(o + verHigh) !== version) this.fail(i, 'ver', this.badVersion(view, o));
      const tsHi = view.getUint32(o + TS + 4, true);
      if (tsHi > 0x1fffff)
        this.fail(i, 'ts', `expected microseconds below 2^53, got ${this.u64(view, o + TS)}`);
      time[j] = tsHi * 4294967296 + view.getUint32(o + TS, true);
      key[j] = keys.idOfU64(view.getUint32(o + LBN, true), view.getUint32(o + LBN + 4, true));
      objSize[j] = view.getUint32(o + len, true);
      const c = view.getUint16(o + cmd, true);
      op[j] = c === 0x2a || c === 0x0a || c === 0xaa || c === 0x8a ? OP_SET : OP_GET;
    }
    this.record += count;
    bytes.start += count * size;
  }

  /** The version, from the first records; also checks the file is a whole number of records. */
  private detect(): Layout {
    const bytes = this.bytes;
    const fileSize = bytes.fileSize;
    if (fileSize === 0) throw this.error(0, 0, 'record', 'empty file; expected vscsi records');
    bytes.fill(TESTED * V2.bytes);
    const head = bytes.buf.subarray(bytes.start, bytes.end);
    const layout = looksLike(head, fileSize, V2) ? V2 : looksLike(head, fileSize, V1) ? V1 : null;
    if (layout === null) {
      if (fileSize < V1.bytes) {
        throw this.error(0, 0, 'record', `the file is ${fileSize} bytes, shorter than one vscsi record (32)`);
      }
      const v1 = head[15] * 256 + head[14];
      const v2 = head[3] * 256 + head[2];
      throw this.error(
        0,
        0,
        'ver',
        `expected 0x01nn (v1, at byte 14) or 0x02nn (v2, at byte 2), got ${hex(v1, 4)} and ${hex(v2, 4)}; ` +
          'not a vscsi trace',
      );
    }
    const partial = fileSize % layout.bytes;
    if (partial !== 0) {
      const whole = (fileSize - partial) / layout.bytes;
      throw this.error(
        whole,
        whole * layout.bytes,
        'record',
        `the file ends ${partial} bytes into a ${layout.bytes}-byte v${layout.version} record ` +
          '(truncated, or not a vscsi trace)',
      );
    }
    return layout;
  }

  private badVersion(view: DataView, o: number): string {
    const ver = view.getUint16(o + this.layout.verHigh - 1, true);
    return `expected version ${this.layout.version} (0x0${this.layout.version}nn) like the first records, got ${hex(ver, 4)}`;
  }

  private u64(view: DataView, at: number): bigint {
    return (BigInt(view.getUint32(at + 4, true)) << 32n) | BigInt(view.getUint32(at, true));
  }

  /** Throws for record `i` of the batch being decoded. */
  private fail(i: number, field: string, problem: string): never {
    const r = this.record + i;
    throw this.error(r, r * this.layout.bytes, field, problem);
  }

  private error(record: number, byte: number, field: string, problem: string): TraceFormatError {
    return new TraceFormatError(this.bytes.path, { record, byte }, field, problem);
  }
}

/** Opens a vscsi trace with reader options of its own. */
export function openVscsi(path: string, opts: VscsiOpts = {}): RequestSource {
  return new VscsiSource(path, opts);
}

export const vscsiReader: ReaderEntry = {
  name: 'vscsi',
  description: 'VMware vscsi block-I/O trace, v1 (32-byte) or v2 (40-byte) records',
  suffixes: ['.vscsi'],
  open: (path, opts) => {
    if (opts.csv !== undefined || opts.csvOps !== undefined || opts.delimiter !== undefined || opts.header) {
      throw new InputError(
        `${path}: --csv, --csv-ops, --delimiter and --header do not apply to the vscsi format`,
      );
    }
    return openVscsi(path);
  },
};
