/**
 * Running `cachetopo` from tests. `cli` spawns the real binary, for what only a process shows (exit codes,
 * signals, the exact bytes on stdout and stderr); `inProcess` calls main() in this process with stdout
 * and stderr captured, which is much faster and is what most cases need.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { repoRoot } from './shared.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export const BIN = join(repoRoot, 'bin/cachetopo.js');

/** Runs bin/cachetopo.js with `args` from the repository root. */
export function cli(...args: string[]): CliRun {
  return cliIn(repoRoot, ...args);
}

/** Runs bin/cachetopo.js with `args` from the working directory `cwd`. */
export function cliIn(cwd: string, ...args: string[]): CliRun {
  // A sweep's --json document runs to megabytes, past spawnSync's 1 MiB default.
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, maxBuffer: 1 << 26 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Runs main(args) here; returns the exit code and what it printed. */
export async function inProcess(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(args), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
