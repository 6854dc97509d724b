/**
 * Every chart builder: its vega-lite spec on a small hand-made input (data, encodings, ideal reference,
 * fault markers, Pareto front), and its SVG rendered in Node with axes, axis labels, a title and marks.
 */
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../src/report/charts/common.ts';
import { latencyCdfChart, latencyLadderChart, nines } from '../../src/report/charts/latency.ts';
import { metricChart } from '../../src/report/charts/metric.ts';
import { CURVES, mrcChart, mrcRows } from '../../src/report/charts/mrc.ts';
import { skewChart } from '../../src/report/charts/skew.ts';
import { stalenessChart } from '../../src/report/charts/staleness.ts';
import { timeSeriesChart } from '../../src/report/charts/timeseries.ts';
import { paretoFront, tradeoffChart } from '../../src/report/charts/tradeoff.ts';
import { renderSvg } from '../../src/report/render-svg.ts';

type Json = Record<string, unknown>;
const j = (c: ChartSpec): Json => JSON.parse(JSON.stringify(c.spec));
const layers = (s: Json): Json[] => s.layer as Json[];

const metricInput = {
  id: 'm',
  title: 'hit ratio by capacity',
  metricLabel: 'hit ratio',
  unit: 'ratio',
  xTitle: 'capacity',
  xValues: ['4KiB', '16KiB'],
  xType: 'ordinal' as const,
  seriesTitle: 'nodes',
  points: [
    { x: '4KiB', series: 'nodes=1', mean: 0.3, lo: 0.28, hi: 0.32, text: '30.00% ± 2.00 pp' },
    { x: '16KiB', series: 'nodes=1', mean: 0.6, lo: 0.58, hi: 0.62, text: '60.00% ± 2.00 pp' },
  ],
  ideal: 0.75,
};
const metric = metricChart(metricInput);

const ladderPoints = [
  { config: 'a', percentile: 'p50', mean: 1, lo: 0.9, hi: 1.1, text: '1' },
  { config: 'a', percentile: 'p90', mean: 2, lo: 1.9, hi: 2.1, text: '2' },
  { config: 'a', percentile: 'p99', mean: 5, lo: 4, hi: 6, text: '5' },
  { config: 'a', percentile: 'p99.9', mean: 9, lo: 8, hi: 10, text: '9' },
];
const idealLadder = [
  { percentile: 'p50', mean: 0.5 },
  { percentile: 'p99', mean: 1 },
];

const mrcInput = {
  id: 'mrc',
  title: 'miss ratio',
  points: [
    { policy: 'lru', size: 10, mean: 0.8, lo: 0.78, hi: 0.82, text: '80%' },
    { policy: 'lru', size: 100, mean: 0.5, lo: 0.48, hi: 0.52, text: '50%' },
    { policy: 'fifo', size: 10, mean: 0.85, lo: 0.8, hi: 0.9, text: '85%' },
    { policy: 'fifo', size: 100, mean: 0.55, lo: 0.5, hi: 0.6, text: '55%' },
  ],
  bounds: [
    { size: 10, compulsory: 0.2, belady: 0.6 },
    { size: 100, compulsory: 0.2, belady: 0.3 },
  ],
  sizeUnit: 'objects',
  yTitle: 'miss ratio',
  logX: true,
};

const faults = [
  { t: 1, until: 2, kind: 'node-crash', label: 'redis-1 crash' },
  { t: 1.5, until: 2, kind: 'marked-down', label: 'redis-1 marked down by 3 gateways' },
];
const series = timeSeriesChart({
  id: 'ts',
  title: 'over time',
  faults,
  panels: [
    {
      title: 'hit ratio',
      unit: 'ratio',
      points: [0, 1, 2, 3].map((t) => ({ config: 'a', t, value: t === 1 ? 0.2 : 0.8 })),
    },
    {
      title: 'origin QPS',
      unit: 'qps',
      points: [0, 1, 2, 3].map((t) => ({ config: 'a', t, value: t === 1 ? 900 : 100 })),
    },
  ],
});

const tradeoffPoints = [
  { config: 'A', p99: 1, stale: 0.1, cost: 5 },
  { config: 'B', p99: 2, stale: 0.05, cost: 5 },
  { config: 'C', p99: 3, stale: 0.2, cost: 5 },
  { config: 'D', p99: 4, stale: 0.3, cost: 1 },
];

const skew = skewChart({
  id: 'skew',
  title: 'skew',
  bars: [
    { config: 'ketama', tier: 'redis', maxOverMean: 1.2, cv: 0.1, gini: 0.05 },
    { config: 'modulo', tier: 'redis', maxOverMean: 1.05, cv: 0.02, gini: 0.01 },
  ],
});

const staleness = stalenessChart({
  id: 'stale',
  title: 'staleness',
  ratios: [
    { config: 'async', mean: 0.02, lo: 0.015, hi: 0.025, text: '2.00%' },
    { config: 'sync', mean: 0.001, lo: 0, hi: 0.002, text: '0.10%' },
  ],
  ages: [
    { config: 'async', stat: 'p50', ms: 3 },
    { config: 'async', stat: 'p99', ms: 40 },
    { config: 'async', stat: 'max', ms: 90 },
  ],
  ideal: 0,
});

describe('chart specs', () => {
  it('metric: mean line with interval rules, ordinal axis in sweep order, legend toggle, ideal rule', () => {
    const s = j(metric);
    expect((s.data as Json).values).toHaveLength(2);
    const [bars, line, idealRule, idealText] = layers(s);
    expect((bars.encoding as Json).y2).toEqual({ field: 'hi' });
    expect(((line.encoding as Json).x as Json).sort).toEqual(['4KiB', '16KiB']);
    expect(line.params).toEqual([
      { name: 'pick', select: { type: 'point', fields: ['series'] }, bind: 'legend' },
    ]);
    expect((idealRule.data as Json).values).toEqual([{ ideal: 0.75, label: 'ideal' }]);
    expect((idealText.mark as Json).type).toBe('text');
    expect(layers(j(metricChart({ ...metricInput, ideal: null })))).toHaveLength(2);
  });

  it('mrc: each policy panel carries both bounds; log x on request', () => {
    const rows = mrcRows(mrcInput.points, mrcInput.bounds);
    // 4 policy points + 2 policies × 2 sizes × (Belady + floor).
    expect(rows).toHaveLength(12);
    expect(
      rows.filter((r) => r.policy === 'fifo' && r.curve === CURVES[1]).map((r) => [r.size, r.value]),
    ).toEqual([
      [10, 0.6],
      [100, 0.3],
    ]);
    expect(rows.filter((r) => r.curve === CURVES[2]).every((r) => r.value === 0.2)).toBe(true);
    const s = j(mrcChart(mrcInput));
    expect(s.facet).toEqual({ field: 'policy', type: 'nominal', title: null });
    const line = ((s.spec as Json).layer as Json[])[1];
    expect((((line.encoding as Json).x as Json).scale as Json).type).toBe('log');
    expect((((line.encoding as Json).color as Json).scale as Json).domain as string[]).toEqual(CURVES);
    expect(
      (((j(mrcChart({ ...mrcInput, logX: false })).spec as Json).layer as Json[])[1].encoding as Json).x,
    ).toMatchObject({ scale: {} });
  });

  it('latency: ladder in percentile order with the ideal dashed; CDF on a nines axis', () => {
    expect(nines(0.9)).toBeCloseTo(1, 12);
    expect(nines(0.999)).toBeCloseTo(3, 12);
    const ladder = j(latencyLadderChart({ id: 'l', title: 'l', points: ladderPoints, ideal: idealLadder }));
    const [, line, ideal] = layers(ladder);
    expect(((line.encoding as Json).x as Json).sort).toEqual(['p50', 'p90', 'p99', 'p99.9']);
    expect((ideal.data as Json).values).toEqual(idealLadder.map((p) => ({ ...p, config: 'ideal' })));
    const cdf = j(latencyCdfChart({ id: 'c', title: 'c', points: ladderPoints }));
    const rows = (cdf.data as Json).values as Json[];
    expect(rows.map((r) => Math.round((r.nines as number) * 1000) / 1000)).toEqual([0.301, 1, 2, 3]);
    expect((((layers(cdf)[0].encoding as Json).x as Json).scale as Json).type).toBe('log');
    expect(layers(cdf)).toHaveLength(1);
  });

  it('time series: one panel per measure, faults as shaded rules labelled on the first panel', () => {
    const s = j(series);
    const panels = s.vconcat as Json[];
    expect(panels).toHaveLength(2);
    const marks = (p: Json) => layers(p).map((l) => (l.mark as Json).type);
    expect(marks(panels[0])).toEqual(['line', 'rect', 'rule', 'text']);
    expect(marks(panels[1])).toEqual(['line', 'rect', 'rule']);
    expect(((layers(panels[0])[2].data as Json).values as Json[])[0]).toEqual({ ...faults[0] });
    // Health checks' marks: orange rules, no label.
    expect((layers(panels[0])[2].encoding as Json).color).toEqual({
      condition: { test: "datum.kind === 'marked-down'", value: '#ff7f0e' },
      value: '#d62728',
    });
    expect(layers(panels[0])[3].transform).toEqual([{ filter: "datum.kind !== 'marked-down'" }]);
    expect(layers(panels[1])[0].params).toEqual([
      { name: 'pick1', select: { type: 'point', fields: ['config'] }, bind: 'legend' },
    ]);
    const calm = j(
      timeSeriesChart({ id: 't', title: 't', faults: [], panels: [{ title: 'x', unit: '', points: [] }] }),
    );
    expect(layers((calm.vconcat as Json[])[0])).toHaveLength(1);
  });

  it('Pareto front: the designs no other beats on p99, staleness and cost at once', () => {
    // C is worse than A everywhere; D is the slowest and stalest but the cheapest.
    expect([...paretoFront(tradeoffPoints)]).toEqual([0, 1, 3]);
    expect([...paretoFront(tradeoffPoints.map((p) => ({ ...p, cost: null })))]).toEqual([0, 1]);
    expect([...paretoFront([tradeoffPoints[0], { ...tradeoffPoints[0], config: 'A2' }])]).toEqual([0, 1]);
    const s = j(tradeoffChart({ id: 't', title: 't', points: tradeoffPoints }));
    expect(((s.data as Json).values as Json[]).map((r) => r.front)).toEqual([
      'Pareto front',
      'Pareto front',
      'dominated',
      'Pareto front',
    ]);
    expect((layers(s)[1].encoding as Json).size).toEqual({
      field: 'cost',
      type: 'quantitative',
      title: 'cost ($/h)',
    });
    const unpriced = j(
      tradeoffChart({ id: 't', title: 't', points: tradeoffPoints.map((p) => ({ ...p, cost: null })) }),
    );
    expect((layers(unpriced)[1].encoding as Json).size).toBeUndefined();
  });

  it('skew: bars per tier with a rule at an even spread; staleness: ratio bars with the ideal, ages beside', () => {
    const s = j(skew);
    expect(((layers(s)[1].data as Json).values as Json[])[0]).toEqual({ even: 1 });
    expect((layers(s)[0].encoding as Json).xOffset).toEqual({ field: 'tier', type: 'nominal' });
    const st = j(staleness);
    const [ratios, ages] = st.hconcat as Json[];
    expect(layers(ratios).map((l) => (l.mark as Json).type ?? l.mark)).toEqual(['bar', 'rule', 'rule']);
    expect(((layers(ratios)[2].data as Json).values as Json[])[0]).toEqual({ ideal: 0, label: 'ideal' });
    expect((ages.data as Json).values).toHaveLength(3);
  });
});

describe('charts rendered to SVG in Node', () => {
  const cases: [string, ChartSpec, string[]][] = [
    ['metric', metric, ['capacity', 'hit ratio', '4KiB', 'ideal']],
    ['mrc', mrcChart(mrcInput), ['cache size (objects)', 'lru', 'fifo', 'Belady (optimal)']],
    [
      'ladder',
      latencyLadderChart({ id: 'l', title: 'latency ladder', points: ladderPoints, ideal: idealLadder }),
      ['p99.9', 'latency (ms)'],
    ],
    [
      'cdf',
      latencyCdfChart({ id: 'c', title: 'latency cdf', points: ladderPoints }),
      ['99.9%', 'fraction of requests served'],
    ],
    ['time series', series, ['time (s)', 'origin QPS', 'redis-1 crash']],
    [
      'trade-off',
      tradeoffChart({ id: 't', title: 'trade-off', points: tradeoffPoints }),
      ['p99 latency (ms)', 'stale-read ratio', 'Pareto front', 'cost ($/h)'],
    ],
    ['skew', skew, ['busiest node / mean load', 'ketama', 'redis']],
    ['staleness', staleness, ['stale-read ratio', 'age (ms)', 'async']],
  ];
  for (const [name, chart, texts] of cases) {
    it(`${name}: axes, labels, a title and marks, without warnings`, async () => {
      const { svg, warnings } = await renderSvg(chart.spec);
      expect(warnings).toEqual([]);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('role-axis-label');
      expect(svg).toContain('role-axis-title');
      expect(svg).toMatch(/class="mark-[a-z]+ role-mark/);
      const shown = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      expect(shown).toContain(chart.title);
      for (const t of texts) expect(shown, t).toContain(t);
    });
  }
});
