/**
 * The report model: narrative sentences on hand-computed samples (winner, difference, Welch p, the
 * five-seed rule, ties), sections and tables of a hand-made results folder (baseline deltas, ideal
 * reference), the sections of a real topology run, and the loader's one-line errors.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baseline, ExperimentManifest, SummaryCell } from '../../src/experiment/contract.ts';
import { chartsOf, type ReportModel, type Table } from '../../src/report/blocks.ts';
import { metricInfo } from '../../src/report/format.ts';
import { loadBaseline, loadResults } from '../../src/report/load.ts';
import { buildReport } from '../../src/report/model.ts';
import { compare, significanceOf } from '../../src/report/narrative.ts';
import { replayFolder, tempDir, topologyFolder } from './fixtures.ts';

const latency = metricInfo('latencyMs.p99', [
  { name: 'latencyMs.p99', label: 'p99', direction: 'lower', unit: 'ms' },
]);

describe('narrative', () => {
  it('names the winner, the difference and Welch p; no significant difference at p ≥ 0.05', () => {
    // Means 3 and 5, both variances 2.5: t = −2 on 8 degrees of freedom, two-sided p = 0.0805.
    const v = compare(
      latency,
      [
        { label: 'B', values: [3, 4, 5, 6, 7] },
        { label: 'A', values: [1, 2, 3, 4, 5] },
      ],
      'at nodes=3',
    );
    expect(v.winner).toBe('A');
    expect(v.significance).toBe('not-significant');
    expect(v.p).toBeCloseTo(0.0805, 4);
    // Half-width: t(0.975, 4) × √(2.5/5) = 2.776 × 0.7071.
    expect(v.sentence).toBe(
      'At nodes=3, A had the lowest p99 (3.000 ± 1.963 ms), 2.000 ms (40.0%) below B (5.000 ± 1.963 ms): ' +
        'no significant difference (Welch p = 0.081, 5 seeds).',
    );
  });

  it('calls a difference significant only with at least five seeds a side', () => {
    // t = −5 on 8 degrees of freedom: p = 0.00106.
    expect(significanceOf([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toMatchObject({
      kind: 'significant',
      text: 'significant (Welch p = 0.001, 5 seeds)',
    });
    const few = significanceOf([1, 2, 3], [6, 7, 8]);
    expect(few.kind).toBe('indicative');
    expect(few.text).toMatch(
      /^indicative only \(3 seeds, Welch p = 0\.00\d; significance needs at least 5\)$/,
    );
    expect(significanceOf([1], [2]).text).toBe('indicative only (one seed; significance needs at least 5)');
    expect(significanceOf([1, 1, 1, 1, 1], [2, 2, 2, 2, 2]).kind).toBe('untestable');
    expect(significanceOf([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]).kind).toBe('tied');
  });

  it('says "higher" metrics the right way round, and handles one or no contender', () => {
    const hit = metricInfo('hitRatio', []);
    expect(hit).toEqual({ name: 'hitRatio', label: 'hitRatio', direction: 'higher', unit: 'ratio' });
    const v = compare(
      hit,
      [
        { label: 'small', values: [0.5] },
        { label: 'big', values: [0.75] },
      ],
      '',
    );
    expect(v.sentence).toBe(
      'big had the highest hitRatio (75.00%), 25.00 pp (50.0%) above small (50.00%): indicative only (one seed; significance needs at least 5).',
    );
    expect(compare(hit, [{ label: 'only', values: [0.5] }], '').sentence).toBe(
      'only had the highest hitRatio (50.00%); nothing to compare it with.',
    );
    expect(compare(hit, [{ label: 'none', values: [] }], 'at x=1').sentence).toBe(
      'At x=1, no configuration measured hitRatio.',
    );
  });
});

/** Two designs × five seeds, p99 of design "b" 2 ms below "a", plus two ideal runs. */
function handInput(baseline?: Baseline) {
  const manifest: ExperimentManifest = {
    experiment: 'hand',
    model: 'topology',
    configHash: 'h',
    codeVersion: 'v1',
    traceHash: 't',
    axes: [{ name: 'tiers.redis.nodes', values: [3, 6] }],
    seeds: [1, 2, 3, 4, 5],
    metrics: [{ name: 'latencyMs.p99', label: 'p99', direction: 'lower', unit: 'ms' }],
    questions: [{ title: 'How many nodes?', metrics: ['latencyMs.p99'], axis: 'tiers.redis.nodes' }],
    idealCellIds: ['i1', 'i2'],
  };
  const cells: SummaryCell[] = [];
  for (const [nodes, base] of [
    [3, 5],
    [6, 3],
  ])
    for (const seed of manifest.seeds)
      cells.push({
        id: `n${nodes}s${seed}`,
        params: { 'tiers.redis.nodes': nodes },
        seed,
        metrics: { 'latencyMs.p99': base + seed - 3 },
      });
  for (const [id, v] of [
    ['i1', 0.5],
    ['i2', 1.5],
  ] as const)
    cells.push({ id, params: { 'tiers.redis.nodes': 1000 }, seed: 1, metrics: { 'latencyMs.p99': v } });
  return {
    manifest,
    summary: { experiment: 'hand', cells },
    cells: new Map(),
    baseline: baseline && { name: 'before', data: baseline },
  };
}

function tableOf(r: ReportModel, section: string): Table {
  const s = r.sections.find((x) => x.id === section);
  const t = s?.blocks.find((b) => b.kind === 'table');
  if (t?.kind !== 'table') throw new Error(`no table in ${section}`);
  return t.table;
}

describe('report model', () => {
  it('answers the question: narrative, chart with the ideal reference, table of mean ± CI', () => {
    const r = buildReport(handInput());
    expect(r.sections.map((s) => s.id)).toEqual([
      'overview',
      'q1-how-many-nodes',
      'all-metrics',
      'provenance',
    ]);
    const q = r.sections[1];
    expect(q.blocks[0]).toEqual({
      kind: 'paragraph',
      text: 'Compared 2 configurations along nodes (3, 6), 5 seeds each, on p99. The ideal configuration is drawn as a dashed reference.',
    });
    expect(q.blocks[1]).toEqual({
      kind: 'list',
      items: [
        'nodes=6 had the lowest p99 (3.000 ± 1.963 ms), 2.000 ms (40.0%) below nodes=3 (5.000 ± 1.963 ms): no significant difference (Welch p = 0.081, 5 seeds).',
      ],
    });
    const [chart] = chartsOf(r);
    expect(chart.id).toBe('q1-latencyms-p99');
    const layers = (chart.spec as unknown as { layer: { data?: { values: unknown[] } }[] }).layer;
    expect(layers[2].data?.values).toEqual([{ ideal: 1, label: 'ideal' }]);
    expect(tableOf(r, 'q1-how-many-nodes').rows.map((row) => row.map((c) => c.text))).toEqual([
      ['3', '5', '5.000 ± 1.963 ms'],
      ['6', '5', '3.000 ± 1.963 ms'],
    ]);
  });

  it('with one configuration, states its figures instead of comparing', () => {
    const input = handInput();
    input.manifest.axes = [];
    input.manifest.questions = [];
    input.summary.cells = input.summary.cells.filter((c) => c.params['tiers.redis.nodes'] === 6);
    for (const c of input.summary.cells) c.params = {};
    const r = buildReport(input);
    expect(r.sections[1].blocks[0]).toEqual({
      kind: 'paragraph',
      text: 'One configuration, 5 runs: p99 3.000 ± 1.963 ms.',
    });
    expect(chartsOf(r)).toEqual([]);
  });

  it('adds a delta column against a baseline, with p once both sides have five seeds', () => {
    const baseline: Baseline = {
      format: 'cachetopo-baseline/1',
      experiment: 'hand',
      codeVersion: 'v0',
      configHash: 'h',
      traceHash: 't',
      entries: [
        {
          metric: 'latencyMs.p99',
          direction: 'lower',
          tolerance: {},
          params: { 'tiers.redis.nodes': 3 },
          seeds: [1, 2, 3, 4, 5],
          values: [2, 3, 4, 5, 6],
        },
        {
          metric: 'latencyMs.p99',
          direction: 'lower',
          tolerance: {},
          params: { 'tiers.redis.nodes': 6 },
          seeds: [1, 2],
          values: [3, 4],
        },
      ],
    };
    const t = tableOf(buildReport(handInput(baseline)), 'all-metrics');
    expect(t.columns.map((c) => c.label)).toEqual(['nodes', 'seeds', 'p99', 'Δ p99 vs before']);
    // nodes=3: 5 now against 4 before (t = 1, df = 8, p = 0.347); nodes=6: 3 against 3.5, two baseline seeds so no p.
    expect(t.rows.map((row) => row[3].text)).toEqual([
      '+1.000 ms (+25.0%), p = 0.347',
      '−0.5000 ms (−14.3%)',
    ]);
    expect(t.rows.map((row) => row[3].sort)).toEqual([1, -0.5]);
  });

  it('builds every view of a topology run; with three seeds the overview says comparisons are indicative', () => {
    const r = buildReport(loadResults(topologyFolder({ seeds: [1, 2, 3], ideal: true, faults: true })));
    expect(r.sections.map((s) => s.id)).toEqual([
      'overview',
      'q1-how-much-cache-is-enough',
      'latency',
      'over-time',
      'trade-offs',
      'shard-skew',
      'staleness',
      'all-metrics',
      'provenance',
    ]);
    expect(JSON.stringify(r.sections[0])).toContain(
      'With 3 seeds per configuration the comparisons are indicative',
    );
    const verdicts = r.sections[1].blocks.find((b) => b.kind === 'list');
    expect(
      verdicts?.kind === 'list' &&
        verdicts.items
          .filter((i) => i.startsWith('At '))
          .every((i) => i.includes('indicative only (3 seeds')),
    ).toBe(true);
    expect(chartsOf(r).map((c) => c.id)).toEqual([
      'q1-hitratio',
      'q1-latencyms-p99',
      'q1-stalereadratio',
      'latency-ladder',
      'latency-cdf',
      'time-series',
      'trade-off',
      'shard-skew',
      'staleness',
    ]);
    expect(JSON.stringify(r.sections.find((s) => s.id === 'over-time'))).toContain(
      'cache-0 crash at 0.5 s until 0.75 s',
    );
  });
});

describe('replay report', () => {
  it("draws Belady and the infinite-cache floor from the cells' results when the summary lacks them", async () => {
    const r = loadResults(await replayFolder([1, 2]));
    const bare = {
      ...r,
      summary: {
        ...r.summary,
        cells: r.summary.cells.map((c) => ({ ...c, metrics: { missRatio: c.metrics.missRatio } })),
      },
    };
    for (const input of [r, bare]) {
      const [chart] = chartsOf(buildReport(input));
      const rows = (
        chart.spec as unknown as {
          data: { values: { policy: string; curve: string; size: number; value: number }[] };
        }
      ).data.values;
      const belady = rows.filter((x) => x.policy === 'sieve' && x.curve === 'Belady (optimal)');
      expect(belady).toHaveLength(3);
      // The mean over both seeds of the 2% cells' Belady miss ratio, from the cell files.
      const at2 = [...r.cells.values()].filter(
        (c) => c.params['replay.size'] === '2%' && c.params['replay.policy'] === 'lru',
      );
      const want = at2.reduce((a, c) => a + (c.metrics.beladyMissRatio as number), 0) / at2.length;
      expect(belady[0].value).toBeCloseTo(want, 12);
      expect(rows.filter((x) => x.curve === 'infinite cache (compulsory)')).toHaveLength(9);
    }
  });
});

describe('loading', () => {
  it('names the folder, file and field of what is wrong', () => {
    const dir = tempDir();
    expect(() => loadResults(dir)).toThrow(
      `${dir}: not a results folder (no manifest.json; run \`cachetopo run\` with --out first)`,
    );
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ experiment: 'x', model: 'topology', axes: [], seeds: [], metrics: [] }),
    );
    expect(() => loadResults(dir)).toThrow(`${join(dir, 'manifest.json')}: /questions: expected an array`);
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        experiment: 'x',
        model: 'topology',
        axes: [],
        seeds: [1],
        metrics: [],
        questions: [],
      }),
    );
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({ experiment: 'x', cells: [{ id: 'a', params: {}, seed: 1, metrics: {} }] }),
    );
    mkdirSync(join(dir, 'cells'));
    expect(() => loadResults(dir)).toThrow(`${join(dir, 'cells', 'a.json')}: cannot read: ENOENT`);
    writeFileSync(join(dir, 'b.json'), '{"format": "other"}');
    expect(() => loadBaseline(join(dir, 'b.json'))).toThrow(
      `${join(dir, 'b.json')}: /entries: expected an array`,
    );
    writeFileSync(join(dir, 'b.json'), '{"format": "cachetopo-baseline/1", "entries": [{"metric": 1}]}');
    expect(() => loadBaseline(join(dir, 'b.json'))).toThrow(
      `${join(dir, 'b.json')}: /entries/0/metric: expected a string`,
    );
  });

  it('turns a results folder given as baseline into entries per metric and configuration', () => {
    const b = loadBaseline(topologyFolder({ seeds: [1, 2] }));
    expect(b.entries).toHaveLength(16);
    expect(b.entries[0]).toMatchObject({
      metric: 'hitRatio',
      direction: 'higher',
      params: { 'tiers.cache.capacity': '4KiB', 'tiers.cache.nodes': 1 },
      seeds: [1, 2],
    });
  });
});
