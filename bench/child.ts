/**
 * Processes the bench starts: each case in a child Node process of its own (bench/case.ts), so the peak
 * RSS it reports is its own and a crash or a timeout costs one row, not the run; and external commands
 * (our CLI, libCacheSim's cachesim) timed as whole processes, with their peak RSS taken by GNU time when
 * /usr/bin/time is there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './measure.ts';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(benchDir, '..');

/** The line prefix a case child puts before its JSON result on stdout. */
export const RESULT_MARK = '@@bench-result ';

export type CaseOutcome = { ok: true; measurement: Measurement } | { ok: false; error: string };

/** What a case child prints: its measurement, or the one-line error that stopped it. */
export type CaseMessage = { measurement: Measurement } | { error: string };

export interface CaseOptions {
  readonly timeoutSeconds: number;
}

/** Runs `group`/`id` with `args` in a child process (started with --expose-gc) and parses its result. */
export function runCase(group: string, id: string, args: unknown, opts: CaseOptions): CaseOutcome {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(benchDir, 'case.ts'), group, id, JSON.stringify(args)],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      timeout: opts.timeoutSeconds * 1000,
      maxBuffer: 64 << 20,
    },
  );
  if (r.error !== undefined) {
    const timedOut = (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    return { ok: false, error: timedOut ? `timed out after ${opts.timeoutSeconds} s` : r.error.message };
  }
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (line === undefined) {
    const how = r.signal !== null ? `killed by ${r.signal}` : `exit code ${r.status}`;
    return { ok: false, error: `case process ended without a result (${how})` };
  }
  const msg = JSON.parse(line.slice(RESULT_MARK.length)) as CaseMessage;
  return 'error' in msg ? { ok: false, error: msg.error } : { ok: true, measurement: msg.measurement };
}

export interface ProcessRun {
  /** Exit code 0 within the time limit. */
  readonly ok: boolean;
  /** Wall-clock seconds from spawn to exit. */
  readonly seconds: number;
  /** Peak RSS of the command (GNU time), or null when /usr/bin/time is absent. */
  readonly peakRssMiB: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it failed, in one line, when !ok. */
  readonly error: string | null;
}

const GNU_TIME = '/usr/bin/time';

/** Terminal colour codes (ESC [ … m), which cachesim puts around its log lines. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The line of a failed command's output that most likely says why: the last naming a failure or error. */
function failureLine(output: string): string {
  const lines = output
    .replace(ANSI_COLOUR, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const failures = lines.filter((l) => /fail|error/i.test(l));
  return failures.at(-1) ?? lines.at(-1) ?? '';
}

/** Runs a command to completion and times it as a whole process. */
export function timeProcess(
  command: string,
  args: readonly string[],
  opts: { cwd: string; timeoutSeconds: number },
): ProcessRun {
  const withTime = existsSync(GNU_TIME);
  const tmp = withTime ? mkdtempSync(join(tmpdir(), 'cachetopo-bench-')) : null;
  const rssFile = tmp === null ? '' : join(tmp, 'rss');
  const [cmd, argv] =
    tmp === null ? [command, [...args]] : [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: opts.timeoutSeconds * 1000,
    maxBuffer: 256 << 20,
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  let peak: number | null = null;
  if (tmp !== null) {
    if (existsSync(rssFile)) {
      const kib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      if (Number.isFinite(kib)) peak = kib / 1024;
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  let error: string | null = null;
  if (r.error !== undefined) {
    error =
      (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
        ? `timed out after ${opts.timeoutSeconds} s`
        : r.error.message;
  } else if (r.status !== 0) {
    const why = failureLine(`${r.stdout ?? ''}\n${r.stderr ?? ''}`);
    error = `exit code ${r.status ?? r.signal}${why ? `: ${why.slice(0, 200)}` : ''}`;
  }
  return {
    ok: error === null,
    seconds: secs,
    peakRssMiB: peak,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    error,
  };
}
