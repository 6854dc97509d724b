/**
 * Access to ../shared (sample traces and reference results beside the clone). Tests that need it skip with
 * a message when it is absent, except under CI=true, where its absence is a failure.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');

/** Path of a file under ../shared, or null when ../shared is absent (throws under CI=true). */
export function sharedFile(rel: string): string | null {
  const p = join(sharedDir, rel);
  if (existsSync(p)) return p;
  if (process.env.CI === 'true') throw new Error(`${p} is missing, and CI=true requires ../shared`);
  console.warn(`skipping: ${p} is absent (../shared is not beside the clone)`);
  return null;
}

export function fixture(name: string): string {
  return join(repoRoot, 'test/fixtures', name);
}
