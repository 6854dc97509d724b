/**
 * `writeReport`: reads a results folder, builds the report model once and writes the asked formats
 * beside the results — report.html, report.md with its SVG charts under report-charts/, report.ipynb —
 * each file atomically (AtomicFile), so a reader never sees half a report. `cachetopo report` and the end
 * of `cachetopo run` call it.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../trace/writers/atomic-file.ts';
import { chartsOf } from './blocks.ts';
import { renderHtml } from './html.ts';
import { loadBaseline, loadResults } from './load.ts';
import { CHART_DIR, chartPath, renderMarkdown } from './markdown.ts';
import { buildReport } from './model.ts';
import { renderNotebook } from './notebook.ts';
import { renderSvg } from './render-svg.ts';

export type ReportFormat = 'html' | 'md' | 'ipynb';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'ipynb'];

export interface WriteReportOptions {
  formats: ReportFormat[];
  /** A baseline.json or another results folder, for delta columns. */
  baseline?: string;
}

/** The files written, relative to the results folder. */
export async function writeReport(dir: string, opts: WriteReportOptions): Promise<string[]> {
  const results = loadResults(dir);
  const baseline =
    opts.baseline === undefined
      ? undefined
      : { name: basename(opts.baseline), data: loadBaseline(opts.baseline) };
  const report = buildReport({
    manifest: results.manifest,
    summary: results.summary,
    cells: results.cells,
    baseline,
  });
  const formats = new Set(opts.formats);
  const written: string[] = [];
  const svgs = new Map<string, string>();
  if (formats.has('md') || formats.has('ipynb'))
    for (const c of chartsOf(report)) svgs.set(c.id, (await renderSvg(c.spec)).svg);
  if (formats.has('html')) {
    writeFileAtomic(join(dir, 'report.html'), renderHtml(report));
    written.push('report.html');
  }
  if (formats.has('md')) {
    const chartDir = join(dir, CHART_DIR);
    mkdirSync(chartDir, { recursive: true });
    // Charts of an earlier report that this one no longer has would mislead a reader of the folder.
    for (const f of readdirSync(chartDir))
      if (f.endsWith('.svg') && !svgs.has(f.slice(0, -4))) rmSync(join(chartDir, f), { force: true });
    for (const [id, svg] of svgs) {
      writeFileAtomic(join(dir, chartPath(id)), svg);
      written.push(chartPath(id));
    }
    writeFileAtomic(join(dir, 'report.md'), renderMarkdown(report));
    written.push('report.md');
  }
  if (formats.has('ipynb')) {
    writeFileAtomic(join(dir, 'report.ipynb'), `${JSON.stringify(renderNotebook(report, svgs), null, 1)}\n`);
    written.push('report.ipynb');
  }
  return written;
}
