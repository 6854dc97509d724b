/**
 * A calibration: replays one workload on real Redis and memcached servers at each memory size (and each
 * Redis policy), runs the simulator's model of the same server on what that server saw, and collects the
 * rows of the calibration document.
 *
 * Servers: with no address, a redis-server is started once (maxmemory and the policy are set per run) and a
 * memcached per memory size (-m is fixed at start); all are stopped afterwards. A given Redis is
 * reconfigured per run and its maxmemory and policy restored at the end; a given memcached is used at its
 * own -m only. Both are flushed: never point this at a server whose data matters.
 */
import { InputError } from '../errors.ts';
import type { ParamValue } from '../policies/api.ts';
import { findPolicy } from '../policies/registry.ts';
import {
  connectMemcached,
  type MemcachedTarget,
  memcachedLimit,
  replayMemcached,
} from './memcached-replay.ts';
import { connectRedis, type RedisTarget, replayRedis, type ServerRun } from './redis-replay.ts';
import type { CalibrationDetail, CalibrationDocument } from './report.ts';
import { type ServerKind, startServer } from './servers.ts';
import { simulate } from './simulate.ts';
import type { CalibrationWorkload } from './workload.ts';

/**
 * Redis' policy names a calibration runs, each with the simulator's model of it: the policy that takes the
 * name as an alias (volatile-* need TTLs a replay does not set).
 */
export const REDIS_MODELS: Readonly<Record<string, string>> = Object.fromEntries(
  ['allkeys-lru', 'allkeys-lfu', 'allkeys-random'].map((name) => [name, findPolicy(name).name]),
);
export const MEMCACHED_POLICY = 'segmented-lru';
const MiB = 1 << 20;

export interface CalibrationOptions {
  readonly servers: readonly ServerKind[];
  /** Memory limits, bytes. */
  readonly memory: readonly number[];
  /** Redis policy names (keys of REDIS_MODELS). */
  readonly policies: readonly string[];
  readonly redis?: RedisTarget;
  readonly memcached?: MemcachedTarget;
  readonly seed: number;
  /** Called after each run with its row, and with replay progress. */
  readonly onRow?: (row: CalibrationDetail) => void;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

/** Checks the options a user gave before any server is started. */
export function checkOptions(o: CalibrationOptions): void {
  for (const p of o.policies) {
    if (!Object.hasOwn(REDIS_MODELS, p)) {
      throw new InputError(
        `--policy: unknown or unsupported Redis policy "${p}"; expected one of: ${Object.keys(REDIS_MODELS).join(', ')}`,
      );
    }
  }
  if (o.servers.includes('memcached') && o.memcached === undefined) {
    for (const m of o.memory) {
      if (m % MiB !== 0 || m < 2 * MiB) {
        throw new InputError(
          `--memory: memcached's -m is whole MiB, at least 2 (twice its 1 MiB item size limit), got ${m} bytes`,
        );
      }
    }
  }
}

function row(
  server: ServerKind,
  policy: string,
  memory: number,
  model: string,
  real: ServerRun,
  w: CalibrationWorkload,
  seed: number,
): CalibrationDetail {
  const params: Record<string, ParamValue> = { ...real.modelParams };
  const sim = simulate(w, real.batchTimes, model, memory, params, seed);
  const realMissRatio = real.misses / Math.max(1, real.hits + real.misses);
  const simMissRatio = sim.misses / Math.max(1, sim.hits + sim.misses);
  return {
    server,
    policy,
    memory,
    realMissRatio,
    simMissRatio,
    gapPp: (realMissRatio - simMissRatio) * 100,
    model: { policy: model, params: real.modelParams },
    real: {
      hits: real.hits,
      misses: real.misses,
      evictions: real.evictions,
      memoryBytes: real.memoryBytes,
      objects: real.objects,
      seconds: real.seconds,
      server: real.server,
    },
    sim,
  };
}

async function calibrateRedis(
  w: CalibrationWorkload,
  o: CalibrationOptions,
  out: CalibrationDetail[],
): Promise<void> {
  const own = o.redis === undefined ? await startServer('redis') : null;
  try {
    const r = await connectRedis(o.redis ?? (own as RedisTarget));
    const saved = o.redis === undefined ? null : await r.config('GET', 'maxmemory*');
    try {
      for (const policy of o.policies) {
        for (const memory of o.memory) {
          const label = `redis ${policy} ${memory}`;
          const real = await replayRedis(r, w, memory, policy, (d, t) => o.onProgress?.(label, d, t));
          const d = row('redis', policy, memory, REDIS_MODELS[policy], real, w, o.seed);
          out.push(d);
          o.onRow?.(d);
        }
      }
    } finally {
      if (saved !== null) {
        const pairs = saved as string[];
        for (let i = 0; i + 1 < pairs.length; i += 2) await r.config('SET', pairs[i], pairs[i + 1]);
      }
      r.disconnect();
    }
  } finally {
    await own?.stop();
  }
}

async function calibrateMemcachedAt(
  w: CalibrationWorkload,
  o: CalibrationOptions,
  target: MemcachedTarget,
  out: CalibrationDetail[],
): Promise<void> {
  const c = connectMemcached(target);
  try {
    const memory = await memcachedLimit(c);
    const real = await replayMemcached(c, w, (d, t) => o.onProgress?.(`memcached ${memory}`, d, t));
    const d = row('memcached', MEMCACHED_POLICY, memory, 'memcached', real, w, o.seed);
    out.push(d);
    o.onRow?.(d);
  } finally {
    c.close();
  }
}

export async function runCalibration(
  w: CalibrationWorkload,
  o: CalibrationOptions,
): Promise<CalibrationDocument> {
  checkOptions(o);
  const rows: CalibrationDetail[] = [];
  if (o.servers.includes('redis')) await calibrateRedis(w, o, rows);
  if (o.servers.includes('memcached')) {
    if (o.memcached !== undefined) await calibrateMemcachedAt(w, o, o.memcached, rows);
    else {
      for (const memory of o.memory) {
        const s = await startServer('memcached', memory / MiB);
        try {
          await calibrateMemcachedAt(w, o, s, rows);
        } finally {
          await s.stop();
        }
      }
    }
  }
  return {
    kind: 'cachetopo-calibration',
    version: 1,
    trace: {
      name: w.name,
      requests: w.requests,
      objects: w.objects,
      keyLength: w.keyLength,
      valueLimit: w.valueLimit,
      capped: w.capped,
    },
    seed: o.seed,
    rows,
  };
}
