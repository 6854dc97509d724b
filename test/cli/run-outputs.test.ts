/** `cachetopo run`'s observability outputs: Prometheus text, `_bulk` events, for a run and for a sweep. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { tempDir, topologySweep, writeConfig } from '../experiment/fixtures.ts';
import { cli } from '../helpers/cli.ts';
import { baseConfig } from '../topology/helpers.ts';

function bulkPairs(text: string): Record<string, unknown>[] {
  const lines = text.trim().split('\n');
  expect(lines.length % 2).toBe(0);
  const docs: Record<string, unknown>[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    expect(JSON.parse(lines[i])).toHaveProperty('index');
    docs.push(JSON.parse(lines[i + 1]));
  }
  return docs;
}

describe('run --metrics-file --events', () => {
  it('writes a Prometheus file and sampled _bulk events for a single run', () => {
    const dir = tempDir();
    const cfg = writeConfig(
      dir,
      'one',
      baseConfig({ workload: { generator: 'zipf', requests: 3000, objects: 300, alpha: 0.9 } }),
    );
    const r = cli(
      'run',
      cfg,
      '--json',
      '--metrics-file',
      join(dir, 'm.prom'),
      '--events',
      join(dir, 'e.ndjson'),
      '--events-sample',
      '1',
    );
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    const fams = parsePrometheusTextFormat(readFileSync(join(dir, 'm.prom'), 'utf8'));
    expect(Number(fams.find((f) => f.name === 'cachetopo_requests_total')?.metrics[0].value)).toBe(3000);
    const docs = bulkPairs(readFileSync(join(dir, 'e.ndjson'), 'utf8'));
    expect(docs.length).toBe(3000);
    expect(docs.filter((d) => d['cache.result'] === 'hit').length).toBe(result.metrics.outcomes.hits);
  });

  it('writes <out>/metrics.prom labelled by cell and one events file per cell for a sweep', () => {
    const dir = tempDir();
    const cfg = writeConfig(dir, 'sweep', topologySweep());
    const out = join(dir, 'out');
    const r = cli('run', cfg, '--out', out, '--workers', '1', '--no-report', '--events', join(dir, 'ev'));
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const fams = parsePrometheusTextFormat(readFileSync(join(out, 'metrics.prom'), 'utf8'));
    const cells = fams.find((f) => f.name === 'cachetopo_requests_total')?.metrics.map((m) => m.labels?.cell);
    expect(cells).toEqual(summary.cells.map((c: { id: string }) => c.id));
    expect(readdirSync(join(dir, 'ev')).sort()).toEqual(
      summary.cells.map((c: { id: string }) => `${c.id}.ndjson`).sort(),
    );
    expect(existsSync(join(dir, 'ev', `${summary.cells[0].id}.ndjson`))).toBe(true);
  });

  it('refuses a bad sampling rate with one line', () => {
    const r = cli('run', 'experiments/seed-topology.json', '--events-sample', '2');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('cachetopo: --events-sample: expected a fraction from 0 to 1, got "2"');
  });
});
