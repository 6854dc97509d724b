/**
 * Views of a replay experiment: miss-ratio curves per policy with the infinite-cache floor and Belady at
 * every size (byte miss ratios have the floor only: the Belady run counts objects). A cell's size is the capacity its replay resolved (result.results[0].size: a percentage of
 * the working set becomes objects or bytes), averaged over seeds, since synthetic traces of different
 * seeds have slightly different working sets.
 */

import { mean } from 'simple-statistics';
import type { JsonValue, Question } from '../experiment/contract.ts';
import type { ReplayReport } from '../replay/run.ts';
import type { Section } from './blocks.ts';
import { type ChartSpec, slug } from './charts/common.ts';
import { type MrcBound, mrcChart } from './charts/mrc.ts';
import { type Context, cellFiles, configLabel, intervalOf } from './context.ts';
import { formatInterval, type MetricInfo, metricInfo } from './format.ts';
import { samples, valueText } from './groups.ts';

const CURVE_METRICS = ['missRatio', 'byteMissRatio'];

/** The size axis of a replay experiment ("replay.size"), or null. */
export function sizeAxis(ctx: Context): string | null {
  if (ctx.manifest.model !== 'replay') return null;
  return ctx.manifest.axes.find((a) => /(^|\.)size$/.test(a.name))?.name ?? null;
}

export function isMissRatioCurve(ctx: Context, q: Question, metric: string): boolean {
  return CURVE_METRICS.includes(metric) && q.axis !== '' && q.axis === sizeAxis(ctx);
}

function resolvedSize(result: JsonValue): number | null {
  const rows = (result as unknown as Partial<ReplayReport> | null)?.results;
  const size = rows?.[0]?.size;
  return typeof size === 'number' ? size : null;
}

function sizeUnitOf(ctx: Context): string {
  for (const f of ctx.input.cells.values()) {
    const u = (f.result as unknown as Partial<ReplayReport> | null)?.sizeUnit;
    if (u) return u;
  }
  return 'objects';
}

export function mrcChartFor(ctx: Context, m: MetricInfo, id: string, title: string): ChartSpec {
  const axis = sizeAxis(ctx) ?? '';
  const curveAxes = ctx.varying.filter((a) => a !== axis);
  const sizeOf = (v: JsonValue | undefined): number => {
    const sizes = ctx.groups
      .filter((g) => JSON.stringify(g.params[axis]) === JSON.stringify(v))
      .flatMap((g) => cellFiles(ctx, g.cells).flatMap((f) => resolvedSize(f.result) ?? []));
    if (sizes.length > 0) return mean(sizes);
    return typeof v === 'number' ? v : Number.NaN;
  };
  const values = ctx.manifest.axes.find((a) => a.name === axis)?.values ?? [];
  const sizeByValue = new Map(values.map((v) => [JSON.stringify(v), sizeOf(v)]));
  const points = ctx.groups.flatMap((g) => {
    const iv = intervalOf(g.cells, m.name);
    const size = sizeByValue.get(JSON.stringify(g.params[axis]));
    if (!iv || size === undefined || !Number.isFinite(size)) return [];
    const policy =
      curveAxes.length === 0
        ? ctx.manifest.experiment
        : curveAxes.length === 1
          ? valueText(g.params[curveAxes[0]])
          : configLabel(ctx, g, curveAxes);
    return [{ policy, size, mean: iv.mean, lo: iv.lo, hi: iv.hi, text: formatInterval(iv, m.unit) }];
  });
  const byteMode = m.name === 'byteMissRatio';
  const bounds: MrcBound[] = values.flatMap((v) => {
    const size = sizeByValue.get(JSON.stringify(v));
    if (size === undefined || !Number.isFinite(size)) return [];
    const cells = ctx.groups
      .filter((g) => JSON.stringify(g.params[axis]) === JSON.stringify(v))
      .flatMap((g) => g.cells);
    const files = cellFiles(ctx, cells);
    // The summary has the bounds when the experiment named them as metrics; the cells' results always do.
    const avg = (
      metric: string,
      fromResult: (r: Partial<ReplayReport>) => number | null | undefined,
    ): number | null => {
      const xs = samples(cells, metric);
      const ys =
        xs.length > 0
          ? xs
          : files.flatMap((f) => fromResult((f.result ?? {}) as Partial<ReplayReport>) ?? []);
      return ys.length === 0 ? null : mean(ys);
    };
    return [
      byteMode
        ? { size, compulsory: avg('compulsoryByteMissRatio', (r) => r.compulsoryByteMissRatio), belady: null }
        : {
            size,
            compulsory: avg(
              'compulsoryMissRatio',
              (r) => r.results?.[0]?.compulsoryMissRatio ?? r.compulsoryMissRatio,
            ),
            belady: avg('beladyMissRatio', (r) => r.results?.[0]?.beladyMissRatio),
          },
    ];
  });
  const finite = points.map((p) => p.size);
  const logX =
    finite.length > 0 && Math.min(...finite) > 0 && Math.max(...finite) / Math.min(...finite) >= 20;
  return mrcChart({ id, title, points, bounds, sizeUnit: sizeUnitOf(ctx), yTitle: m.label, logX });
}

/** A miss-ratio-curve section, for replay experiments whose questions drew none. */
export function replaySections(ctx: Context, questions: readonly Question[]): Section[] {
  const axis = sizeAxis(ctx);
  if (axis === null || questions.some((q) => q.metrics.some((n) => isMissRatioCurve(ctx, q, n)))) return [];
  const m = metricInfo('missRatio', ctx.manifest.metrics);
  const values =
    ctx.manifest.axes
      .find((a) => a.name === axis)
      ?.values.map(valueText)
      .join(', ') ?? '';
  return [
    {
      id: 'miss-ratio-curves',
      title: 'Miss-ratio curves',
      blocks: [
        {
          kind: 'paragraph',
          text:
            `Miss ratio at each cache size (${values}), one panel per policy, each with Belady's optimum and the ` +
            'infinite-cache floor (compulsory misses) at the same sizes.',
        },
        { kind: 'chart', chart: mrcChartFor(ctx, m, `mrc-${slug(m.name)}`, 'Miss-ratio curves') },
      ],
    },
  ];
}
