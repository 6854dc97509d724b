/**
 * Synchronous chunked file reading shared by the binary and text readers. Keeps one buffer and refills it
 * with readSync, carrying over an unconsumed tail, so readers see contiguous bytes without holding the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.ts';

export const CHUNK_BYTES = 1 << 22;

/** Opens a trace file for reading: its descriptor and size, or an InputError naming the file and why not. */
export function openTraceFile(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`${path}: cannot open: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const st = fstatSync(fd);
  if (st.isDirectory()) {
    closeSync(fd);
    throw new InputError(`${path}: is a directory, expected a trace file`);
  }
  return { fd, size: st.size };
}

export class ByteReader {
  readonly path: string;
  readonly fileSize: number;
  /** Current window of the file; valid bytes are [start, end). */
  buf: Buffer;
  start = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  private fd: number;
  private eof = false;

  constructor(path: string, chunkBytes: number = CHUNK_BYTES) {
    this.path = path;
    const { fd, size } = openTraceFile(path);
    this.fd = fd;
    this.fileSize = size;
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** File offset of the next unconsumed byte. */
  get offset(): number {
    return this.base + this.start;
  }

  get atEof(): boolean {
    return this.eof && this.start >= this.end;
  }

  /**
   * Makes at least `min` unconsumed bytes available if the file has them (moving the tail to the front and
   * reading more). Returns the number available, which is below `min` only at the end of the file.
   */
  fill(min: number): number {
    if (this.end - this.start >= min || this.eof) return this.end - this.start;
    if (min > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(min, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.start, this.end);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, this.start, this.end);
    }
    this.base += this.start;
    this.end -= this.start;
    this.start = 0;
    while (this.end < this.buf.length && !this.eof) {
      const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      if (n === 0) this.eof = true;
      this.end += n;
      if (this.end >= min) break;
    }
    return this.end - this.start;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
