/**
 * Miss-ratio curves, one small panel per policy, each with the two ideal bounds drawn on it: the
 * infinite-cache floor (compulsory misses: the first request of every object misses whatever the cache)
 * and Belady's MIN at the same sizes (the offline optimum, Belady 1966). A policy's distance to Belady is
 * what a better eviction algorithm could still win; its distance to the floor is what more memory could.
 */
import { type ChartSpec, chart, legendToggle, toggledOpacity } from './common.ts';

export interface MrcPoint {
  policy: string;
  size: number;
  /** Mean miss ratio across seeds, and its 95% interval. */
  mean: number;
  lo: number;
  hi: number;
  text: string;
}

export interface MrcBound {
  size: number;
  compulsory: number | null;
  belady: number | null;
}

export interface MrcChartInput {
  id: string;
  title: string;
  points: MrcPoint[];
  bounds: MrcBound[];
  /** "objects" or "bytes". */
  sizeUnit: string;
  /** Miss ratio or byte miss ratio. */
  yTitle: string;
  logX: boolean;
}

export const CURVES = ['policy', 'Belady (optimal)', 'infinite cache (compulsory)'];

interface Row {
  policy: string;
  size: number;
  curve: string;
  value: number;
  lo: number | null;
  hi: number | null;
  text: string;
}

/** Long-format rows: each policy's curve plus both bounds repeated under each policy, for the facets. */
export function mrcRows(points: readonly MrcPoint[], bounds: readonly MrcBound[]): Row[] {
  const rows: Row[] = [];
  const policies = [...new Set(points.map((p) => p.policy))];
  for (const p of points)
    rows.push({
      policy: p.policy,
      size: p.size,
      curve: CURVES[0],
      value: p.mean,
      lo: p.lo,
      hi: p.hi,
      text: p.text,
    });
  for (const policy of policies) {
    for (const b of bounds) {
      if (b.belady !== null)
        rows.push({
          policy,
          size: b.size,
          curve: CURVES[1],
          value: b.belady,
          lo: null,
          hi: null,
          text: b.belady.toFixed(4),
        });
      if (b.compulsory !== null)
        rows.push({
          policy,
          size: b.size,
          curve: CURVES[2],
          value: b.compulsory,
          lo: null,
          hi: null,
          text: b.compulsory.toFixed(4),
        });
    }
  }
  return rows;
}

export function mrcChart(input: MrcChartInput): ChartSpec {
  const x = {
    field: 'size',
    type: 'quantitative' as const,
    title: `cache size (${input.sizeUnit})`,
    scale: input.logX ? { type: 'log' as const } : {},
    axis: { format: '~s' },
  };
  const y = {
    type: 'quantitative' as const,
    title: input.yTitle,
    axis: { format: '.0%' },
    scale: { domain: [0, 1] },
  };
  return chart(input, {
    data: { values: mrcRows(input.points, input.bounds) },
    facet: { field: 'policy', type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 220,
      height: 160,
      layer: [
        {
          transform: [{ filter: `datum.curve === '${CURVES[0]}'` }],
          mark: { type: 'area', opacity: 0.25 },
          encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
        },
        {
          params: [legendToggle('pick', 'curve')],
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { ...y, field: 'value' },
            color: {
              field: 'curve',
              type: 'nominal',
              title: null,
              scale: { domain: CURVES, range: ['#4c78a8', 'black', '#888888'] },
            },
            strokeDash: {
              field: 'curve',
              type: 'nominal',
              scale: {
                domain: CURVES,
                range: [
                  [1, 0],
                  [6, 3],
                  [2, 2],
                ],
              },
              title: null,
            },
            opacity: toggledOpacity('pick'),
            tooltip: [
              { field: 'policy' },
              { field: 'curve' },
              { field: 'size', title: `size (${input.sizeUnit})`, format: ',' },
              { field: 'text', title: input.yTitle },
            ],
          },
        },
      ],
    },
  });
}
