/**
 * Replays a calibration workload against a real Redis (ioredis pipelines): configures maxmemory and the
 * policy, flushes, then per batch pipelines the GETs and a SET for each miss, and reads back what the server
 * counted (deltas of INFO stats keyspace_hits/misses and evicted_keys; INFO memory used_memory).
 *
 * What the model must be told is measured here too: used_memory of the flushed server with this client
 * connected and every command of the replay run once (the model's baseBytes: startup memory, client buffers
 * and Redis 7's per-command latency histograms, ~47 KiB each, allocated on a command's first use and freed
 * by CONFIG RESETSTAT, which is why the counters are deltas instead), the sampling and LFU settings the
 * server runs with, and the wall-clock time of each batch (Redis' LRU clock is unix seconds and its LFU
 * decay unix minutes, so the model runs on the replay's clock, not the trace's).
 */
import { Redis } from 'ioredis';
import { InputError } from '../errors.ts';
import { replayBatches } from './batch-replay.ts';
import type { CalibrationWorkload } from './workload.ts';

export interface RedisTarget {
  readonly host: string;
  readonly port: number;
}

export interface ServerRun {
  readonly hits: number;
  readonly misses: number;
  /** Misses the client saw; equals `misses` unless someone else used the server. */
  readonly clientMisses: number;
  readonly evictions: number;
  /** Unix time (µs) at which each batch was sent. */
  readonly batchTimes: Float64Array;
  readonly seconds: number;
  /** Memory at the end: used_memory (Redis) or total_malloced (memcached). */
  readonly memoryBytes: number;
  /** Keys cached at the end (DBSIZE, curr_items). */
  readonly objects: number;
  /** Parameters the model needs to see what this server saw. */
  readonly modelParams: Readonly<Record<string, number>>;
  /** Facts for the report: allocator, server version, -m… */
  readonly server: Readonly<Record<string, string | number>>;
}

/** Parses an INFO section into field → value. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const c = line.indexOf(':');
    if (c > 0 && !line.startsWith('#')) out.set(line.slice(0, c), line.slice(c + 1));
  }
  return out;
}

function num(info: Map<string, string>, field: string): number {
  const v = Number(info.get(field));
  if (!Number.isFinite(v)) throw new Error(`redis INFO has no numeric ${field}`);
  return v;
}

export function parseRedisUrl(url: string): RedisTarget {
  const m = /^redis:\/\/([^:/]+):(\d+)\/?$/.exec(url);
  if (!m) throw new InputError(`--redis: expected redis://HOST:PORT, got "${url}"`);
  return { host: m[1], port: Number(m[2]) };
}

export async function connectRedis(t: RedisTarget): Promise<Redis> {
  const r = new Redis({
    host: t.host,
    port: t.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  r.on('error', () => {
    // Reported by the failing command instead.
  });
  try {
    await r.connect();
  } catch (e) {
    throw new InputError(`redis://${t.host}:${t.port}: cannot connect: ${(e as Error).message}`);
  }
  return r;
}

async function configGet(r: Redis, name: string): Promise<string> {
  const v = (await r.config('GET', name)) as string[];
  return v[1] ?? '';
}

/** Replays `w` on a connected Redis with the given maxmemory (bytes) and maxmemory-policy. */
export async function replayRedis(
  r: Redis,
  w: CalibrationWorkload,
  maxmemory: number,
  policy: string,
  onProgress?: (done: number, total: number) => void,
): Promise<ServerRun> {
  await r.flushall('SYNC');
  await r.config('SET', 'maxmemory-policy', policy);
  await r.config('SET', 'maxmemory', String(maxmemory));
  // Redis 7 allocates a latency histogram per command type on first use (latency-tracking, tens of KiB
  // each, counted in used_memory): run every command of the replay once so the baseline includes them.
  const probe = '_cachetopo:probe';
  await r.get(probe);
  await r.set(probe, 'v');
  await r.del(probe);
  await r.info('stats');
  const before = parseInfo(await r.info('stats'));
  const base = num(parseInfo(await r.info('memory')), 'used_memory');
  const { batchTimes, clientMisses, seconds } = await replayBatches(
    w,
    {
      async get(keys) {
        const gets = r.pipeline();
        for (const k of keys) gets.getBuffer(k);
        return ((await gets.exec()) ?? []).map(([err, v]) => {
          if (err) throw err;
          return v;
        });
      },
      async set(keys, values) {
        const sets = r.pipeline();
        for (let j = 0; j < keys.length; j++) sets.set(keys[j], values[j]);
        for (const [err] of (await sets.exec()) ?? []) if (err) throw err;
      },
    },
    onProgress,
  );
  const stats = parseInfo(await r.info('stats'));
  const mem = parseInfo(await r.info('memory'));
  const srv = parseInfo(await r.info('server'));
  return {
    hits: num(stats, 'keyspace_hits') - num(before, 'keyspace_hits'),
    misses: num(stats, 'keyspace_misses') - num(before, 'keyspace_misses'),
    clientMisses,
    evictions: num(stats, 'evicted_keys') - num(before, 'evicted_keys'),
    batchTimes,
    seconds,
    memoryBytes: num(mem, 'used_memory'),
    objects: await r.dbsize(),
    modelParams: {
      keyBytes: w.keyLength,
      baseBytes: base,
      samples: Number(await configGet(r, 'maxmemory-samples')),
      lfuLogFactor: Number(await configGet(r, 'lfu-log-factor')),
      lfuDecayTime: Number(await configGet(r, 'lfu-decay-time')),
    },
    server: {
      version: srv.get('redis_version') ?? '',
      allocator: mem.get('mem_allocator') ?? '',
      usedMemoryAfterFlush: base,
    },
  };
}
