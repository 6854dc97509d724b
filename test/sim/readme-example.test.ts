/**
 * README.md's "Discrete-event engine" example, run exactly as printed there (its imports pointed at this
 * checkout), in a child process; its output must be the one its last comment promises.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.ts';

function exampleBlock(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split('\n## Discrete-event engine\n')[1]?.split('\n## ')[0];
  const block = section && /\n```ts\n([\s\S]*?)\n```\n/.exec(section);
  if (!block) throw new Error('README.md: no ```ts block in the "Discrete-event engine" section');
  return block[1];
}

describe('README engine example', () => {
  it('runs and prints what its last comment says', () => {
    const code = exampleBlock();
    const promised = /\/\/ (.+)\s*$/.exec(code)?.[1];
    expect(promised).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'cachetopo-readme-'));
    try {
      const file = join(dir, 'example.mts');
      writeFileSync(file, code.replaceAll("from './src/", `from '${join(repoRoot, 'src')}/`));
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(promised);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
