/**
 * Programs some tests need from the system (Debian packages in .ci/run): found, or null with a visible
 * skip message — except under CI=true, where a missing program fails the test instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hasBinary, type ServerKind } from '../../src/calibrate/servers.ts';

function missing(what: string): null {
  if (process.env.CI === 'true') throw new Error(`${what} is missing, and CI=true requires it`);
  console.warn(`skipping: ${what} is absent`);
  return null;
}

/** Debian's chromium, for headless browser tests (never a downloaded browser). */
export function chromiumPath(): string | null {
  const p = '/usr/bin/chromium';
  return existsSync(p) ? p : missing(`${p} (Debian package chromium)`);
}

/** A python3 that can import nbformat: Debian's first (python3-nbformat), then the one on PATH. */
export function pythonWithNbformat(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import nbformat'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return missing('python3 with nbformat (Debian package python3-nbformat)');
}

/** Whether redis-server and memcached (as `kinds` asks) are on PATH, for the calibration and record tests. */
export function serversAvailable(...kinds: ServerKind[]): boolean {
  const absent = kinds.filter((k) => !hasBinary(k)).map((k) => (k === 'redis' ? 'redis-server' : k));
  return absent.length === 0 || missing(`${absent.join(' and ')} (on PATH)`) !== null;
}
