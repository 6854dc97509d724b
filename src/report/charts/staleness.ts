/**
 * Staleness per configuration: the share of reads that returned an out-of-date copy (mean ± 95% CI) and
 * how old those copies were (p50, p99 and max of the age since the newer version was written). The ideal
 * configuration — zero replication lag — is the dashed reference where the experiment ran it.
 */
import { type ChartSpec, chart, HEIGHT, legendToggle, toggledOpacity } from './common.ts';

export interface StaleRatioBar {
  config: string;
  mean: number;
  lo: number;
  hi: number;
  text: string;
}

export interface StaleAgePoint {
  config: string;
  /** "p50", "p99" or "max". */
  stat: string;
  ms: number;
}

export interface StalenessChartInput {
  id: string;
  title: string;
  ratios: StaleRatioBar[];
  ages: StaleAgePoint[];
  /** The ideal configuration's stale-read ratio. */
  ideal?: number | null;
}

export const AGE_STATS = ['p50', 'p99', 'max'];

export function stalenessChart(input: StalenessChartInput): ChartSpec {
  const config = { field: 'config', type: 'nominal' as const, title: 'configuration' };
  const ratioLayers: object[] = [
    {
      params: [legendToggle('pick', 'config')],
      mark: 'bar',
      encoding: {
        y: { ...config, axis: { labelLimit: 200 } },
        x: { field: 'mean', type: 'quantitative', title: 'stale-read ratio', axis: { format: '.2%' } },
        color: { ...config, legend: null },
        opacity: toggledOpacity('pick'),
        tooltip: [
          { field: 'config', title: 'configuration' },
          { field: 'text', title: 'stale reads (mean ± 95% CI)' },
        ],
      },
    },
    {
      mark: { type: 'rule', color: 'black' },
      encoding: { y: config, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
    },
  ];
  if (input.ideal !== undefined && input.ideal !== null)
    ratioLayers.push({
      data: { values: [{ ideal: input.ideal, label: 'ideal' }] },
      mark: { type: 'rule', strokeDash: [6, 4], color: 'black' },
      encoding: {
        x: { field: 'ideal', type: 'quantitative' },
        tooltip: [{ field: 'label' }, { field: 'ideal', format: '.3%' }],
      },
    });
  return chart(input, {
    hconcat: [
      { width: 260, height: HEIGHT, data: { values: input.ratios }, layer: ratioLayers },
      {
        width: 200,
        height: HEIGHT,
        data: { values: input.ages },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'stat',
            type: 'ordinal',
            sort: AGE_STATS,
            title: 'age of stale copies',
            axis: { labelAngle: 0 },
          },
          y: { field: 'ms', type: 'quantitative', title: 'age (ms)' },
          color: config,
          tooltip: [
            { field: 'config', title: 'configuration' },
            { field: 'stat' },
            { field: 'ms', format: '.3f', title: 'ms' },
          ],
        },
      },
    ],
  });
}
