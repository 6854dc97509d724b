/**
 * The report model: a pure function from a results folder's data (contract.ts) and an optional baseline
 * to sections of narrative, charts and tables — what was compared, which configuration won on each
 * metric and by how much, whether that holds across seeds, then the views of the model that ran
 * (latency, time series, trade-offs, skew and staleness for a topology; miss-ratio curves for a replay).
 * html.ts, markdown.ts and notebook.ts only render it.
 */
import type { ReportModel, Section } from './blocks.ts';
import { type Context, contextOf, type ReportInput } from './context.ts';
import { metricInfo } from './format.ts';
import { axisLabel, valueText } from './groups.ts';
import { MIN_SEEDS } from './narrative.ts';
import { questionSection, questionsOf } from './questions.ts';
import { groupTable } from './tables.ts';
import { replaySections } from './views-replay.ts';
import { topologySections } from './views-topology.ts';

export type { ReportInput } from './context.ts';

function overview(ctx: Context): Section {
  const m = ctx.manifest;
  const seeds = m.seeds.length;
  const axes = m.axes.map((a) => `${axisLabel(a.name, m.axes)} (${a.values.map(valueText).join(', ')})`);
  const what = m.model === 'topology' ? 'topology simulation' : 'trace replay';
  const paragraphs = [
    `${m.experiment}: a ${what} of ${ctx.groups.length} configuration${ctx.groups.length === 1 ? '' : 's'}` +
      `${axes.length > 0 ? `, sweeping ${axes.join(' × ')}` : ''}, each run with ${seeds} seed${seeds === 1 ? '' : 's'}` +
      `${seeds > 0 ? ` (${m.seeds.join(', ')})` : ''}.` +
      (ctx.ideal.length > 0
        ? ` The ideal configuration (zero lag, infinite capacity) ran as a reference.`
        : ''),
    seeds >= MIN_SEEDS
      ? `Numbers are means across seeds ± the half-width of their 95% confidence interval (t distribution); "A beats B" is backed by Welch's t-test, significant when p < 0.05.`
      : `Numbers are means across seeds ± the half-width of their 95% confidence interval (t distribution). With ${seeds} seed${seeds === 1 ? '' : 's'} per configuration the comparisons are indicative: a claim of significance needs at least ${MIN_SEEDS}.`,
  ];
  if (ctx.input.baseline)
    paragraphs.push(
      `Δ columns compare each configuration with the same sweep values in the baseline ${ctx.input.baseline.name}.`,
    );
  return {
    id: 'overview',
    title: 'Overview',
    blocks: paragraphs.map((text) => ({ kind: 'paragraph' as const, text })),
  };
}

function allMetrics(ctx: Context): Section | null {
  const names =
    ctx.manifest.metrics.length > 0
      ? ctx.manifest.metrics.map((s) => s.name)
      : [...new Set(ctx.groups.flatMap((g) => g.cells.flatMap((c) => Object.keys(c.metrics))))];
  if (names.length === 0 || ctx.groups.length === 0) return null;
  const metrics = names.map((n) => metricInfo(n, ctx.manifest.metrics));
  return {
    id: 'all-metrics',
    title: 'All configurations',
    blocks: [
      {
        kind: 'table',
        table: groupTable(
          ctx,
          'Every metric of every configuration: mean ± 95% CI across seeds',
          ctx.groups,
          ctx.varying,
          metrics,
        ),
      },
    ],
  };
}

function provenance(ctx: Context): Section {
  const m = ctx.manifest;
  const b = ctx.input.baseline?.data;
  return {
    id: 'provenance',
    title: 'Provenance',
    blocks: [
      {
        kind: 'list',
        items: [
          `code version ${m.codeVersion}`,
          `experiment config hash ${m.configHash}`,
          `trace hash ${m.traceHash}`,
          `${ctx.input.summary.cells.length} cells (summary.json), seeds ${m.seeds.join(', ')}`,
          ...(b
            ? [
                `baseline ${ctx.input.baseline?.name}: code version ${b.codeVersion}, config hash ${b.configHash}`,
              ]
            : []),
        ],
      },
    ],
  };
}

export function buildReport(input: ReportInput): ReportModel {
  const ctx = contextOf(input);
  const questions = questionsOf(ctx);
  const sections: Section[] = [
    overview(ctx),
    ...questions.map((q, i) => questionSection(ctx, q, i)),
    ...replaySections(ctx, questions),
    ...topologySections(ctx),
  ];
  const all = allMetrics(ctx);
  if (all) sections.push(all);
  sections.push(provenance(ctx));
  return {
    title: `${input.manifest.experiment}: experiment report`,
    experiment: input.manifest.experiment,
    model: input.manifest.model,
    sections,
  };
}
