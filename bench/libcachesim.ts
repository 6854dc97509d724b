/**
 * Runs libCacheSim's `cachesim` (github.com/1a1a11a/libCacheSim, built outside this repository; its path
 * comes from LIBCACHESIM_CACHESIM) on one policy at one size, and reads what it prints.
 *
 * With a single cache, cachesim's simulate() (bin/cachesim/sim.c) times its own request loop — reading
 * the next request included, the working-set pass and start-up excluded — and prints one line:
 *   <trace> <cache name> cache size <size>, <n> req, miss ratio <r>, throughput <t> MQPS
 * (size in objects with --ignore-obj-size=1, else in bytes with a KiB/MiB/GiB suffix). It also appends that
 * line to `<trace basename>.cachesim` in its working directory, so it runs in a scratch directory of ours.
 * A fractional size (0.1) is that fraction of the working set, rounded down, as ours is; cachesim samples
 * the working set of files over 1 GiB, which the bench's files are not.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type ProcessRun, timeProcess } from './child.ts';

export interface CachesimResult {
  readonly run: ProcessRun;
  readonly cacheName: string | null;
  /** As printed: a count of objects, or bytes with a unit suffix. */
  readonly cacheSize: string | null;
  readonly requests: number | null;
  readonly missRatio: number | null;
  /** Its loop throughput; MQPS is printed with two decimals, so slow runs lose precision. */
  readonly loopPerSecond: number | null;
  /** Why figures are missing, in one line. */
  readonly error: string | null;
}

const PRLIMIT = '/usr/bin/prlimit';
/** Address space cachesim may use (prlimit --as). */
const MEMORY_CAP_BYTES = 8 * 2 ** 30;

const LINE = /^(.*\S)\s+cache size\s+(\S+),\s+(\d+) req, miss ratio ([\d.]+), throughput ([\d.]+) MQPS\s*$/;

function parseCachesimOutput(stdout: string, tracePath: string): Omit<CachesimResult, 'run'> {
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line.trim());
    if (m === null) continue;
    const name = m[1].startsWith(tracePath) ? m[1].slice(tracePath.length).trim() : m[1];
    const mqps = Number(m[5]);
    return {
      cacheName: name,
      cacheSize: m[2],
      requests: Number(m[3]),
      missRatio: Number(m[4]),
      loopPerSecond: mqps > 0 ? mqps * 1e6 : null,
      error: mqps > 0 ? null : 'throughput printed as 0.00 MQPS (below its precision)',
    };
  }
  return {
    cacheName: null,
    cacheSize: null,
    requests: null,
    missRatio: null,
    loopPerSecond: null,
    error: 'no result line in its output',
  };
}

export function runCachesim(
  bin: string,
  trace: string,
  policy: string,
  size: string,
  byteMode: boolean,
  opts: { scratchDir: string; timeoutSeconds: number },
): CachesimResult {
  mkdirSync(opts.scratchDir, { recursive: true });
  const args = [
    trace,
    'oracleGeneral',
    policy,
    size,
    `--ignore-obj-size=${byteMode ? 0 : 1}`,
    '--num-thread=1',
  ];
  // Some of its policies size their structures by the capacity in bytes (W-TinyLFU's sketch: 1.8 GiB of
  // RSS at a 194 MiB cache): the address-space cap makes such a run fail instead of exhausting the machine.
  const run = existsSync(PRLIMIT)
    ? timeProcess(PRLIMIT, [`--as=${MEMORY_CAP_BYTES}`, '--', bin, ...args], {
        cwd: opts.scratchDir,
        timeoutSeconds: opts.timeoutSeconds,
      })
    : timeProcess(bin, args, { cwd: opts.scratchDir, timeoutSeconds: opts.timeoutSeconds });
  if (!run.ok) {
    return {
      run,
      cacheName: null,
      cacheSize: null,
      requests: null,
      missRatio: null,
      loopPerSecond: null,
      error: run.error,
    };
  }
  return { run, ...parseCachesimOutput(run.stdout, trace) };
}
