/**
 * Latency per configuration: the percentile ladder (p50, p90, p99, p99.9 as steps, mean across seeds with
 * its 95% interval) and a CDF-like view of the same percentiles (latency on a log axis against the
 * fraction of requests served by then, on a "nines" axis so p99 and p99.9 do not crowd the top). The ideal
 * configuration is a dashed black reference when the experiment ran it.
 */
import { type ChartSpec, chart, layeredView, legendToggle, toggledOpacity } from './common.ts';

export const PERCENTILES = [
  { key: 'p50', label: 'p50', q: 0.5 },
  { key: 'p90', label: 'p90', q: 0.9 },
  { key: 'p99', label: 'p99', q: 0.99 },
  { key: 'p999', label: 'p99.9', q: 0.999 },
] as const;

export interface LadderPoint {
  config: string;
  /** One of PERCENTILES' labels. */
  percentile: string;
  mean: number;
  lo: number;
  hi: number;
  text: string;
}

export interface LatencyChartInput {
  id: string;
  title: string;
  points: LadderPoint[];
  /** The ideal configuration's percentiles. */
  ideal?: { percentile: string; mean: number }[];
}

const ORDER = PERCENTILES.map((p) => p.label);

function idealLayers(
  ideal: LatencyChartInput['ideal'],
  encode: (field: string) => object,
  interpolate = 'linear',
): object[] {
  if (!ideal || ideal.length === 0) return [];
  return [
    {
      data: { values: ideal.map((p) => ({ ...p, config: 'ideal' })) },
      mark: { type: 'line', interpolate, strokeDash: [6, 4], color: 'black', point: { color: 'black' } },
      encoding: {
        ...encode('mean'),
        tooltip: [
          { field: 'config' },
          { field: 'percentile' },
          { field: 'mean', format: '.3f', title: 'ms' },
        ],
      },
    },
  ];
}

export function latencyLadderChart(input: LatencyChartInput): ChartSpec {
  const x = {
    field: 'percentile',
    type: 'ordinal' as const,
    sort: ORDER,
    title: 'percentile',
    axis: { labelAngle: 0 },
  };
  const y = { type: 'quantitative' as const, title: 'latency (ms)' };
  const color = { field: 'config', type: 'nominal' as const, title: 'configuration' };
  return chart(
    input,
    layeredView(
      [
        {
          mark: 'rule',
          encoding: {
            x,
            y: { ...y, field: 'lo' },
            y2: { field: 'hi' },
            color,
            opacity: toggledOpacity('pick'),
          },
        },
        {
          params: [legendToggle('pick', 'config')],
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { ...y, field: 'mean' },
            color,
            opacity: toggledOpacity('pick'),
            tooltip: [
              { field: 'config' },
              { field: 'percentile' },
              { field: 'text', title: 'ms (mean ± 95% CI)' },
            ],
          },
        },
        ...idealLayers(input.ideal, (f) => ({ x, y: { ...y, field: f } })),
      ],
      input.points,
    ),
  );
}

/** −log10(1 − q): 1 for p90, 2 for p99, 3 for p99.9. */
export function nines(q: number): number {
  return -Math.log10(1 - q);
}

export function latencyCdfChart(input: LatencyChartInput): ChartSpec {
  const q = new Map<string, number>(PERCENTILES.map((p) => [p.label, nines(p.q)]));
  const withNines = <T extends { percentile: string }>(rows: T[]) =>
    rows.map((r) => ({ ...r, nines: q.get(r.percentile) ?? null }));
  const positive = input.points.every((p) => p.mean > 0) && (input.ideal ?? []).every((p) => p.mean > 0);
  const x = {
    type: 'quantitative' as const,
    title: 'latency (ms)',
    scale: positive ? { type: 'log' as const } : {},
  };
  const y = {
    field: 'nines',
    type: 'quantitative' as const,
    title: 'fraction of requests served',
    axis: {
      values: PERCENTILES.map((p) => nines(p.q)),
      labelExpr: "format(1 - pow(10, -datum.value), '.1~%')",
    },
  };
  return chart(
    input,
    layeredView(
      [
        {
          params: [legendToggle('pick', 'config')],
          mark: { type: 'line', point: true, interpolate: 'step-after' },
          encoding: {
            x: { ...x, field: 'mean' },
            y,
            color: { field: 'config', type: 'nominal', title: 'configuration' },
            order: { field: 'nines' },
            opacity: toggledOpacity('pick'),
            tooltip: [
              { field: 'config' },
              { field: 'percentile' },
              { field: 'text', title: 'ms (mean ± 95% CI)' },
            ],
          },
        },
        ...idealLayers(
          input.ideal && withNines(input.ideal),
          (f) => ({ x: { ...x, field: f }, y, order: { field: 'nines' } }),
          'step-after',
        ),
      ],
      withNines(input.points),
    ),
  );
}
