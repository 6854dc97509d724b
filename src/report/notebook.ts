/**
 * The Jupyter notebook (nbformat 4.5): the report's text as markdown cells, each chart as the output of a
 * code cell under the vega-lite v5 mime type JupyterLab and VS Code render, with the SVG as a fallback
 * for viewers without vega, and a code cell that loads summary.json and manifest.json with Python's json
 * module, for analysis beyond the report. The notebook sits in the results folder, so the paths are
 * relative to it.
 */
import type { ReportModel, Section } from './blocks.ts';
import { markdownBlock } from './markdown.ts';

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';
const VEGALITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

type Cell = Record<string, unknown>;

/** Source as nbformat stores it: lines, each but the last ending in a newline. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? `${l}\n` : l)).filter((l) => l !== '');
}

const LOAD_RESULTS = `import json
from pathlib import Path

# The results folder this notebook sits in (src/experiment/contract.ts describes the files).
manifest = json.loads(Path("manifest.json").read_text())
summary = json.loads(Path("summary.json").read_text())

# One row per cell: its sweep values, seed and scalar metrics (pandas.DataFrame(rows) for a table).
rows = [{"id": c["id"], "seed": c["seed"], **c["params"], **c["metrics"]} for c in summary["cells"]]
print(len(rows), "cells; metrics:", ", ".join(m["name"] for m in manifest["metrics"]))`;

export function renderNotebook(
  report: ReportModel,
  svgs: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const cells: Cell[] = [];
  const id = (): string => `cell-${cells.length + 1}`;
  const markdown = (text: string): void => {
    cells.push({ cell_type: 'markdown', id: id(), metadata: {}, source: lines(text) });
  };
  const code = (source: string, outputs: unknown[] = []): void => {
    cells.push({
      cell_type: 'code',
      id: id(),
      execution_count: null,
      metadata: {},
      outputs,
      source: lines(source),
    });
  };
  const section = (s: Section): void => {
    let text: string[] = [`## ${s.title}`];
    for (const b of s.blocks) {
      if (b.kind !== 'chart') {
        text.push(markdownBlock(b));
        continue;
      }
      markdown(text.join('\n\n'));
      text = [];
      const data: Record<string, unknown> = {
        [VEGALITE_MIME]: { $schema: VEGALITE_SCHEMA, ...b.chart.spec },
        'text/plain': [b.chart.title],
      };
      const svg = svgs.get(b.chart.id);
      if (svg !== undefined) data['image/svg+xml'] = lines(svg);
      code(`# ${b.chart.title}: vega-lite spec built by \`cachetopo report\`; run it again to refresh.`, [
        { output_type: 'display_data', data, metadata: {} },
      ]);
    }
    if (text.length > 0) markdown(text.join('\n\n'));
  };
  markdown(`# ${report.title}`);
  report.sections.forEach((s, i) => {
    section(s);
    if (i === 0) code(LOAD_RESULTS);
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
    },
    cells,
  };
}
