/**
 * The views of a topology experiment that read whole result documents (topology/result.ts) rather than
 * the summary's scalars: latency ladder and CDF, time series with fault markers, the p99 / staleness /
 * cost trade-off with its Pareto front, shard skew and staleness. Each configuration's figures are means
 * across its seeds; a section appears only when the results have its data.
 */
import { mean } from 'simple-statistics';
import type { FaultMarker, SummaryCell } from '../experiment/contract.ts';
import { meanInterval } from '../stats/t-tests.ts';
import type { ResultMetrics } from '../topology/result.ts';
import type { Section } from './blocks.ts';
import { type LadderPoint, latencyCdfChart, latencyLadderChart, PERCENTILES } from './charts/latency.ts';
import { type SkewBar, skewChart } from './charts/skew.ts';
import { AGE_STATS, type StaleAgePoint, type StaleRatioBar, stalenessChart } from './charts/staleness.ts';
import { type SeriesPanel, timeSeriesChart } from './charts/timeseries.ts';
import { paretoFront, type TradeoffPoint, tradeoffChart } from './charts/tradeoff.ts';
import { type Context, cellFiles, configLabel, idealValue, intervalOf } from './context.ts';
import { costPerHour } from './cost.ts';
import { formatInterval, formatValue } from './format.ts';
import type { Group } from './groups.ts';

interface Run {
  metrics: ResultMetrics;
  config: unknown;
  cellMetrics: SummaryCell['metrics'];
}

function runsOf(ctx: Context, cells: readonly SummaryCell[]): Run[] {
  return cellFiles(ctx, cells).flatMap((f) => {
    const m = (f.result as { metrics?: ResultMetrics } | null)?.metrics;
    return m?.latencyMs && m.series ? [{ metrics: m, config: f.config, cellMetrics: f.metrics }] : [];
  });
}

function meanOf(xs: readonly (number | null | undefined)[]): number | null {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? null : mean(v);
}

interface Config {
  label: string;
  group: Group;
  runs: Run[];
}

function latencySection(ctx: Context, configs: Config[]): Section | null {
  const points: LadderPoint[] = configs.flatMap((c) =>
    PERCENTILES.flatMap((p) => {
      const xs = c.runs.map((r) => r.metrics.latencyMs[p.key]).filter((x): x is number => x !== null);
      if (xs.length === 0) return [];
      const iv = meanInterval(xs);
      return [
        {
          config: c.label,
          percentile: p.label,
          mean: iv.mean,
          lo: iv.lo,
          hi: iv.hi,
          text: formatInterval(iv, 'ms'),
        },
      ];
    }),
  );
  if (points.length === 0) return null;
  const idealRuns = runsOf(ctx, ctx.ideal);
  const ideal = PERCENTILES.flatMap((p) => {
    const m = meanOf(idealRuns.map((r) => r.metrics.latencyMs[p.key]));
    return m === null ? [] : [{ percentile: p.label, mean: m }];
  });
  const p99 = points.filter((p) => p.percentile === 'p99').sort((a, b) => a.mean - b.mean);
  const text =
    p99.length > 1
      ? `Lowest p99: ${p99[0].config} at ${p99[0].text}; highest: ${p99[p99.length - 1].config} at ${p99[p99.length - 1].text} (means across seeds, every served request).`
      : 'Latency percentiles of every served request (means across seeds).';
  return {
    id: 'latency',
    title: 'Latency',
    blocks: [
      { kind: 'paragraph', text },
      {
        kind: 'chart',
        chart: latencyLadderChart({
          id: 'latency-ladder',
          title: 'Latency percentile ladder',
          points,
          ideal,
        }),
      },
      {
        kind: 'chart',
        chart: latencyCdfChart({
          id: 'latency-cdf',
          title: 'Latency distribution (from percentiles)',
          points,
          ideal,
        }),
      },
    ],
  };
}

const PANELS = [
  { key: 'hitRatio', title: 'hit ratio', unit: 'ratio' },
  { key: 'originQps', title: 'origin QPS', unit: 'qps' },
  { key: 'p99Ms', title: 'p99 (ms)', unit: 'ms' },
  { key: 'staleReadRatio', title: 'stale reads', unit: 'ratio' },
] as const;

/**
 * The failure schedule's markers: the manifest's, with those the result series carry (the same faults,
 * and the health checks' marks, which only a run knows), each once, by time.
 */
function faultsOf(ctx: Context, configs: Config[]): FaultMarker[] {
  const seen = new Map<string, FaultMarker>();
  for (const f of ctx.manifest.faults ?? []) seen.set(JSON.stringify(f), f);
  for (const c of configs)
    for (const r of c.runs)
      for (const f of (r.metrics.series as { faults?: FaultMarker[] }).faults ?? [])
        seen.set(JSON.stringify(f), f);
  return [...seen.values()].sort((x, y) => x.t - y.t);
}

function timeSection(configs: Config[], faults: FaultMarker[]): Section | null {
  const panels: SeriesPanel[] = PANELS.map((p) => ({
    title: p.title,
    unit: p.unit,
    points: configs.flatMap((c) => {
      const t = c.runs[0]?.metrics.series.t ?? [];
      return t.flatMap((ts, i) => {
        const v = meanOf(c.runs.map((r) => (r.metrics.series[p.key] as (number | null)[] | undefined)?.[i]));
        return v === null ? [] : [{ config: c.label, t: ts, value: v }];
      });
    }),
  })).filter((p) => p.points.length > 0);
  if (panels.length === 0) return null;
  const windowMs = configs[0].runs[0].metrics.series.windowMs;
  const faultText =
    faults.length === 0
      ? ''
      : ` Faults (red): ${faults.map((f) => `${f.label} at ${f.t} s${f.until === undefined ? '' : ` until ${f.until} s`}`).join('; ')}.`;
  return {
    id: 'over-time',
    title: 'Over time',
    blocks: [
      {
        kind: 'paragraph',
        text: `Windows of ${windowMs} ms of simulated time, each the mean across seeds.${faultText}`,
      },
      {
        kind: 'chart',
        chart: timeSeriesChart({
          id: 'time-series',
          title: 'Hit ratio, origin load, p99 and staleness over time',
          panels,
          faults,
        }),
      },
    ],
  };
}

function tradeoffSection(ctx: Context, configs: Config[]): Section | null {
  if (configs.length < 2) return null;
  const points: TradeoffPoint[] = configs.flatMap((c) => {
    const p99 = meanOf(c.runs.map((r) => r.metrics.latencyMs.p99));
    if (p99 === null) return [];
    const stale = meanOf(c.runs.map((r) => r.metrics.staleReadRatio)) ?? 0;
    const cost = meanOf(
      c.runs.map((r) => costPerHour(ctx.manifest.cost, r.config, r.metrics, r.cellMetrics)),
    );
    return [{ config: c.label, p99, stale, cost }];
  });
  if (points.length < 2) return null;
  const front = paretoFront(points);
  const on = points.filter((_, i) => front.has(i)).map((p) => p.config);
  const off = points.filter((_, i) => !front.has(i)).map((p) => p.config);
  const priced = points.some((p) => p.cost !== null);
  return {
    id: 'trade-offs',
    title: 'Trade-offs',
    blocks: [
      {
        kind: 'paragraph',
        text:
          `p99 latency against stale-read ratio${priced ? ", area by cost per hour (nodes, cache capacity and origin queries at the cost model's prices; cross-zone traffic is not priced)" : ' (no cost model in the experiment)'}. ` +
          `On the Pareto front: ${on.join('; ')}.` +
          (off.length > 0
            ? ` Dominated (another design is at least as good on every axis): ${off.join('; ')}.`
            : ''),
      },
      {
        kind: 'chart',
        chart: tradeoffChart({
          id: 'trade-off',
          title: `p99 vs stale reads${priced ? ' vs cost' : ''}`,
          points,
        }),
      },
    ],
  };
}

function skewSection(configs: Config[]): Section | null {
  const bars: SkewBar[] = configs.flatMap((c) => {
    const tiers = Object.keys(c.runs[0]?.metrics.shardSkew ?? {});
    return tiers.flatMap((tier) => {
      const s = c.runs.map((r) => r.metrics.shardSkew[tier]).filter((x) => x !== undefined);
      const maxOverMean = meanOf(s.map((x) => x.maxOverMean));
      if (maxOverMean === null) return [];
      return [
        {
          config: c.label,
          tier,
          maxOverMean,
          cv: meanOf(s.map((x) => x.cv)) ?? 0,
          gini: meanOf(s.map((x) => x.gini)) ?? 0,
        },
      ];
    });
  });
  if (bars.length === 0) return null;
  const worst = bars.reduce((a, b) => (b.maxOverMean > a.maxOverMean ? b : a));
  return {
    id: 'shard-skew',
    title: 'Shard load skew',
    blocks: [
      {
        kind: 'paragraph',
        text: `Busiest node's commands over the tier's mean (1 is even). Most skewed: ${worst.tier} in ${worst.config}, ${worst.maxOverMean.toFixed(3)}× the mean.`,
      },
      { kind: 'chart', chart: skewChart({ id: 'shard-skew', title: 'Shard load skew', bars }) },
    ],
  };
}

function stalenessSection(ctx: Context, configs: Config[]): Section | null {
  const ratios: StaleRatioBar[] = configs.flatMap((c) => {
    const iv = intervalOf(c.group.cells, 'staleReadRatio');
    const fromRuns = c.runs.map((r) => r.metrics.staleReadRatio).filter((x): x is number => x !== null);
    const i = iv ?? (fromRuns.length > 0 ? meanInterval(fromRuns) : null);
    return i ? [{ config: c.label, mean: i.mean, lo: i.lo, hi: i.hi, text: formatInterval(i, 'ratio') }] : [];
  });
  if (ratios.length === 0) return null;
  const ages: StaleAgePoint[] = configs.flatMap((c) =>
    AGE_STATS.flatMap((stat) => {
      const ms = meanOf(c.runs.map((r) => r.metrics.staleAgeMs[stat as 'p50' | 'p99' | 'max']));
      return ms === null ? [] : [{ config: c.label, stat, ms }];
    }),
  );
  const ideal =
    idealValue(ctx, 'staleReadRatio') ?? meanOf(runsOf(ctx, ctx.ideal).map((r) => r.metrics.staleReadRatio));
  const worst = ratios.reduce((a, b) => (b.mean > a.mean ? b : a));
  const text =
    worst.mean === 0
      ? 'No configuration served a stale read.'
      : `Most stale: ${worst.config}, ${worst.text} of reads returned an out-of-date copy` +
        `${ideal === null ? '' : `; the ideal configuration: ${formatValue(ideal, 'ratio')}`}.`;
  return {
    id: 'staleness',
    title: 'Staleness',
    blocks: [
      { kind: 'paragraph', text },
      {
        kind: 'chart',
        chart: stalenessChart({ id: 'staleness', title: 'Stale reads and their age', ratios, ages, ideal }),
      },
    ],
  };
}

export function topologySections(ctx: Context): Section[] {
  if (ctx.manifest.model !== 'topology') return [];
  const configs: Config[] = ctx.groups
    .map((g) => ({ label: configLabel(ctx, g), group: g, runs: runsOf(ctx, g.cells) }))
    .filter((c) => c.runs.length > 0);
  if (configs.length === 0) return [];
  return [
    latencySection(ctx, configs),
    timeSection(configs, faultsOf(ctx, configs)),
    tradeoffSection(ctx, configs),
    skewSection(configs),
    stalenessSection(ctx, configs),
  ].filter((s): s is Section => s !== null);
}
