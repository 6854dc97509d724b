/**
 * Commands on results folders (experiment/contract.ts): `cachetopo ls <out>` lists the cells and their
 * state, `cachetopo rerun <cell-file>` runs one cell again from its file and says whether the result is
 * identical (exit 1 when it is not), and `cachetopo merge <dirs...> --out <dir>` combines shard folders.
 */
import { Command } from 'commander';
import { CheckFailedError } from '../errors.ts';
import { listCells, rerunCell } from '../experiment/inspect.ts';
import { mergeResults } from '../experiment/merge.ts';

function params(p: Record<string, unknown> | null): string {
  if (p === null) return '';
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

export function lsCommand(): Command {
  return new Command('ls')
    .description('list the cells of a results folder and their state: done, missing or stale')
    .argument('<out>', 'results folder (cachetopo run --out)')
    .option('--json', 'print one JSON object')
    .action((out: string, o: { json?: boolean }) => {
      const { experiment, cells } = listCells(out);
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ experiment, cells })}\n`);
        return;
      }
      const count = (s: string): number => cells.filter((c) => c.state === s).length;
      const lines = cells.map((c) =>
        [
          c.id,
          c.state.padEnd(7),
          c.seed === null ? '' : `seed=${c.seed}`,
          params(c.params),
          c.reason ? `(${c.reason})` : '',
        ]
          .filter((x) => x !== '')
          .join('  '),
      );
      process.stdout.write(
        `${experiment}: ${cells.length} cells, ${count('done')} done, ${count('missing')} missing, ${count('stale')} stale\n` +
          lines.map((l) => `${l}\n`).join(''),
      );
    });
}

export function rerunCommand(): Command {
  return new Command('rerun')
    .description('run one cell again from its file and compare (exit 1 when the result differs)')
    .argument('<cell-file>', 'a cell file: <out>/cells/<id>.json')
    .action(async (file: string) => {
      const r = await rerunCell(file);
      if (!r.identical) throw new CheckFailedError(`${file}: different: ${r.differences.join('; ')}`);
      process.stdout.write(
        `${file}: identical (${Object.keys(r.fresh.metrics).length} metrics, result document)\n`,
      );
    });
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('combine the results folders of shards (cachetopo run --shard i/n) into one')
    .argument('<dirs...>', 'results folders of the shards')
    .requiredOption('--out <dir>', 'the merged results folder')
    .action((dirs: string[], o: { out: string }) => {
      const s = mergeResults(dirs, o.out);
      process.stdout.write(
        `${s.experiment}: ${s.cells.length} cells from ${dirs.length} folders into ${o.out}\n`,
      );
    });
}
