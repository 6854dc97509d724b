/**
 * `cachetopo report <results-dir> [--format html,md,ipynb] [--baseline <dir|baseline.json>]`: writes the
 * experiment report beside the results (src/report/write.ts) and prints the files it wrote.
 */
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { InputError } from '../errors.ts';
import { REPORT_FORMATS, type ReportFormat, writeReport } from '../report/write.ts';

function parseFormats(v: string): ReportFormat[] {
  const out: ReportFormat[] = [];
  for (const f of v.split(',').map((s) => s.trim())) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f))
      throw new InputError(
        `--format: expected a comma-separated list of ${REPORT_FORMATS.join(', ')}, got "${f}"`,
      );
    if (!out.includes(f as ReportFormat)) out.push(f as ReportFormat);
  }
  return out;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('write report.html, report.md (+ SVG charts) and report.ipynb into a results folder')
    .argument('<results-dir>', 'a results folder written by `cachetopo run --out`')
    .addOption(
      new Option('--format <list>', 'comma-separated: html, md, ipynb')
        .argParser(parseFormats)
        .default([...REPORT_FORMATS], REPORT_FORMATS.join(',')),
    )
    .option('--baseline <path>', 'a baseline.json or another results folder: adds a delta column per metric')
    .action(async (dir: string, o: { format: ReportFormat[]; baseline?: string }) => {
      const written = await writeReport(dir, { formats: o.format, baseline: o.baseline });
      for (const f of written) if (!f.endsWith('.svg')) process.stdout.write(`${join(dir, f)}\n`);
    });
}
