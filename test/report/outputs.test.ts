/**
 * The three report files as `cachetopo report` writes them: an HTML file that names no network URL in
 * any src or href, Markdown whose chart links resolve to SVG files beside it, a notebook that nbformat
 * validates (Debian's python3-nbformat) and whose analysis cell runs, no temporary files left behind, and
 * the command line's output and errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VEGALITE_MIME } from '../../src/report/notebook.ts';
import { writeReport } from '../../src/report/write.ts';
import { pythonWithNbformat } from '../helpers/binaries.ts';
import { cli } from '../helpers/cli.ts';
import { replayFolder } from './fixtures.ts';

let dir = '';
let written: string[] = [];

beforeAll(async () => {
  dir = await replayFolder([1, 2]);
  written = await writeReport(dir, { formats: ['html', 'md', 'ipynb'], baseline: dir });
});

describe('report files', () => {
  it('writes report.html, report.md with its SVG charts and report.ipynb, atomically', () => {
    expect(written).toEqual(['report.html', 'report-charts/q1-missratio.svg', 'report.md', 'report.ipynb']);
    // AtomicFile's temporaries are dot files; none may remain.
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(readdirSync(join(dir, 'report-charts'))).toEqual(['q1-missratio.svg']);
  });

  it('is a function of the results: a second run writes the same bytes', async () => {
    const files = ['report.html', 'report.md', 'report.ipynb', 'report-charts/q1-missratio.svg'];
    const before = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    await writeReport(dir, { formats: ['html', 'md', 'ipynb'], baseline: dir });
    expect(files.map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);
  });

  it('HTML: self-contained, no http(s) URL in any src or href, specs inlined with "<" escaped', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('sourceMappingURL');
    const specs = /<script type="application\/json" id="report-specs">([^<]*)<\/script>/.exec(html);
    expect(specs).not.toBeNull();
    expect(Object.keys(JSON.parse(specs?.[1] ?? '{}'))).toEqual(['q1-missratio']);
    expect(html).toContain('<table class="sortable">');
    expect(html).toContain('Δ miss ratio vs ');
  });

  it('Markdown: every image link is an SVG file beside the report', () => {
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(links).toEqual(['report-charts/q1-missratio.svg']);
    for (const l of links)
      expect(readFileSync(join(dir, l), 'utf8')).toMatch(
        /^<svg[^>]*>[\s\S]*<text[^>]*>cache size \(objects\)<\/text>/,
      );
    expect(md).toContain('| size | policy | seeds | miss ratio | Δ miss ratio vs ');
  });

  it('notebook: vega-lite v5 outputs with an SVG fallback, and a code cell that loads summary.json', () => {
    const nb = JSON.parse(readFileSync(join(dir, 'report.ipynb'), 'utf8'));
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    const outputs = nb.cells.flatMap(
      (c: { outputs?: { data: Record<string, unknown> }[] }) => c.outputs ?? [],
    );
    expect(outputs).toHaveLength(1);
    expect(Object.keys(outputs[0].data).sort()).toEqual(
      [VEGALITE_MIME, 'image/svg+xml', 'text/plain'].sort(),
    );
    expect((outputs[0].data[VEGALITE_MIME] as { $schema: string }).$schema).toBe(
      'https://vega.github.io/schema/vega-lite/v5.json',
    );
    const load = nb.cells.find(
      (c: { cell_type: string; outputs?: unknown[] }) => c.cell_type === 'code' && c.outputs?.length === 0,
    );
    expect(load.source.join('')).toContain('json.loads(Path("summary.json").read_text())');
  });

  const python = pythonWithNbformat();
  it.skipIf(python === null)(
    'notebook: nbformat validates it, and its analysis cell runs in the results folder',
    () => {
      const py = python as string;
      const v = spawnSync(
        py,
        [
          '-c',
          'import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))',
          join(dir, 'report.ipynb'),
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(v.stderr).toBe('');
      expect(v.status).toBe(0);
      const nb = JSON.parse(readFileSync(join(dir, 'report.ipynb'), 'utf8'));
      const load = nb.cells.find(
        (c: { cell_type: string; outputs?: unknown[] }) => c.cell_type === 'code' && c.outputs?.length === 0,
      );
      const run = spawnSync(py, ['-c', load.source.join('')], { encoding: 'utf8', cwd: dir });
      expect(run.stdout).toBe('18 cells; metrics: missRatio\n');
    },
  );
});

describe('cachetopo report', () => {
  it('writes the asked formats and prints their paths', () => {
    const r = cli('report', dir, '--format', 'md');
    expect(r.err).toBe('');
    expect(r.out).toBe(`${join(dir, 'report.md')}\n`);
    expect(r.code).toBe(0);
  });

  it('exits 2 with one line for an unknown format or a folder without results', () => {
    const f = cli('report', dir, '--format', 'pdf');
    expect(f.code).toBe(2);
    expect(f.err).toContain('--format: expected a comma-separated list of html, md, ipynb, got "pdf"');
    const empty = cli('report', join(dir, 'cells'));
    expect(empty.code).toBe(2);
    expect(empty.err).toBe(
      `cachetopo: ${join(dir, 'cells')}: not a results folder (no manifest.json; run \`cachetopo run\` with --out first)\n`,
    );
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});
