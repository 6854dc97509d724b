/** `cachetopo trace …`: generate, convert and characterise request traces. */
import { Command, Option } from 'commander';
import { InputError } from '../errors.ts';
import { copyTrace } from '../trace/convert.ts';
import { formatStatsTable, inspectTrace } from '../trace/inspect.ts';
import { findWriter, type ReaderOptions, readers, writers } from '../trace/registry.ts';
import { loadGeneratorSpec, openGenerator, openWorkload } from '../trace/workload.ts';
import { progressBar } from './progress.ts';

/** Options shared by every command that reads a trace. */
export function addReaderOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <name>', 'input format (default: from the file name)').choices(
        readers.map((r) => r.name),
      ),
    )
    .option('--csv <mapping>', 'CSV column mapping, 1-based, e.g. time=1,key=2,size=3,op=5,ttl=6')
    .option('--csv-ops <mapping>', 'CSV op values, e.g. 28=get,2a=set (default: get/set/delete by name)')
    .option('--delimiter <char>', 'CSV delimiter (default ","; use "\\t" for tab)')
    .option('--header', 'the first CSV line is a header (columns are then also found by name)');
}

export function readerOptions(o: Record<string, unknown>): ReaderOptions & { format?: string } {
  return {
    format: o.format as string | undefined,
    csv: o.csv as string | undefined,
    csvOps: o.csvOps as string | undefined,
    delimiter: o.delimiter as string | undefined,
    header: o.header as boolean | undefined,
  };
}

export function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InputError(`--seed: expected an integer, got "${v}"`);
  return n;
}

export function traceCommand(): Command {
  const trace = new Command('trace').description('generate, convert and characterise request traces');

  trace
    .command('gen')
    .description('write a synthetic trace from a generator spec (a JSON file or a preset name)')
    .argument('<spec>', 'generator spec file (.json) or preset name')
    .requiredOption('-o, --output <file>', 'output trace (.ctt native, .csv)')
    .option('--seed <n>', "random seed (overrides the spec's seed)", parseSeed)
    .addOption(new Option('--out-format <name>', 'output format').choices(writers.map((w) => w.name)))
    .action((specArg: string, o: { output: string; seed?: number; outFormat?: string }) => {
      const { spec, where } = loadGeneratorSpec(specArg);
      const src = openGenerator(spec, where, o.seed);
      const out = findWriter(o.output, o.outFormat).create(o.output, src.info);
      const bar = progressBar('gen');
      const n = copyTrace(src, out, (d, t) => bar.update(d, t));
      bar.stop();
      process.stderr.write(`wrote ${n} requests to ${o.output}\n`);
    });

  addReaderOptions(
    trace
      .command('convert')
      .description('convert any readable trace (or generator) to the native format or CSV')
      .argument('<input>', 'trace file, generator spec or preset')
      .requiredOption('-o, --output <file>', 'output trace (.ctt native, .csv)')
      .addOption(new Option('--out-format <name>', 'output format').choices(writers.map((w) => w.name))),
  ).action((input: string, o: Record<string, unknown>) => {
    const src = openWorkload(input, readerOptions(o));
    const output = o.output as string;
    const out = findWriter(output, o.outFormat as string | undefined).create(output, src.info);
    const bar = progressBar('convert');
    const n = copyTrace(src, out, (d, t) => bar.update(d, t));
    bar.stop();
    process.stderr.write(`wrote ${n} requests to ${output}\n`);
  });

  addReaderOptions(
    trace
      .command('inspect')
      .description(
        'characterise a trace: requests, unique objects, footprint, read/write mix, one-hit wonders, ' +
          'fitted Zipf alpha, reuse-distance and size percentiles, request rate over time',
      )
      .argument('<input>', 'trace file, generator spec or preset')
      .option('--json', 'print one JSON object instead of a table'),
  ).action((input: string, o: Record<string, unknown>) => {
    const src = openWorkload(input, readerOptions(o));
    const bar = progressBar('inspect');
    let stats: ReturnType<typeof inspectTrace>;
    try {
      stats = inspectTrace(src, (d, t) => bar.update(d, t));
    } finally {
      bar.stop();
      src.close();
    }
    process.stdout.write(o.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStatsTable(stats));
  });

  return trace;
}
