/**
 * The Markdown report: headings, narrative, tables as pipe tables, and each chart as an SVG file beside
 * it (rendered in Node by render-svg.ts), so the report reads on a code-hosting site or in a pull request
 * with nothing but the folder.
 */
import type { Block, ReportModel, Table } from './blocks.ts';

/** Where chart SVGs go, relative to the report. */
export const CHART_DIR = 'report-charts';

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(t: Table): string {
  const head = `| ${t.columns.map((c) => cell(c.label)).join(' | ')} |`;
  const rule = `| ${t.columns.map((c) => (c.numeric ? '---:' : ':---')).join(' | ')} |`;
  const rows = t.rows.map((r) => `| ${r.map((c) => cell(c.text)).join(' | ')} |`);
  return [`*${t.caption}*`, '', head, rule, ...rows].join('\n');
}

export function chartPath(id: string): string {
  return `${CHART_DIR}/${id}.svg`;
}

/** Markdown of a block; charts as image links to their SVG files. */
export function markdownBlock(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return b.text;
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'chart':
      return `![${b.chart.title}](${chartPath(b.chart.id)})`;
    case 'table':
      return markdownTable(b.table);
  }
}

export function renderMarkdown(report: ReportModel): string {
  const parts = [`# ${report.title}`];
  for (const s of report.sections) parts.push(`## ${s.title}`, ...s.blocks.map(markdownBlock));
  return `${parts.join('\n\n')}\n`;
}
