import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { openMetricsSeries, prometheusText } from '../../src/observability/prometheus.ts';
import { baseConfig, run } from '../topology/helpers.ts';

const result = run(
  baseConfig({
    tiers: {
      cache: {
        server: 'generic',
        nodes: 2,
        policy: 'lru',
        capacity: '64KiB',
        service: { dist: 'constant', value: '10us' },
        threads: 1,
      },
    },
  }),
);

describe('prometheusText', () => {
  const text = prometheusText(result);
  const parsed = parsePrometheusTextFormat(text);
  const family = (name: string) => {
    const f = parsed.find((x) => x.name === name);
    if (f === undefined) throw new Error(`no family ${name}`);
    return f;
  };

  it('parses back with an independent parser, values and types intact', () => {
    expect(family('cachetopo_requests_total').type).toBe('COUNTER');
    expect(Number(family('cachetopo_requests_total').metrics[0].value)).toBe(result.metrics.requests);
    const outcomes = family('cachetopo_outcomes_total').metrics;
    const hits = outcomes.find((s) => s.labels?.outcome === 'hit');
    expect(Number(hits?.value)).toBe(result.metrics.outcomes.hits);
    const nodes = family('cachetopo_node_commands_total').metrics;
    expect(nodes.map((s) => s.labels?.node)).toEqual(result.metrics.nodes.map((n) => n.name));
  });

  it('writes latencies as a summary in seconds', () => {
    const lat = family('cachetopo_request_duration_seconds');
    expect(lat.type).toBe('SUMMARY');
    const s = lat.metrics[0];
    expect(Number(s.count)).toBe(result.metrics.latencyMs.count);
    expect(Number(s.quantiles?.['0.99'])).toBeCloseTo((result.metrics.latencyMs.p99 ?? 0) / 1000, 12);
  });

  it('counts network messages and value bytes per link class', () => {
    for (const [name, block] of [
      ['cachetopo_network_messages_total', result.metrics.network.messages],
      ['cachetopo_network_bytes_total', result.metrics.network.bytes],
    ] as const) {
      const f = family(name);
      expect(f.type).toBe('COUNTER');
      expect(f.metrics.map((s) => [s.labels?.link, Number(s.value)])).toEqual([
        ['sameHost', block.sameHost],
        ['sameZone', block.sameZone],
        ['crossZone', block.crossZone],
      ]);
    }
    expect(result.metrics.network.bytes.sameZone).toBeGreaterThan(0);
  });

  it('stamps every sample with the simulated end time in ms', () => {
    const ts = String(Math.round(result.metrics.simulation.simulatedSeconds * 1000));
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(10);
    for (const l of samples) expect(l.endsWith(` ${ts}`)).toBe(true);
  });
});

describe('openMetricsSeries', () => {
  it('has one sample per measured window, time-ordered, and ends with # EOF', () => {
    const text = openMetricsSeries(result);
    expect(text.endsWith('# EOF\n')).toBe(true);
    const req = text.split('\n').filter((l) => l.startsWith('cachetopo_window_requests '));
    expect(req.length).toBe(result.metrics.series.requests.length);
    const times = req.map((l) => Number(l.split(' ')[2]));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
    expect(req.map((l) => Number(l.split(' ')[1]))).toEqual(result.metrics.series.requests);
  });
});

describe('prometheusText of several runs', () => {
  it('groups each family once, every run labelled', () => {
    const text = prometheusText([
      { labels: { cell: 'a' }, result },
      { labels: { cell: 'b' }, result },
    ]);
    expect(text.match(/^# TYPE cachetopo_requests_total /gm)).toHaveLength(1);
    const fams = parsePrometheusTextFormat(text);
    const req = fams.find((f) => f.name === 'cachetopo_requests_total');
    expect(req?.metrics.map((m) => m.labels?.cell)).toEqual(['a', 'b']);
  });
});
