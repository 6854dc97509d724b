/**
 * One metric along a sweep axis: the mean across seeds per configuration with its 95% interval as an
 * error bar, one coloured line per series, and the ideal configuration's value as a dashed reference
 * rule when the experiment ran it. The chart of every question's metric that has no more specific view.
 */
import {
  axisFormat,
  type ChartSpec,
  chart,
  layeredView,
  legendToggle,
  toggledOpacity,
  unitTitle,
} from './common.ts';

export interface MetricPoint {
  x: string | number;
  series: string;
  mean: number;
  lo: number;
  hi: number;
  /** The interval as the tables print it. */
  text: string;
}

export interface MetricChartInput {
  id: string;
  title: string;
  metricLabel: string;
  unit: string;
  xTitle: string;
  /** Axis values in sweep order (ordinal axes keep it). */
  xValues: (string | number)[];
  xType: 'quantitative' | 'ordinal';
  logX?: boolean;
  seriesTitle: string;
  points: MetricPoint[];
  /** The ideal configuration's mean, drawn as a reference rule. */
  ideal?: number | null;
}

export function metricChart(input: MetricChartInput): ChartSpec {
  const x =
    input.xType === 'quantitative'
      ? {
          field: 'x',
          type: 'quantitative' as const,
          title: input.xTitle,
          scale: input.logX ? { type: 'log' as const } : { zero: false },
        }
      : {
          field: 'x',
          type: 'ordinal' as const,
          title: input.xTitle,
          sort: input.xValues,
          axis: { labelAngle: 0 },
        };
  const y = {
    field: 'mean',
    type: 'quantitative' as const,
    title: unitTitle(input.metricLabel, input.unit),
    axis: { format: axisFormat(input.unit) },
    scale: { zero: false },
  };
  const color = { field: 'series', type: 'nominal' as const, title: input.seriesTitle };
  const layers: object[] = [
    {
      mark: { type: 'rule' },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color, opacity: toggledOpacity('pick') },
    },
    {
      params: [legendToggle('pick', 'series')],
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y,
        color,
        opacity: toggledOpacity('pick'),
        tooltip: [
          { field: 'series', title: input.seriesTitle },
          { field: 'x', title: input.xTitle },
          { field: 'text', title: `${input.metricLabel} (mean ± 95% CI)` },
        ],
      },
    },
  ];
  if (input.ideal !== undefined && input.ideal !== null) {
    const ideal = { data: { values: [{ ideal: input.ideal, label: 'ideal' }] } };
    layers.push(
      {
        ...ideal,
        mark: { type: 'rule', strokeDash: [6, 4], color: 'black' },
        encoding: { y: { field: 'ideal', type: 'quantitative' } },
      },
      {
        ...ideal,
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, x: 0, color: 'black' },
        encoding: { y: { field: 'ideal', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  }
  return chart(input, layeredView(layers, input.points));
}
