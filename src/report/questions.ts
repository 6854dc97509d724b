/**
 * One section per question of the experiment (contract Question: metrics along a sweep axis, other axes
 * as series): what was compared, then per metric which configuration won, by how much and whether it
 * holds across seeds (narrative.ts), then a chart per metric and the table. With a series, the
 * comparison is between series at each value of the axis (policies at each cache size); without, it is
 * between the axis' values.
 */
import type { JsonValue, Question } from '../experiment/contract.ts';
import type { Block, Section } from './blocks.ts';
import { type ChartSpec, slug } from './charts/common.ts';
import { metricChart } from './charts/metric.ts';
import { type Context, configLabel, idealValue, intervalOf } from './context.ts';
import { formatInterval, type MetricInfo, metricInfo } from './format.ts';
import { axisLabel, type Group, samples, valueText } from './groups.ts';
import { compare, type Verdict } from './narrative.ts';
import { groupTable } from './tables.ts';
import { isMissRatioCurve, mrcChartFor } from './views-replay.ts';

/** The questions to answer: the manifest's, or one along the first varying axis with every metric. */
export function questionsOf(ctx: Context): Question[] {
  if (ctx.manifest.questions.length > 0) return ctx.manifest.questions;
  const metrics =
    ctx.manifest.metrics.length > 0
      ? ctx.manifest.metrics.map((m) => m.name)
      : [...new Set(ctx.groups.flatMap((g) => g.cells.flatMap((c) => Object.keys(c.metrics))))];
  const axis = ctx.varying[0] ?? ctx.manifest.axes[0]?.name ?? '';
  return [{ title: 'Results', metrics, axis }];
}

function list(names: readonly string[], ctx: Context): string {
  return names.map((n) => axisLabel(n, ctx.manifest.axes)).join(' × ');
}

function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The axis' values in sweep order, as the chart's x values. */
function axisValues(ctx: Context, axis: string): JsonValue[] {
  return (
    ctx.manifest.axes.find((a) => a.name === axis)?.values ?? [
      ...new Set(ctx.groups.map((g) => g.params[axis])),
    ]
  );
}

function metricVerdicts(ctx: Context, q: Question, series: string[], m: MetricInfo): string[] {
  const values = axisValues(ctx, q.axis);
  const verdicts: { at: string; v: Verdict }[] = [];
  if (series.length === 0 || q.axis === '') {
    const names = q.axis === '' ? series : [q.axis];
    const contenders = ctx.groups.map((g) => ({
      label: configLabel(ctx, g, names),
      values: samples(g.cells, m.name),
    }));
    return [compare(m, contenders, '').sentence];
  }
  for (const x of values) {
    const slice = ctx.groups.filter((g) => sameValue(g.params[q.axis], x));
    const at = `at ${axisLabel(q.axis, ctx.manifest.axes)}=${valueText(x)}`;
    const contenders = slice.map((g) => ({
      label: configLabel(ctx, g, series),
      values: samples(g.cells, m.name),
    }));
    verdicts.push({ at, v: compare(m, contenders, at) });
  }
  const out = verdicts.map((v) => v.v.sentence);
  if (verdicts.length > 1) {
    const wins = new Map<string, number>();
    for (const { v } of verdicts)
      if (v.winner !== null && v.significance !== 'tied') wins.set(v.winner, (wins.get(v.winner) ?? 0) + 1);
    const top = [...wins.entries()].sort((a, b) => b[1] - a[1]);
    if (top.length > 0)
      out.unshift(
        `${m.label}: ${top[0][0]} was best at ${top[0][1]} of ${verdicts.length} values of ${axisLabel(q.axis, ctx.manifest.axes)}` +
          `${
            top.length > 1
              ? `; ${top
                  .slice(1)
                  .map(([w, n]) => `${w} at ${n}`)
                  .join(', ')}`
              : ''
          }.`,
      );
  }
  return out;
}

function chartFor(ctx: Context, q: Question, series: string[], m: MetricInfo, qi: number): ChartSpec {
  const id = `q${qi + 1}-${slug(m.name)}`;
  const title = `${m.label} by ${axisLabel(q.axis, ctx.manifest.axes)}`;
  if (isMissRatioCurve(ctx, q, m.name)) return mrcChartFor(ctx, m, id, title);
  const xValues = axisValues(ctx, q.axis).map((v) => (typeof v === 'number' ? v : valueText(v)));
  const numeric = xValues.every((v) => typeof v === 'number');
  const positive = numeric && xValues.every((v) => (v as number) > 0);
  const points = ctx.groups.flatMap((g: Group) => {
    const iv = intervalOf(g.cells, m.name);
    if (!iv) return [];
    const v = g.params[q.axis];
    return [
      {
        x: typeof v === 'number' ? v : valueText(v),
        series: series.length === 0 ? ctx.manifest.experiment : configLabel(ctx, g, series),
        mean: iv.mean,
        lo: iv.lo,
        hi: iv.hi,
        text: formatInterval(iv, m.unit),
      },
    ];
  });
  const span = positive ? Math.max(...(xValues as number[])) / Math.min(...(xValues as number[])) : 1;
  return metricChart({
    id,
    title,
    metricLabel: m.label,
    unit: m.unit,
    xTitle: axisLabel(q.axis, ctx.manifest.axes),
    xValues,
    xType: numeric ? 'quantitative' : 'ordinal',
    logX: span >= 20,
    seriesTitle: series.length === 0 ? 'experiment' : list(series, ctx),
    points,
    ideal: idealValue(ctx, m.name),
  });
}

export function questionSection(ctx: Context, q: Question, qi: number): Section {
  const series = [
    ...(q.series ? [q.series] : []),
    ...ctx.varying.filter((a) => a !== q.axis && a !== q.series),
  ];
  const metrics = q.metrics.map((n) => metricInfo(n, ctx.manifest.metrics));
  const seeds = ctx.manifest.seeds.length;
  const id = `q${qi + 1}-${slug(q.title)}`;
  const axes = [q.axis, ...series].filter((a) => a !== '');
  const table = groupTable(ctx, `${q.title}: mean ± 95% CI across seeds`, ctx.groups, axes, metrics);
  if (ctx.groups.length <= 1) {
    // Nothing to compare: the figures, and the table (with its baseline deltas).
    const cells = ctx.groups[0]?.cells ?? [];
    const values = metrics.map((m) => {
      const iv = intervalOf(cells, m.name);
      return `${m.label} ${iv ? formatInterval(iv, m.unit) : '—'}`;
    });
    const text = `One configuration, ${cells.length} run${cells.length === 1 ? '' : 's'}: ${values.join(', ')}.`;
    return {
      id,
      title: q.title,
      blocks: [
        { kind: 'paragraph', text },
        { kind: 'table', table },
      ],
    };
  }
  const compared =
    `Compared ${ctx.groups.length} configuration${ctx.groups.length === 1 ? '' : 's'}` +
    (q.axis === ''
      ? ''
      : ` along ${axisLabel(q.axis, ctx.manifest.axes)} (${axisValues(ctx, q.axis).map(valueText).join(', ')})`) +
    (series.length > 0 && q.axis !== '' ? `, one series per ${list(series, ctx)}` : '') +
    `, ${seeds} seed${seeds === 1 ? '' : 's'} each, on ${metrics.map((m) => m.label).join(', ')}.` +
    (ctx.ideal.length > 0 ? ' The ideal configuration is drawn as a dashed reference.' : '');
  const blocks: Block[] = [{ kind: 'paragraph', text: compared }];
  blocks.push({ kind: 'list', items: metrics.flatMap((m) => metricVerdicts(ctx, q, series, m)) });
  for (const m of metrics) blocks.push({ kind: 'chart', chart: chartFor(ctx, q, series, m, qi) });
  blocks.push({ kind: 'table', table });
  return { id, title: q.title, blocks };
}
