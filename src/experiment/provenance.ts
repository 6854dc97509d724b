/**
 * What identifies a cell's result beyond its config: the code that computed it and the workload's bytes.
 * The code version is `git describe --always --dirty` of the checkout this module lives in (the cwd may be
 * anywhere), or `cachetopo@<version>` outside a git checkout. A trace file is hashed by its bytes (SHA-256,
 * streamed); a generator — inline spec or preset — by the canonical JSON of its spec, since the spec and
 * the seed determine the requests.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { configHash } from '../config/canonical.ts';
import { InputError } from '../errors.ts';
import { presets } from '../trace/generators/presets.ts';
import { packageVersion, repoDir } from '../version.ts';

let cachedVersion: string | null = null;

/** The code version recorded in every cell (computed once per process). */
export function codeVersion(): string {
  if (cachedVersion !== null) return cachedVersion;
  try {
    cachedVersion = execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: repoDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    cachedVersion = `cachetopo@${packageVersion()}`;
  }
  return cachedVersion;
}

/** SHA-256 of a file's bytes, read in 1 MiB chunks. */
export function fileHash(path: string, where: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(`${where}: cannot read trace ${path}: ${(e as NodeJS.ErrnoException).code}`);
  }
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** The trace hash of a workload as a config writes it; relative trace paths are read from `baseDir`. */
export function workloadHash(workload: unknown, baseDir: string, where: string): string {
  const w = workload as Record<string, unknown>;
  if (typeof w.trace === 'string') {
    return fileHash(isAbsolute(w.trace) ? w.trace : join(baseDir, w.trace), `${where}: /workload/trace`);
  }
  if (typeof w.preset === 'string') {
    if (!Object.hasOwn(presets, w.preset))
      throw new InputError(
        `${where}: /workload/preset: unknown preset "${w.preset}"; expected one of ${Object.keys(presets).join(', ')}`,
      );
    return configHash(presets[w.preset]);
  }
  return configHash(w);
}
