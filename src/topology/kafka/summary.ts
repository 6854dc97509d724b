/**
 * The invalidation bus's part of the result document (result.ts InvalidationsResult, AnalyticsResult, and
 * the series columns of consumer lag and indexing backlog), added to a run's metrics only when the bus is
 * on, so a run with direct invalidation gives the same document as before the bus existed.
 */
import { formatCount as n } from '../../report/format.ts';
import type { ResultMetrics } from '../result.ts';
import { staleAgeSummary } from '../summarize.ts';
import type { InvalidationBus } from './bus.ts';

export function addBusMetrics(m: ResultMetrics, bus: InvalidationBus): void {
  const g = bus.group;
  const published = bus.records.count;
  m.invalidations = {
    via: 'kafka',
    apply: bus.update ? 'update' : 'delete',
    partitions: bus.topic.partitions,
    published,
    batches: bus.producers.batches,
    applied: g.delivered,
    duplicates: g.duplicates,
    lost: g.lost,
    pending: published - g.delivered - g.lost,
    lagMs: staleAgeSummary(bus.invalidator.lag),
    peakLag: g.lag.peak,
    peakLagByPartition: Array.from(g.peakLag),
    stops: g.stops,
  };
  const windows = m.series.t.length;
  m.series.consumerLag = g.lag.column(windows);
  const es = bus.elasticsearch;
  if (es === null) return;
  const sink = es.sink;
  m.analytics = {
    indexed: sink.indexed,
    reindexed: sink.reindexed,
    bulks: sink.bulks,
    freshnessMs: staleAgeSummary(sink.freshness),
    backlogMax: sink.backlog.peak,
  };
  m.series.indexingBacklog = sink.backlog.column(windows);
}

const msText = (x: number | null): string => (x === null ? '-' : x.toFixed(3));

/** The invalidations' and the bus's lines of `cachetopo run`'s text summary. */
export function busLines(m: ResultMetrics): string[] {
  const i = m.invalidations;
  if (i === undefined) return [];
  if (i.via !== 'kafka')
    return [
      `invalidations (${i.via}, ${i.apply}): ${n(i.published)} sent, ${n(i.applied)} applied, ${n(i.lost)} never applied; ` +
        `commit → applied p50 ${msText(i.lagMs.p50)} ms, p99 ${msText(i.lagMs.p99)} ms, max ${msText(i.lagMs.max)} ms`,
    ];
  const out = [
    `invalidations (kafka, ${i.apply}): ${n(i.published)} published, ${n(i.applied)} applied, ` +
      `${n(i.duplicates)} duplicates, ${n(i.lost)} lost, ${n(i.pending)} pending; lag p50 ${msText(i.lagMs.p50)} ms, ` +
      `p99 ${msText(i.lagMs.p99)} ms, max ${msText(i.lagMs.max)} ms; peak ${n(i.peakLag)} records behind`,
  ];
  const a = m.analytics;
  if (a !== undefined) {
    out.push(
      `analytics (elasticsearch): ${n(a.indexed)} indexed in ${n(a.bulks)} bulks; write → searchable p50 ` +
        `${msText(a.freshnessMs.p50)} ms, p99 ${msText(a.freshnessMs.p99)} ms, max ${msText(a.freshnessMs.max)} ms; ` +
        `backlog peak ${n(a.backlogMax)}`,
    );
  }
  return out;
}
