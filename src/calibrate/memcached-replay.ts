/**
 * Replays a calibration workload against a real memcached (memjs, binary protocol, one connection): per
 * batch, every GET in flight at once, then a SET for each miss, so at most one batch of requests is ever
 * outstanding. The counts are deltas of `stats` get_hits/get_misses/evictions around the replay; memory is
 * `stats slabs` total_malloced (pages handed out, what -m limits). -m itself is read from limit_maxbytes:
 * a memcached is replayed at its own memory only.
 *
 * flush_all does not give slab pages back, so a memcached that already held data keeps its page
 * assignment; the model starts from empty pages, which only a fresh server (as `calibrate` starts) matches.
 */
import memjs from 'memjs';
import { InputError } from '../errors.ts';
import { replayBatches } from './batch-replay.ts';
import type { ServerRun } from './redis-replay.ts';
import type { CalibrationWorkload } from './workload.ts';

export interface MemcachedTarget {
  readonly host: string;
  readonly port: number;
}

export function parseMemcachedAddress(text: string): MemcachedTarget {
  const m = /^(?:memcached:\/\/)?([^:/]+):(\d+)\/?$/.exec(text);
  if (!m) throw new InputError(`--memcached: expected HOST:PORT, got "${text}"`);
  return { host: m[1], port: Number(m[2]) };
}

export function connectMemcached(t: MemcachedTarget): memjs.Client {
  return memjs.Client.create(`${t.host}:${t.port}`, {
    retries: 0,
    timeout: 30,
    conntimeout: 5,
    logger: { log: () => {} },
  });
}

function stats(c: memjs.Client, key: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    c.statsWithKey(key, (err, _server, s) => {
      if (err || s === null) reject(err ?? new Error('memcached: no stats'));
      else resolve(s);
    });
  });
}

function field(s: Record<string, string>, name: string): number {
  const v = Number(s[name]);
  if (!Number.isFinite(v)) throw new Error(`memcached stats have no numeric ${name}`);
  return v;
}

/** Reads -m (bytes) of a running memcached. */
export async function memcachedLimit(c: memjs.Client): Promise<number> {
  try {
    return field(await stats(c, ''), 'limit_maxbytes');
  } catch (e) {
    throw new InputError(`memcached: cannot read stats: ${(e as Error).message}`);
  }
}

export async function replayMemcached(
  c: memjs.Client,
  w: CalibrationWorkload,
  onProgress?: (done: number, total: number) => void,
): Promise<ServerRun> {
  await c.flush();
  const before = await stats(c, '');
  const { batchTimes, clientMisses, seconds } = await replayBatches(
    w,
    {
      async get(keys) {
        return (await Promise.all(keys.map((k) => c.get(k)))).map((g) => g.value);
      },
      async set(keys, values) {
        // A refused store (SERVER_ERROR out of memory) is a miss the model counts too, not a failure.
        await Promise.allSettled(keys.map((k, j) => c.set(k, values[j], { expires: 0 })));
      },
    },
    onProgress,
  );
  const after = await stats(c, '');
  const slabs = await stats(c, 'slabs');
  const delta = (name: string) => field(after, name) - field(before, name);
  return {
    hits: delta('get_hits'),
    misses: delta('get_misses'),
    clientMisses,
    evictions: delta('evictions'),
    batchTimes,
    seconds,
    memoryBytes: field(slabs, 'total_malloced'),
    objects: field(after, 'curr_items'),
    modelParams: { keyBytes: w.keyLength },
    server: { version: after.version ?? '', limitBytes: field(after, 'limit_maxbytes') },
  };
}
