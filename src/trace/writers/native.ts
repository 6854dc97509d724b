/**
 * Writer of the native trace format (layout in ../native-format.ts). It streams: every batch becomes one
 * or more frames of raw typed-array bytes that also carry the keys the source defined since the previous
 * frame, so memory stays constant however long the trace. Each frame's CRC continues a running CRC-32 of
 * the file. The output is byte-identical for the same input batches, and appears only on finish().
 */
import { crc32 } from 'node:zlib';
import { Encoder } from '@msgpack/msgpack';
import type { RequestBatch, TraceInfo } from '../api.ts';
import type { KeyMap } from '../keymap.ts';
import {
  assertLittleEndian,
  type BatchFrame,
  bytesOf,
  FORMAT_NAME,
  FORMAT_VERSION,
  type HeaderFrame,
  MAGIC,
  MAX_BATCH,
  type TrailerFrame,
} from '../native-format.ts';
import type { TraceWriter, WriterEntry } from '../registry.ts';
import { AtomicFile } from './atomic-file.ts';

class NativeWriter implements TraceWriter {
  private readonly info: TraceInfo;
  private readonly file: AtomicFile;
  private readonly encoder = new Encoder({ ignoreUndefined: true });
  private readonly word = Buffer.alloc(4);
  private crc = 0;
  private requests = 0;
  private batches = 0;
  /** Keys already defined in the file: ids below this. */
  private keysWritten = 0;
  private newLo = new Uint32Array(1024);
  private newHi = new Uint32Array(1024);

  constructor(path: string, info: TraceInfo) {
    assertLittleEndian();
    this.info = info;
    this.file = new AtomicFile(path);
    const header: HeaderFrame = {
      kind: 'header',
      format: FORMAT_NAME,
      version: FORMAT_VERSION,
      keyKind: info.keyKind,
      hasTime: info.hasTime,
      hasSize: info.hasSize,
      hasOp: info.hasOp,
      hasTtl: info.hasTtl,
      hasNext: info.hasNext,
      provenance: info.provenance,
    };
    try {
      this.emit(MAGIC);
      this.frame(header);
    } catch (e) {
      this.file.discard();
      throw e;
    }
  }

  write(batch: RequestBatch, keys: KeyMap): void {
    if (keys.kind !== this.info.keyKind) {
      throw new Error(
        `native writer: the trace declares ${this.info.keyKind} keys but its key map holds ${keys.kind}`,
      );
    }
    if (this.info.hasNext && batch.next === null) {
      throw new Error('native writer: the trace declares next-access indices but a batch has none');
    }
    for (let from = 0; from < batch.length; from += MAX_BATCH) {
      this.writeBatch(batch, keys, from, Math.min(MAX_BATCH, batch.length - from));
    }
  }

  finish(): void {
    const trailer: TrailerFrame = {
      kind: 'end',
      requests: this.requests,
      uniqueKeys: this.keysWritten,
      batches: this.batches,
    };
    const len = this.frame(trailer);
    this.word.writeUInt32LE(len, 0);
    this.file.write(this.word);
    this.file.commit();
  }

  abort(): void {
    this.file.discard();
  }

  private writeBatch(batch: RequestBatch, keys: KeyMap, from: number, n: number): void {
    const info = this.info;
    const f: BatchFrame = {
      kind: 'batch',
      first: this.requests,
      n,
      firstKey: this.keysWritten,
      key: bytesOf(batch.key, from, n),
    };
    if (info.hasTime) f.time = bytesOf(batch.time, from, n);
    if (info.hasSize) f.size = bytesOf(batch.size, from, n);
    if (info.hasOp) f.op = bytesOf(batch.op, from, n);
    if (info.hasTtl) f.ttl = bytesOf(batch.ttl, from, n);
    if (batch.next !== null && info.hasNext) f.next = bytesOf(batch.next, from, n);
    this.addNewKeys(f, keys);
    this.frame(f);
    this.requests += n;
    this.batches++;
  }

  /** Puts every key the map gained since the last frame into `f`, in id order. */
  private addNewKeys(f: BatchFrame, keys: KeyMap): void {
    const count = keys.size - this.keysWritten;
    if (keys.kind === 'string') {
      const names: string[] = new Array(count);
      for (let i = 0; i < count; i++) names[i] = keys.keyOf(this.keysWritten + i);
      f.newKeys = names;
    } else {
      if (count > this.newLo.length) {
        this.newLo = new Uint32Array(count);
        this.newHi = new Uint32Array(count);
      }
      for (let i = 0; i < count; i++) {
        const [lo, hi] = keys.halves(this.keysWritten + i);
        this.newLo[i] = lo;
        this.newHi[i] = hi;
      }
      f.newKeysLo = bytesOf(this.newLo, 0, count);
      f.newKeysHi = bytesOf(this.newHi, 0, count);
    }
    this.keysWritten = keys.size;
  }

  /** Writes one frame (length, msgpack payload, running CRC); returns the payload length. */
  private frame(value: HeaderFrame | BatchFrame | TrailerFrame): number {
    const payload = this.encoder.encodeSharedRef(value);
    this.word.writeUInt32LE(payload.length, 0);
    this.emit(this.word);
    this.emit(payload);
    this.word.writeUInt32LE(this.crc, 0);
    this.emit(this.word);
    return payload.length;
  }

  private emit(bytes: Uint8Array): void {
    this.crc = crc32(bytes, this.crc);
    this.file.write(bytes);
  }
}

export const nativeWriter: WriterEntry = {
  name: 'native',
  description: 'cachetopo native trace: msgpack frames of raw typed arrays, read at memory speed',
  suffixes: ['.ctt'],
  create: (path: string, info: TraceInfo): TraceWriter => new NativeWriter(path, info),
};
