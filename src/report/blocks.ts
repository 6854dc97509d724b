/**
 * The report model's vocabulary: sections made of paragraphs, bullet lists, charts (vega-lite specs) and
 * tables. Every output format (HTML, Markdown, notebook) renders exactly these blocks, so the three say
 * the same thing.
 */
import type { ModelKind } from '../experiment/contract.ts';
import type { ChartSpec } from './charts/common.ts';

export interface TableColumn {
  label: string;
  /** Right-aligned, sorted by number. */
  numeric: boolean;
}

export interface TableCell {
  text: string;
  /** What the HTML table sorts by: the number behind the text, or the text. */
  sort: number | string | null;
}

export interface Table {
  caption: string;
  columns: TableColumn[];
  rows: TableCell[][];
}

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'chart'; chart: ChartSpec }
  | { kind: 'table'; table: Table };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportModel {
  title: string;
  experiment: string;
  model: ModelKind;
  sections: Section[];
}

/** Every chart of the report, in reading order. */
export function chartsOf(report: ReportModel): ChartSpec[] {
  return report.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : [])));
}
