/**
 * Whether the calibration tests can run: they need redis-server and memcached. Outside CI a missing binary
 * skips them with a visible message; under CI=true it is a failure.
 */
import { hasBinary, type ServerKind } from '../../src/calibrate/servers.ts';

export function serversAvailable(...kinds: ServerKind[]): boolean {
  const missing = kinds.filter((k) => !hasBinary(k)).map((k) => (k === 'redis' ? 'redis-server' : k));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true')
    throw new Error(`${missing.join(' and ')} missing, and CI=true requires them`);
  console.warn(`skipping: ${missing.join(' and ')} not found on PATH`);
  return false;
}
