/** `cachetopo mrc`: the miss-ratio curve of a trace under one policy (exact LRU, SHARDS or mini-simulations). */

import { Command, Option } from 'commander';
import type { GridScale } from '../analysis/mrc.ts';
import { type MrcReport, runMrc } from '../analysis/mrc-run.ts';
import { columns } from '../columns.ts';
import { InputError } from '../errors.ts';
import { formatPercent } from '../report/format.ts';
import { formatBytes } from '../units.ts';
import { type Progress, progressBar } from './progress.ts';
import { addReaderOptions, parseSeed, readerOptions } from './trace.ts';

const pct = (x: number): string => formatPercent(x, 3);

export function formatMrcTable(r: MrcReport): string {
  const unit = (n: number) => (r.sizeUnit === 'bytes' ? `${n} B (${formatBytes(n)})` : `${n} obj`);
  const ref = r.reference;
  const head = ['size', 'miss ratio', 'byte miss ratio', ...(ref ? [ref.method, '|diff|'] : [])];
  const rows = r.points.map((p, i) => [
    unit(p.size),
    pct(p.missRatio),
    pct(p.byteMissRatio),
    ...(ref ? [pct(ref.points[i].missRatio), pct(Math.abs(p.missRatio - ref.points[i].missRatio))] : []),
  ]);
  const rate = `sample rate ${Number(r.sampleRate.toPrecision(6))} (${r.sampledRequests} requests)`;
  const sampled =
    r.sampleSize !== undefined
      ? `, sample size ${r.sampleSize} keys, final ${rate}`
      : r.sampleRate < 1
        ? `, ${rate}`
        : '';
  const out = [
    `trace ${r.trace}: ${r.requests} requests, ${r.uniqueObjects} objects, footprint ${unit(r.footprint)}`,
    `policy ${r.policy}, method ${r.method}${sampled}`,
    ...columns([head, ...rows], { align: 'l', rule: true }),
  ];
  if (r.error) out.push(`error against ${ref?.method}: mean ${pct(r.error.mae)}, max ${pct(r.error.max)}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return `${out.join('\n')}\n`;
}

function parseRate(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n > 0 && n <= 1))
    throw new InputError(`--sample: expected a rate in (0, 1], got "${v}"`);
  return n;
}

function parseSampleSize(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new InputError(`--sample-size: expected a whole number of keys above 0, got "${v}"`);
  return n;
}

function parsePoints(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(`--points: expected a whole number above 0, got "${v}"`);
  return n;
}

export function mrcCommand(): Command {
  return addReaderOptions(
    new Command('mrc')
      .summary('miss-ratio curve: exact LRU in one pass, SHARDS sampling, or mini-simulations')
      .description(
        'miss-ratio curve of a trace (or generator) under one policy: exact LRU at every size in one pass ' +
          '(stack distances), SHARDS sampling for LRU with --sample (a rate) or --sample-size (a number of keys), ' +
          'mini-simulations for other policies',
      )
      .argument('<trace>', 'trace file, generator spec (.json) or preset name')
      .option('-p, --policy <name>', 'one policy, parameters as name(k=v)', 'lru')
      .option(
        '--sample <rate>',
        'SHARDS sampling rate in (0, 1] (default: 1 for lru, i.e. exact; 0.01 for other policies)',
        parseRate,
      )
      .option(
        '--sample-size <keys>',
        'fixed-size SHARDS for lru: at most this many keys sampled, the rate falling as needed (excludes --sample)',
        parseSampleSize,
      )
      .option('--points <n>', 'sizes on the grid, up to the footprint', parsePoints, 100)
      .addOption(
        new Option('--scale <scale>', 'spacing of the grid').choices(['log', 'linear']).default('log'),
      )
      .option(
        '-s, --size <sizes>',
        "explicit sizes instead of a grid, as replay's --size: 1%, 0.01, 4096, 64MiB",
      )
      .option('--objects', 'sizes count objects (default)')
      .option('--bytes', 'sizes count bytes (the byte curve comes from byte stack distances)')
      .option('--compare', 'also compute the exact curve at the same sizes and report the error against it')
      .option('--seed <n>', 'seed of the sampling hash, randomised policies and generators', parseSeed)
      .option('--workers <n>', 'worker threads for the full replays of --compare (0: one per core)', '0')
      .option('--json', 'print one JSON object'),
  ).action(async (trace: string, o: Record<string, unknown>, cmd: Command) => {
    if (o.objects && o.bytes) throw new InputError('--objects and --bytes exclude each other');
    if (o.size !== undefined && cmd.getOptionValueSource('points') === 'cli')
      throw new InputError('--size and --points exclude each other');
    const workers = Number(o.workers);
    if (!Number.isInteger(workers) || workers < 0)
      throw new InputError(`--workers: expected a whole number, got "${o.workers}"`);
    let bar: Progress | null = null;
    let current = '';
    let report: MrcReport;
    try {
      report = await runMrc({
        trace,
        reader: readerOptions(o),
        policy: String(o.policy),
        sample: o.sample as number | undefined,
        sampleSize: o.sampleSize as number | undefined,
        byteMode: o.bytes === true,
        points: o.points as number,
        scale: o.scale as GridScale,
        sizes: o.size as string | undefined,
        compare: o.compare === true,
        seed: (o.seed as number | undefined) ?? 1,
        workers,
        onProgress: (pass, d, t) => {
          if (pass !== current) {
            bar?.stop();
            bar = progressBar(pass);
            current = pass;
          }
          bar?.update(d, t);
        },
      });
    } finally {
      (bar as Progress | null)?.stop();
    }
    process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : formatMrcTable(report));
  });
}
