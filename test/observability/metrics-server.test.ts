import type { AddressInfo } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { serveMetrics } from '../../src/observability/metrics-server.ts';

describe('serveMetrics', () => {
  it('serves live progress on 127.0.0.1 /metrics in the text format', async () => {
    let events = 100;
    const server = await serveMetrics(0, () => ({
      requests: 10,
      events,
      cellsDone: 1,
      cellsTotal: 4,
      elapsedSeconds: 2,
    }));
    try {
      const { address, port } = server.address() as AddressInfo;
      expect(address).toBe('127.0.0.1');
      events = 300;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const fams = parsePrometheusTextFormat(await res.text());
      const value = (n: string) => Number(fams.find((f) => f.name === n)?.metrics[0].value);
      expect(value('cachetopo_events_total')).toBe(300);
      expect(value('cachetopo_events_per_second')).toBe(150);
      expect(value('cachetopo_cells_total')).toBe(4);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
