/** `cachetopo record`: capture a live Redis' traffic (MONITOR) into a trace file. */
import { Command } from 'commander';
import { parseRedisUrl } from '../calibrate/redis-replay.ts';
import { InputError } from '../errors.ts';
import { record } from '../record/capture.ts';
import { parseDuration } from '../sim/time.ts';

export function recordCommand(): Command {
  return new Command('record')
    .summary("record a live Redis' traffic with MONITOR into a trace")
    .description(
      "record a live Redis' GET/SET/DEL traffic with MONITOR into a trace (native .ctt or .csv).\n" +
        'MONITOR slows the server down (Redis documents throughput falling by half or more): keep it short.',
    )
    .argument('<redis>', 'redis://HOST:PORT')
    .option('--duration <d>', 'how long to record: 60s, 5m, 500ms', '60s')
    .requiredOption('-o, --out <file>', 'trace file to write (.ctt or .csv)')
    .action(async (url: string, o: Record<string, unknown>) => {
      const ns = parseDuration(String(o.duration));
      if (ns === null || ns <= 0)
        throw new InputError(`--duration: expected a duration like "60s" or "5m", got "${o.duration}"`);
      const s = await record(parseRedisUrl(url), ns / 1e6, String(o.out));
      const skipped = Object.entries(s.skipped)
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ${n}`)
        .join(', ');
      process.stdout.write(
        `recorded ${s.requests} requests to ${s.keys} keys into ${o.out}` +
          `${s.sizedAfter > 0 ? `; ${s.sizedAfter} reads sized with STRLEN afterwards` : ''}\n` +
          `${skipped ? `skipped commands: ${skipped}\n` : ''}`,
      );
    });
}
