/**
 * Shard load skew: per configuration and tier, the busiest node's load over the mean (1 is a perfectly
 * even spread; src/topology/sharding/skew.ts), with the coefficient of variation and Gini in the tooltip.
 * Skew decides when the hottest shard saturates long before the tier as a whole does.
 */
import { type ChartSpec, chart, layeredView, legendToggle, toggledOpacity } from './common.ts';

export interface SkewBar {
  config: string;
  tier: string;
  maxOverMean: number;
  cv: number;
  gini: number;
}

export function skewChart(input: { id: string; title: string; bars: SkewBar[] }): ChartSpec {
  return chart(
    input,
    layeredView([
      {
        data: { values: input.bars },
        params: [legendToggle('pick', 'tier')],
        mark: 'bar',
        encoding: {
          x: {
            field: 'config',
            type: 'nominal',
            title: 'configuration',
            axis: { labelAngle: -30, labelLimit: 200 },
          },
          xOffset: { field: 'tier', type: 'nominal' },
          y: {
            field: 'maxOverMean',
            type: 'quantitative',
            title: 'busiest node / mean load',
            scale: { zero: false },
          },
          color: { field: 'tier', type: 'nominal', title: 'tier' },
          opacity: toggledOpacity('pick'),
          tooltip: [
            { field: 'config', title: 'configuration' },
            { field: 'tier' },
            { field: 'maxOverMean', title: 'max/mean', format: '.3f' },
            { field: 'cv', title: 'CV', format: '.3f' },
            { field: 'gini', title: 'Gini', format: '.3f' },
          ],
        },
      },
      {
        data: { values: [{ even: 1 }] },
        mark: { type: 'rule', strokeDash: [6, 4], color: 'black' },
        encoding: { y: { field: 'even', type: 'quantitative' } },
      },
    ]),
  );
}
