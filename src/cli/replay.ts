/** `cachetopo replay`: run a trace through eviction policies at several cache sizes in one read. */

import { Command } from 'commander';
import { columns } from '../columns.ts';
import { InputError } from '../errors.ts';
import { policies } from '../policies/registry.ts';
import { type ReplayReport, runReplay } from '../replay/run.ts';
import { formatPercent } from '../report/format.ts';
import { progressBar } from './progress.ts';
import { addReaderOptions, parseSeed, readerOptions } from './trace.ts';

const pct = (x: number): string => formatPercent(x, 3);

export function formatReplayTable(r: ReplayReport): string {
  const head = ['policy', 'size', 'miss ratio', 'byte miss ratio', 'belady', 'compulsory'];
  const rows = r.results.map((x) => [
    x.policy,
    `${x.size} ${x.sizeUnit === 'bytes' ? 'B' : 'obj'}`,
    pct(x.missRatio),
    pct(x.byteMissRatio),
    x.beladyMissRatio === null ? '-' : pct(x.beladyMissRatio),
    pct(x.compulsoryMissRatio),
  ]);
  const out = [
    `trace ${r.trace}: ${r.requests} requests, ${r.uniqueObjects} objects, footprint ${r.footprintBytes} bytes`,
    ...columns([head, ...rows], { align: 'll', rule: true }),
  ];
  return `${out.join('\n')}\n`;
}

export function replayCommand(): Command {
  return addReaderOptions(
    new Command('replay')
      .summary('replay a trace through eviction policies at several sizes, beside the ideal bounds')
      .description(
        'replay a trace (or generator) through eviction policies at several cache sizes, reading it once; ' +
          'reports request and byte miss ratios beside the ideal bounds (infinite cache, Belady)',
      )
      .argument('<trace>', 'trace file, generator spec (.json) or preset name')
      .option(
        '-p, --policy <names>',
        `policies, comma-separated; parameters as name(k=v): ${policies.map((p) => p.name).join(', ')} (Redis' names allkeys-lru, volatile-ttl, … also)`,
        'lru',
      )
      .option(
        '-s, --size <sizes>',
        'cache sizes: 1% (of the footprint), 0.01, 4096 (units), 64MiB (bytes)',
        '1%,10%',
      )
      .option('--objects', 'capacity counts objects (default)')
      .option('--bytes', 'capacity counts bytes')
      .option('--warmup <n>', 'requests excluded from counting: a count or a percentage of the trace', '0')
      .option('--windows <n>', 'number of time windows in the miss-ratio-over-time series (JSON)', '100')
      .option(
        '--honor-ops',
        'treat sets as writes and deletes as removals, and expire TTLs (default: every request is a get, as libCacheSim)',
      )
      .option(
        '--no-bounds',
        'skip the Belady bound (it needs a second pass when the trace has no next-access times)',
      )
      .option('--seed <n>', 'seed for randomised policies and generators', parseSeed)
      .option('--workers <n>', 'worker threads (default: one per core, at most one per cell)', '0')
      .option('--json', 'print one JSON object'),
  ).action(async (trace: string, o: Record<string, unknown>) => {
    if (o.objects && o.bytes) throw new InputError('--objects and --bytes exclude each other');
    const windows = Number(o.windows);
    if (!Number.isInteger(windows) || windows < 0)
      throw new InputError(`--windows: expected a whole number, got "${o.windows}"`);
    const workers = Number(o.workers);
    if (!Number.isInteger(workers) || workers < 0)
      throw new InputError(`--workers: expected a whole number, got "${o.workers}"`);
    const bar = progressBar('replay');
    let report: ReplayReport;
    try {
      report = await runReplay({
        trace,
        reader: readerOptions(o),
        policies: String(o.policy),
        sizes: String(o.size),
        byteMode: o.bytes === true,
        warmup: String(o.warmup),
        windows,
        honorOps: o.honorOps === true,
        bounds: o.bounds !== false,
        seed: (o.seed as number | undefined) ?? 1,
        workers,
        onProgress: (d, t) => bar.update(d, t),
      });
    } finally {
      bar.stop();
    }
    process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : formatReplayTable(report));
  });
}
