/**
 * What happened over simulated time, one panel per measure (hit ratio, origin QPS, p99, stale-read
 * ratio), one line per configuration (the mean across seeds of each window), with the failure schedule's
 * faults as vertical red rules (shaded while a fault lasts) and the health checks' marked-down intervals in
 * orange, so a dip or a storm lines up with its cause.
 */
import type { FaultMarker } from '../../experiment/contract.ts';
import { axisFormat, type ChartSpec, chart, legendToggle, toggledOpacity, WIDTH } from './common.ts';

export interface SeriesPoint {
  config: string;
  /** Window start, seconds of simulated time. */
  t: number;
  value: number;
}

export interface SeriesPanel {
  title: string;
  unit: string;
  points: SeriesPoint[];
}

export interface TimeSeriesChartInput {
  id: string;
  title: string;
  panels: SeriesPanel[];
  faults: FaultMarker[];
}

/** Health checks' marks (topology/faults/schedule.ts): drawn in orange and unlabelled, beside the faults. */
const DERIVED = 'marked-down';

function faultLayers(faults: readonly FaultMarker[], labels: boolean): object[] {
  if (faults.length === 0) return [];
  const data = { values: faults.map((f) => ({ ...f, until: f.until ?? null })) };
  const x = { field: 't', type: 'quantitative' as const };
  const tooltip = [
    { field: 'label', title: 'fault' },
    { field: 'kind' },
    { field: 't', title: 'at (s)' },
    { field: 'until', title: 'until (s)' },
  ];
  const layers: object[] = [
    {
      data,
      transform: [{ filter: 'datum.until !== null' }],
      mark: { type: 'rect', color: '#d62728', opacity: 0.08 },
      encoding: { x, x2: { field: 'until' } },
    },
    {
      data,
      mark: { type: 'rule', strokeDash: [4, 2], strokeWidth: 1.5 },
      encoding: {
        x,
        tooltip,
        // A value condition, not a scale: the configurations own the colour legend.
        color: { condition: { test: `datum.kind === '${DERIVED}'`, value: '#ff7f0e' }, value: '#d62728' },
      },
    },
  ];
  if (labels)
    layers.push({
      data,
      transform: [{ filter: `datum.kind !== '${DERIVED}'` }],
      mark: { type: 'text', color: '#d62728', align: 'left', baseline: 'top', dx: 3, y: 2 },
      encoding: { x, text: { field: 'label' } },
    });
  return layers;
}

export function timeSeriesChart(input: TimeSeriesChartInput): ChartSpec {
  return chart(input, {
    vconcat: input.panels.map((panel, i) => ({
      width: WIDTH,
      height: 110,
      layer: [
        {
          data: { values: panel.points },
          params: [legendToggle(`pick${i}`, 'config')],
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x: {
              field: 't',
              type: 'quantitative',
              title: i === input.panels.length - 1 ? 'time (s)' : null,
            },
            y: {
              field: 'value',
              type: 'quantitative',
              title: panel.title,
              axis: { format: axisFormat(panel.unit) },
            },
            color: { field: 'config', type: 'nominal', title: 'configuration' },
            opacity: toggledOpacity(`pick${i}`),
            tooltip: [
              { field: 'config' },
              { field: 't', title: 'window start (s)' },
              { field: 'value', title: panel.title, format: '.4~g' },
            ],
          },
        },
        ...faultLayers(input.faults, i === 0),
      ],
    })),
  });
}
