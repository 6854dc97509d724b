/**
 * A topology run's metrics in the Prometheus text exposition format (version 0.0.4), as the design's
 * Prometheus would scrape them from the real tier: counters end in `_total`, latencies are summaries in
 * seconds with `quantile` labels, and every sample carries the simulated time at the end of the run as
 * its timestamp (milliseconds from the start of the simulation), so a dashboard built on the file lines
 * up with the run's own time axis rather than with the wall clock of the machine that ran it.
 *
 * The text format allows one sample per series per exposition, so the per-window time series go to a
 * second document in OpenMetrics form (`# EOF`-terminated, timestamps in seconds), which is what
 * `promtool tsdb create-blocks-from openmetrics` backfills into a Prometheus TSDB.
 *
 * Format: https://prometheus.io/docs/instrumenting/exposition_formats/ and the OpenMetrics 1.0 spec.
 */
import type { LatencySummary, NodeResult, PerLinkClass, ResultDocument } from '../topology/result.ts';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'summary';
  samples: { suffix?: string; labels: Labels; value: number }[];
}

/** Label values escape backslash, double quote and newline (the format's only escapes). */
function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Go's float formatting as Prometheus parses it: NaN and ±Inf spelled out. */
function valueText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function latencySamples(l: LatencySummary, labels: Labels): Family['samples'] {
  const out: Family['samples'] = [];
  const q: [string, number | null][] = [
    ['0.5', l.p50],
    ['0.9', l.p90],
    ['0.99', l.p99],
    ['0.999', l.p999],
  ];
  for (const [quantile, ms] of q)
    if (ms !== null) out.push({ labels: { ...labels, quantile }, value: ms / 1000 });
  out.push({ suffix: '_count', labels, value: l.count });
  out.push({ suffix: '_sum', labels, value: l.mean === null ? 0 : (l.mean * l.count) / 1000 });
  return out;
}

/** One sample per link class; none for a result written before the network block existed. */
function perLink(x: PerLinkClass | undefined): Family['samples'] {
  if (x === undefined) return [];
  return (['sameHost', 'sameZone', 'crossZone'] as const).map((link) => ({
    labels: { link },
    value: x[link],
  }));
}

function families(r: ResultDocument): Family[] {
  const m = r.metrics;
  const o = m.outcomes;
  const ratio = (v: number | null): number => (v === null ? Number.NaN : v);
  const perNode = (value: (n: NodeResult) => number): Family['samples'] =>
    m.nodes.map((n) => ({ labels: { tier: n.tier, node: n.name, zone: n.zone }, value: value(n) }));
  const fam: Family[] = [
    {
      name: 'cachetopo_requests_total',
      help: 'Requests issued by the clients.',
      type: 'counter',
      samples: [{ labels: {}, value: m.requests }],
    },
    {
      name: 'cachetopo_outcomes_total',
      help: 'Requests by how they ended.',
      type: 'counter',
      samples: (
        [
          ['hit', o.hits],
          ['miss', o.misses],
          ['write', o.writes],
          ['rejected', o.rejected],
          ['failed', o.failed],
        ] as const
      ).map(([outcome, value]) => ({ labels: { outcome }, value })),
    },
    {
      name: 'cachetopo_hit_ratio',
      help: 'Hits over reads that reached the caches.',
      type: 'gauge',
      samples: [{ labels: {}, value: ratio(m.hitRatio) }],
    },
    {
      name: 'cachetopo_stale_read_ratio',
      help: 'Stale reads over reads served.',
      type: 'gauge',
      samples: [{ labels: {}, value: ratio(m.staleReadRatio) }],
    },
    {
      name: 'cachetopo_lost_writes_total',
      help: 'Writes answered to clients that the origin never applied.',
      type: 'counter',
      samples: [{ labels: {}, value: m.lostWrites }],
    },
    {
      name: 'cachetopo_request_duration_seconds',
      help: 'Latency of served requests (hits, misses and writes), seen by the client.',
      type: 'summary',
      samples: latencySamples(m.latencyMs, {}),
    },
    {
      name: 'cachetopo_tier_lookups_total',
      help: 'Lookups per cache tier.',
      type: 'counter',
      samples: Object.entries(m.tiers).map(([tier, t]) => ({ labels: { tier }, value: t.lookups })),
    },
    {
      name: 'cachetopo_tier_hits_total',
      help: 'Hits per cache tier.',
      type: 'counter',
      samples: Object.entries(m.tiers).map(([tier, t]) => ({ labels: { tier }, value: t.hits })),
    },
    {
      name: 'cachetopo_node_commands_total',
      help: 'Commands executed per cache node.',
      type: 'counter',
      samples: perNode((n) => n.commands),
    },
    {
      name: 'cachetopo_node_utilisation_ratio',
      help: 'Busy share of each cache node’s worker threads.',
      type: 'gauge',
      samples: perNode((n) => ratio(n.utilisation)),
    },
    {
      name: 'cachetopo_node_memory_used_bytes',
      help: 'Bytes held by each cache node at the end of the run.',
      type: 'gauge',
      samples: perNode((n) => n.usedBytes),
    },
    {
      name: 'cachetopo_origin_queries_total',
      help: 'Queries that reached the origin database.',
      type: 'counter',
      samples: [
        { labels: { kind: 'read' }, value: m.origin.reads },
        { labels: { kind: 'write' }, value: m.origin.writes },
      ],
    },
    {
      name: 'cachetopo_origin_peak_qps',
      help: 'Origin queries per second in the busiest full window.',
      type: 'gauge',
      samples: [{ labels: {}, value: m.origin.peakQps }],
    },
    {
      name: 'cachetopo_network_messages_total',
      help: 'Messages between placed instances, by link class.',
      type: 'counter',
      samples: perLink(m.network?.messages),
    },
    {
      name: 'cachetopo_network_bytes_total',
      help: 'Value bytes carried between placed instances (headers and keys not counted), by link class.',
      type: 'counter',
      samples: perLink(m.network?.bytes),
    },
  ];
  return fam.filter((f) => f.samples.length > 0);
}

/** A run's result and the labels that tell it apart from the other runs in the same file. */
export interface LabelledResult {
  labels: Labels;
  result: ResultDocument;
}

/**
 * Final figures of one run or of several (the topology cells of a sweep, each labelled, e.g. by `cell`)
 * in the Prometheus text format, each sample stamped with its own run's end. A family's HELP and TYPE
 * come once, followed by every run's samples of it, as the format requires.
 */
export function prometheusText(runs: ResultDocument | readonly LabelledResult[]): string {
  const list: readonly LabelledResult[] = Array.isArray(runs)
    ? runs
    : [{ labels: {}, result: runs as ResultDocument }];
  const merged = new Map<string, { family: Family; lines: string[] }>();
  for (const { labels, result } of list) {
    const ts = Math.round(result.metrics.simulation.simulatedSeconds * 1000);
    for (const f of families(result)) {
      let entry = merged.get(f.name);
      if (entry === undefined) {
        entry = { family: f, lines: [] };
        merged.set(f.name, entry);
      }
      for (const x of f.samples)
        entry.lines.push(
          `${f.name}${x.suffix ?? ''}${labelText({ ...labels, ...x.labels })} ${valueText(x.value)} ${ts}`,
        );
    }
  }
  const out: string[] = [];
  for (const { family, lines } of merged.values())
    out.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`, ...lines);
  return `${out.join('\n')}\n`;
}

/**
 * The per-window series as OpenMetrics for backfilling: one gauge family per column, one sample per
 * window stamped with the window's end in seconds (the last one cut at the run's end). Windows with nothing to measure are left out.
 */
export function openMetricsSeries(r: ResultDocument): string {
  const s = r.metrics.series;
  const w = s.windowMs / 1000;
  const end = r.metrics.simulation.simulatedSeconds;
  const columns: [string, string, (number | null)[]][] = [
    ['cachetopo_window_requests', 'Requests that ended in the window.', s.requests],
    ['cachetopo_window_hit_ratio', 'Hit ratio in the window.', s.hitRatio],
    ['cachetopo_window_stale_read_ratio', 'Stale reads over reads served in the window.', s.staleReadRatio],
    [
      'cachetopo_window_p99_seconds',
      '99th percentile latency of the window’s served requests.',
      s.p99Ms.map((v) => (v === null ? null : v / 1000)),
    ],
    ['cachetopo_window_origin_qps', 'Origin queries per second in the window.', s.originQps],
    ['cachetopo_window_origin_queue', 'Origin queries waiting at the window’s end.', s.originQueue],
  ];
  const lines: string[] = [];
  for (const [name, help, values] of columns) {
    lines.push(`# TYPE ${name} gauge`, `# HELP ${name} ${help}`);
    values.forEach((v, i) => {
      if (v !== null) lines.push(`${name} ${valueText(v)} ${Number(Math.min(s.t[i] + w, end).toFixed(6))}`);
    });
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
