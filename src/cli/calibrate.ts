/** `cachetopo calibrate`: the Redis and memcached models against the real servers, side by side. */
import { join } from 'node:path';
import { Command } from 'commander';
import { parseMemcachedAddress } from '../calibrate/memcached-replay.ts';
import { parseRedisUrl } from '../calibrate/redis-replay.ts';
import { contractJson, formatTable, writeCalibration } from '../calibrate/report.ts';
import { runCalibration } from '../calibrate/run.ts';
import type { ServerKind } from '../calibrate/servers.ts';
import { loadWorkload } from '../calibrate/workload.ts';
import { InputError } from '../errors.ts';
import { parseBytesOrThrow } from '../units.ts';
import { progressBar } from './progress.ts';
import { addReaderOptions, parseSeed, readerOptions } from './trace.ts';

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function servers(text: string): ServerKind[] {
  const out: ServerKind[] = [];
  for (const s of list(text)) {
    if (s !== 'redis' && s !== 'memcached')
      throw new InputError(`--server: expected redis and/or memcached, got "${s}"`);
    out.push(s);
  }
  if (out.length === 0) throw new InputError('--server: expected redis and/or memcached, got nothing');
  return out;
}

export function calibrateCommand(): Command {
  return addReaderOptions(
    new Command('calibrate')
      .summary('miss ratios of real Redis and memcached servers beside their models, and the gap')
      .description(
        'replay a trace on real Redis and memcached servers (GET, then SET on a miss; pipelined) and on ' +
          "the simulator's models of them at the same memory, and print both miss ratios and the gap.\n" +
          'Without an address it starts its own servers on free loopback ports; a given server is FLUSHED.',
      )
      .argument('<trace>', 'trace file, generator spec (.json) or preset name')
      .option('--redis <url>', 'use this Redis (redis://127.0.0.1:PORT) instead of starting one')
      .option(
        '--memcached <addr>',
        'use this memcached (127.0.0.1:PORT), at its own -m, instead of starting one per size',
      )
      .option('--server <kinds>', 'servers to calibrate: redis, memcached', 'redis,memcached')
      .option('--memory <sizes>', 'memory limits (maxmemory, -m)', '16MiB,32MiB,64MiB')
      .option(
        '--policy <names>',
        'Redis policies: allkeys-lru, allkeys-lfu, allkeys-random',
        'allkeys-lru,allkeys-lfu',
      )
      .option(
        '-o, --out <file>',
        'calibration file (JSON) to write',
        join('reports', 'calibration', 'calibration.json'),
      )
      .option('--seed <n>', "seed of the models' random streams and of generators", parseSeed)
      .option('--json', 'print {"rows": [...]} on stdout'),
  ).action(async (trace: string, o: Record<string, unknown>) => {
    const memory = list(String(o.memory)).map((m) => parseBytesOrThrow(m, '--memory'));
    if (memory.length === 0) throw new InputError('--memory: expected at least one size');
    const given = o.seed as number | undefined;
    const seed = given ?? 1;
    const workload = loadWorkload(trace, { ...readerOptions(o), seed: given });
    const bar = progressBar('calibrate');
    let doc: Awaited<ReturnType<typeof runCalibration>>;
    try {
      doc = await runCalibration(workload, {
        servers: servers(String(o.server)),
        memory,
        policies: list(String(o.policy)),
        redis: typeof o.redis === 'string' ? parseRedisUrl(o.redis) : undefined,
        memcached: typeof o.memcached === 'string' ? parseMemcachedAddress(o.memcached) : undefined,
        seed,
        onProgress: (_label, d, t) => bar.update(d, t),
      });
    } finally {
      bar.stop();
    }
    const out = String(o.out);
    writeCalibration(out, doc);
    process.stdout.write(o.json ? contractJson(doc) : formatTable(doc));
    if (!o.json) process.stderr.write(`wrote ${out}\n`);
  });
}
