/**
 * A zstd-compressed file as a ByteSource: the decompressed stream, produced a little at a time.
 *
 * Compressed bytes are read synchronously in RAW_CHUNK pieces and pushed into fzstd's streaming
 * `Decompress`, only when the blocks it has already emitted are used up; its output blocks (≤ 128 KiB
 * each, RFC 8878 §3.1.1.2.4) are copied into one window buffer that parsers read as they would a plain
 * file. Memory is the window, the zstd window (the frame header's Window_Size) and the output of one
 * compressed piece; the whole file is never held.
 *
 * Every compressed piece gets a fresh buffer because fzstd keeps views of input it has not decoded yet
 * (an incomplete block) and would see them overwritten if the buffer were reused.
 */
import { closeSync, readSync } from 'node:fs';
import { Decompress } from 'fzstd';
import { TraceFormatError } from '../errors.ts';
import { CHUNK_BYTES, openTraceFile } from './byte-reader.ts';
import type { ByteSource } from './byte-source.ts';

/** Compressed bytes pushed at a time: about one full zstd block, so fzstd rarely re-joins partial input. */
const RAW_CHUNK = 1 << 17;

export class ZstdSource implements ByteSource {
  readonly path: string;
  /** Size of the compressed file. */
  readonly fileSize: number;
  buf: Uint8Array;
  start = 0;
  end = 0;
  /** Decompressed-stream offset of buf[0]. */
  private base = 0;
  private fd: number;
  /** Compressed bytes read and pushed so far. */
  private rawOffset = 0;
  private readonly rawChunk: number;
  /** Decompressed blocks not yet copied into buf; the first one from `pendingAt` on. */
  private pending: Uint8Array[] = [];
  private pendingHead = 0;
  private pendingAt = 0;
  /** The decoder has been told the input ended (and accepted it). */
  private ended = false;
  private readonly decoder: Decompress;

  constructor(path: string, chunkBytes: number = CHUNK_BYTES, rawChunkBytes: number = RAW_CHUNK) {
    this.path = path;
    const { fd, size } = openTraceFile(path);
    this.fd = fd;
    this.fileSize = size;
    this.buf = new Uint8Array(chunkBytes);
    this.rawChunk = rawChunkBytes;
    this.decoder = new Decompress((block) => {
      if (block.length > 0) this.pending.push(block);
    });
  }

  get offset(): number {
    return this.base + this.start;
  }

  /** Compressed bytes consumed, for progress against `fileSize`. */
  get consumed(): number {
    return this.rawOffset;
  }

  fill(min: number): number {
    if (this.end - this.start >= min) return this.end - this.start;
    if (min > this.buf.length) {
      const bigger = new Uint8Array(Math.max(min, this.buf.length * 2));
      bigger.set(this.buf.subarray(this.start, this.end));
      this.buf = bigger;
    } else {
      this.buf.copyWithin(0, this.start, this.end);
    }
    this.base += this.start;
    this.end -= this.start;
    this.start = 0;
    while (this.end < this.buf.length) {
      if (this.pendingHead === this.pending.length) {
        if (this.end >= min || this.ended) break;
        this.decodeMore();
        continue;
      }
      const block = this.pending[this.pendingHead];
      const n = Math.min(block.length - this.pendingAt, this.buf.length - this.end);
      this.buf.set(block.subarray(this.pendingAt, this.pendingAt + n), this.end);
      this.end += n;
      this.pendingAt += n;
      if (this.pendingAt === block.length) {
        this.pendingHead++;
        this.pendingAt = 0;
        if (this.pendingHead === this.pending.length) {
          this.pending = [];
          this.pendingHead = 0;
        }
      }
    }
    return this.end - this.start;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Reads the next compressed piece and decodes it; an empty read tells the decoder the input ended. */
  private decodeMore(): void {
    const chunk = new Uint8Array(this.rawChunk);
    const at = this.rawOffset;
    const n = readSync(this.fd, chunk, 0, chunk.length, at);
    this.rawOffset += n;
    try {
      this.decoder.push(chunk.subarray(0, n), n === 0);
    } catch (e) {
      // fzstd signals bad data with plain Errors (and may trip over garbage in other ways): all are input faults.
      const why = e instanceof Error ? e.message : String(e);
      const where = n === 0 ? `at the end of the file (${at} bytes)` : `in bytes ${at}–${at + n - 1}`;
      throw new TraceFormatError(this.path, { byte: at }, 'zstd', `cannot decompress ${where}: ${why}`);
    }
    if (n === 0) this.ended = true;
  }
}
