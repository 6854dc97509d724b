/**
 * An output file that appears only when complete: bytes go to a temporary file beside the target (same
 * directory, so the rename cannot cross file systems), which commit() renames into place and discard()
 * deletes. Readers of the target thus never see a half-written trace, and a failed write leaves nothing.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../../errors.ts';

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

export class AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  private fd: number;

  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.tempPath, 'wx');
    } catch (e) {
      throw new InputError(`${path}: cannot create: ${code(e)}`);
    }
  }

  /** Writes all of `bytes` (writeSync may write less than asked). */
  write(bytes: Uint8Array): void {
    if (this.fd < 0) throw new Error(`${this.path}: write after the file was completed or discarded`);
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      throw new InputError(`${this.path}: cannot write: ${code(e)}`);
    }
  }

  /** Closes the temporary file and renames it to the target. */
  commit(): void {
    if (this.fd < 0) throw new Error(`${this.path}: already completed or discarded`);
    closeSync(this.fd);
    this.fd = -1;
    try {
      renameSync(this.tempPath, this.path);
    } catch (e) {
      rmSync(this.tempPath, { force: true });
      throw new InputError(`${this.path}: cannot move the finished file into place: ${code(e)}`);
    }
  }

  /** Closes and deletes the temporary file; safe to call more than once, and after commit(). */
  discard(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tempPath, { force: true });
  }
}

/**
 * Writes a whole file atomically; with `mkdir`, creates its directory first. Every failure is an
 * InputError naming the path.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { mkdir?: boolean } = {},
): void {
  if (opts.mkdir) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new InputError(`${path}: cannot create its directory: ${code(e)}`);
    }
  }
  const file = new AtomicFile(path);
  try {
    file.write(typeof data === 'string' ? Buffer.from(data) : data);
    file.commit();
  } finally {
    file.discard();
  }
}
