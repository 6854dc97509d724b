/**
 * Reader of the native trace format (layout in ../native-format.ts). At open it reads the header from the
 * front and the trailer from the back (the file's last 4 bytes give the trailer's length), so the request
 * count is known up front. Then it streams the batch frames through one ByteReader buffer: it checks each
 * frame's running CRC before decoding it, appends the frame's new keys to a fresh KeyMap (so dense ids are
 * those of the source the file was written from; 64-bit keys go in unhashed, see defineKeys), and copies
 * each column's bytes into the reused batch, which is the only per-request work besides checking that key
 * ids are defined.
 * Columns the file does not have keep their defaults (time 0, size 1, op get, ttl 0), set once at open.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Decoder } from '@msgpack/msgpack';
import { TraceFormatError } from '../../errors.ts';
import { allocBatch, type RequestBatch, type RequestSource, type TraceInfo } from '../api.ts';
import { ByteReader } from '../byte-reader.ts';
import { KeyMap } from '../keymap.ts';
import {
  assertLittleEndian,
  bytesOf,
  FRAME_OVERHEAD,
  MAGIC,
  MAX_BATCH,
  TAIL_BYTES,
  type TrailerFrame,
} from '../native-format.ts';
import type { ReaderEntry } from '../registry.ts';
import { type Fields, FrameChecker, isMap, parseHeader, parseTrailer } from './native-frames.ts';

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/**
 * Finds the trailer from the end of the file without checking its CRC (that needs every byte before it;
 * the streaming pass checks it). Returns its frame's offset and contents.
 */
function peekTrailer(
  path: string,
  fileSize: number,
  dataStart: number,
): { at: number; trailer: TrailerFrame } {
  const missing = (why: string): never => {
    throw new TraceFormatError(
      path,
      { byte: Math.max(0, fileSize - TAIL_BYTES) },
      'trailer',
      `missing trailer (${why}); the file is truncated or was not finished`,
    );
  };
  if (fileSize < dataStart + FRAME_OVERHEAD + TAIL_BYTES) missing('the file ends after the header');
  const fd = openSync(path, 'r');
  try {
    const word = Buffer.alloc(4);
    readSync(fd, word, 0, 4, fileSize - TAIL_BYTES);
    const len = word.readUInt32LE(0);
    const at = fileSize - TAIL_BYTES - FRAME_OVERHEAD - len;
    if (at < dataStart) missing(`its length ${len} points before the first batch`);
    const frame = Buffer.alloc(FRAME_OVERHEAD + len);
    readSync(fd, frame, 0, frame.length, at);
    if (frame.readUInt32LE(0) !== len)
      missing(`no frame of length ${len} ends at byte ${fileSize - TAIL_BYTES}`);
    let v: unknown;
    try {
      v = new Decoder().decode(frame.subarray(4, 4 + len));
    } catch {
      missing(`the frame at byte ${at} is not msgpack`);
    }
    if (!isMap(v) || v.kind !== 'end') return missing(`the frame at byte ${at} is not an end frame`);
    return { at, trailer: parseTrailer(new FrameChecker(path, at, v)) };
  } finally {
    closeSync(fd);
  }
}

class NativeSource implements RequestSource {
  readonly info: TraceInfo;
  readonly keys: KeyMap;
  private readonly path: string;
  private readonly in: ByteReader;
  private readonly decoder = new Decoder();
  private readonly batch: RequestBatch;
  /** Offset of the trailer frame: batch frames end there. */
  private readonly trailerAt: number;
  private readonly trailer: TrailerFrame;
  private crc = 0;
  private requests = 0;
  private batches = 0;
  private done = false;
  private newLo = new Uint32Array(1024);
  private newHi = new Uint32Array(1024);
  private readonly bytes: {
    key: Uint8Array;
    time: Uint8Array;
    size: Uint8Array;
    op: Uint8Array;
    ttl: Uint8Array;
  };
  private readonly nextBytes: Uint8Array | null;

  constructor(path: string) {
    assertLittleEndian();
    this.path = path;
    this.in = new ByteReader(path);
    try {
      const r = this.in;
      if (
        r.fill(MAGIC.length) < MAGIC.length ||
        !r.buf.subarray(r.start, r.start + MAGIC.length).equals(MAGIC)
      ) {
        throw new TraceFormatError(
          path,
          { byte: 0 },
          'magic',
          'not a cachetopo native trace (bad magic bytes)',
        );
      }
      this.crc = crc32(MAGIC);
      r.start += MAGIC.length;
      const headerAt = r.offset;
      const header = parseHeader(path, headerAt, this.frame(r.fileSize - TAIL_BYTES));
      const { at, trailer } = peekTrailer(path, r.fileSize, r.offset);
      this.trailerAt = at;
      this.trailer = trailer;
      // Each key takes at least 8 bytes of the file, which bounds what an unchecked trailer can make us allocate.
      this.keys = new KeyMap(header.keyKind, Math.min(trailer.uniqueKeys, Math.floor(r.fileSize / 8)));
      this.info = {
        format: 'native',
        name: path,
        hasTime: header.hasTime,
        hasSize: header.hasSize,
        hasOp: header.hasOp,
        hasTtl: header.hasTtl,
        hasNext: header.hasNext,
        keyKind: header.keyKind,
        provenance: header.provenance,
        requests: trailer.requests,
      };
    } catch (e) {
      this.in.close();
      throw e;
    }
    const b = allocBatch(MAX_BATCH, this.info.hasNext);
    b.size.fill(1);
    this.batch = b;
    this.bytes = {
      key: bytesOf(b.key, 0, MAX_BATCH),
      time: bytesOf(b.time, 0, MAX_BATCH),
      size: bytesOf(b.size, 0, MAX_BATCH),
      op: bytesOf(b.op, 0, MAX_BATCH),
      ttl: bytesOf(b.ttl, 0, MAX_BATCH),
    };
    this.nextBytes = b.next === null ? null : bytesOf(b.next, 0, MAX_BATCH);
  }

  next(): RequestBatch | null {
    if (this.done) return null;
    const at = this.in.offset;
    if (at === this.trailerAt) {
      this.endOfTrace();
      return null;
    }
    const v = this.frame(this.trailerAt);
    if (!isMap(v)) throw new TraceFormatError(this.path, { byte: at }, 'frame', 'expected a msgpack map');
    const c = new FrameChecker(this.path, at, v);
    if (v.kind !== 'batch')
      c.fail('kind', `expected "batch" before the trailer, got ${JSON.stringify(v.kind)}`);
    this.readBatch(c, v);
    return this.batch;
  }

  progress(): { done: number; total: number } {
    return { done: this.in.offset, total: this.in.fileSize };
  }

  close(): void {
    this.in.close();
  }

  /**
   * Reads the frame at the current offset, which must end by `limit`; checks its CRC, then decodes it.
   * Binary fields of the result are views into the read buffer, valid until the next frame is read.
   */
  private frame(limit: number): unknown {
    const r = this.in;
    const at = r.offset;
    if (r.fill(4) < 4 || at + FRAME_OVERHEAD > limit) {
      throw new TraceFormatError(
        this.path,
        { byte: at },
        'frame',
        `truncated frame: no room for a frame before byte ${limit}`,
      );
    }
    const len = r.buf.readUInt32LE(r.start);
    if (at + FRAME_OVERHEAD + len > limit || r.fill(FRAME_OVERHEAD + len) < FRAME_OVERHEAD + len) {
      throw new TraceFormatError(
        this.path,
        { byte: at },
        'frame',
        `truncated frame: its ${len}-byte payload runs past byte ${limit}`,
      );
    }
    const buf = r.buf;
    const s = r.start;
    const crcAt = s + 4 + len;
    this.crc = crc32(buf.subarray(s, crcAt), this.crc);
    const stored = buf.readUInt32LE(crcAt);
    if (stored !== this.crc) {
      throw new TraceFormatError(
        this.path,
        { byte: at + 4 + len },
        'crc',
        `checksum mismatch: stored ${hex(stored)}, computed ${hex(this.crc)} over the bytes before it`,
      );
    }
    this.crc = crc32(buf.subarray(crcAt, crcAt + 4), this.crc);
    let v: unknown;
    try {
      v = this.decoder.decode(buf.subarray(s + 4, crcAt));
    } catch (e) {
      throw new TraceFormatError(
        this.path,
        { byte: at + 4 },
        'frame',
        `cannot decode msgpack: ${(e as Error).message}`,
      );
    }
    r.start += FRAME_OVERHEAD + len;
    return v;
  }

  private readBatch(c: FrameChecker, f: Fields): void {
    const n = c.int('n', 1, MAX_BATCH);
    const first = c.int('first', 0);
    if (first !== this.requests)
      c.fail('first', `expected ${this.requests} (requests in earlier batches), got ${first}`);
    const firstKey = c.int('firstKey', 0);
    if (firstKey !== this.keys.size)
      c.fail('firstKey', `expected ${this.keys.size} (keys defined so far), got ${firstKey}`);
    this.defineKeys(c, f);
    const info = this.info;
    const b = this.batch;
    const keyBin = c.bin('key', 4 * n);
    this.bytes.key.set(keyBin);
    if (info.hasTime) this.bytes.time.set(c.bin('time', 8 * n));
    if (info.hasSize) this.bytes.size.set(c.bin('size', 4 * n));
    if (info.hasOp) this.bytes.op.set(c.bin('op', n));
    if (info.hasTtl) this.bytes.ttl.set(c.bin('ttl', 4 * n));
    if (this.nextBytes !== null) this.nextBytes.set(c.bin('next', 8 * n));
    this.checkKeyIds(keyBin, n);
    b.length = n;
    this.requests += n;
    this.batches++;
  }

  /**
   * Adds the frame's new keys to the key map, in id order. String keys are checked to be distinct (the Map
   * lookup is cheap beside decoding the string); 64-bit keys are appended without hashing, because hashing
   * them would cost more than the rest of the read: the CRC vouches that they are what the writer took from
   * a KeyMap, where keys are distinct by construction.
   */
  private defineKeys(c: FrameChecker, f: Fields): void {
    const keys = this.keys;
    if (keys.kind === 'string') {
      const names = f.newKeys;
      if (!Array.isArray(names)) c.fail('newKeys', 'expected an array of strings');
      for (const s of names) {
        if (typeof s !== 'string') c.fail('newKeys', `expected strings, got ${JSON.stringify(s)}`);
        const expected = keys.size;
        if (keys.idOfString(s) !== expected) c.fail('newKeys', `key ${JSON.stringify(s)} is defined twice`);
      }
      return;
    }
    const lo = f.newKeysLo;
    if (!(lo instanceof Uint8Array) || lo.byteLength % 4 !== 0) {
      c.fail('newKeysLo', 'expected binary data of whole u32 values');
    }
    const count = lo.byteLength / 4;
    const hi = c.bin('newKeysHi', lo.byteLength);
    if (count > this.newLo.length) {
      this.newLo = new Uint32Array(count);
      this.newHi = new Uint32Array(count);
    }
    // Copied to aligned arrays: the bin payloads sit at arbitrary offsets in the read buffer.
    bytesOf(this.newLo, 0, count).set(lo);
    bytesOf(this.newHi, 0, count).set(hi);
    keys.appendU64(this.newLo, this.newHi, count);
  }

  private checkKeyIds(keyBin: Uint8Array, n: number): void {
    const key = this.batch.key;
    const defined = this.keys.size;
    let max = 0;
    for (let i = 0; i < n; i++) if (key[i] > max) max = key[i];
    if (max < defined) return;
    let i = 0;
    while (key[i] < defined) i++;
    const byte = this.in.base + (keyBin.byteOffset - this.in.buf.byteOffset) + 4 * i;
    throw new TraceFormatError(
      this.path,
      { record: this.requests + i, byte },
      'key',
      `key id ${key[i]} out of range: only ${defined} keys are defined so far`,
    );
  }

  /** Reads the trailer frame (checking the CRC over the whole file) and checks its totals. */
  private endOfTrace(): void {
    const at = this.in.offset;
    this.frame(this.in.fileSize - TAIL_BYTES);
    const t = this.trailer;
    const c = new FrameChecker(this.path, at, {});
    if (t.requests !== this.requests)
      c.fail('requests', `trailer says ${t.requests}, the batches hold ${this.requests}`);
    if (t.uniqueKeys !== this.keys.size)
      c.fail('uniqueKeys', `trailer says ${t.uniqueKeys}, the batches define ${this.keys.size}`);
    if (t.batches !== this.batches)
      c.fail('batches', `trailer says ${t.batches}, the file holds ${this.batches}`);
    this.done = true;
  }
}

export const nativeReader: ReaderEntry = {
  name: 'native',
  description: 'cachetopo native trace (.ctt), as written by `trace convert`',
  suffixes: ['.ctt'],
  open: (path: string): RequestSource => new NativeSource(path),
};
