/**
 * Throwaway redis-server and memcached processes for calibration: each on a free loopback port, with its
 * pid file, log and working directory in a private temporary directory, stopped (SIGTERM, then SIGKILL) and
 * cleaned up by `stop()`. Nothing is persisted: Redis runs with `save ""` and no AOF, so no fork (a BGSAVE
 * child would freeze LRU/LFU updates, notes §3) and no dump file. memcached gets `-U 0` (no UDP) and its -m.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';

export type ServerKind = 'redis' | 'memcached';

const BINARY: Record<ServerKind, string> = { redis: 'redis-server', memcached: 'memcached' };
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface RunningServer {
  readonly kind: ServerKind;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the process and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Whether the server's binary is on PATH. */
export function hasBinary(kind: ServerKind): boolean {
  return spawnSync(BINARY[kind], ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A loopback port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function args(kind: ServerKind, port: number, dir: string, memoryMiB: number): string[] {
  if (kind === 'redis') {
    return [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
      '--pidfile',
      join(dir, 'server.pid'),
      '--logfile',
      join(dir, 'server.log'),
      // DEBUG HTSTATS shows the bucket arrays the memory model charges for.
      '--enable-debug-command',
      'local',
    ];
  }
  // memcached refuses to run as root unless told which user to be.
  const user = process.getuid?.() === 0 ? ['-u', 'root'] : [];
  return [
    '-l',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    '0',
    '-m',
    String(memoryMiB),
    '-P',
    join(dir, 'server.pid'),
    ...user,
  ];
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/**
 * Starts a server on a free loopback port and waits until it accepts connections. `memoryMiB` is
 * memcached's -m (Redis' maxmemory is set per run with CONFIG SET).
 */
export async function startServer(kind: ServerKind, memoryMiB = 64): Promise<RunningServer> {
  if (!hasBinary(kind))
    throw new InputError(`${BINARY[kind]}: not found on PATH; install it or pass an address`);
  const dir = mkdtempSync(join(tmpdir(), `cachetopo-${kind}-`));
  const port = await freePort();
  const child = spawn(BINARY[kind], args(kind, port, dir, memoryMiB), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const stop = async (): Promise<void> => {
    if (!(await exited(child, 0))) {
      child.kill('SIGTERM');
      if (!(await exited(child, STOP_TIMEOUT_MS))) child.kill('SIGKILL');
      await exited(child, STOP_TIMEOUT_MS);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const why = stderr.trim().split('\n').pop() ?? '';
      throw new InputError(`${BINARY[kind]} did not start on port ${port}${why ? `: ${why}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { kind, host: '127.0.0.1', port, pid: pidOf(dir, child), stop };
}

/** The pid the server wrote to its pid file (the child's own pid until it has). */
function pidOf(dir: string, child: ChildProcess): number {
  try {
    const n = Number(readFileSync(join(dir, 'server.pid'), 'utf8').trim());
    if (Number.isInteger(n) && n > 0) return n;
  } catch {
    // Not written yet.
  }
  return child.pid ?? -1;
}
