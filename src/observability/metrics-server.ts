/**
 * `--metrics-port`: a long run's live progress on `/metrics` in the Prometheus text format, so the
 * Prometheus of the design (or `curl`) can watch a sweep on a cluster node. Bound to 127.0.0.1 only: the
 * figures are harmless but an open port on every interface is not something a simulator should make.
 * No timestamps here (live samples take the scrape's time). Port 0 picks a free port (for tests).
 */
import { createServer, type Server } from 'node:http';

export interface LiveProgress {
  /** Requests simulated so far, over all cells. */
  requests: number;
  /** Simulation events processed so far. */
  events: number;
  cellsDone: number;
  cellsTotal: number;
  /** Seconds since the run started (wall clock). */
  elapsedSeconds: number;
}

export function liveMetricsText(p: LiveProgress): string {
  const rate = p.elapsedSeconds > 0 ? p.events / p.elapsedSeconds : 0;
  return [
    '# HELP cachetopo_simulated_requests_total Requests simulated so far.',
    '# TYPE cachetopo_simulated_requests_total counter',
    `cachetopo_simulated_requests_total ${p.requests}`,
    '# HELP cachetopo_events_total Simulation events processed so far.',
    '# TYPE cachetopo_events_total counter',
    `cachetopo_events_total ${p.events}`,
    '# HELP cachetopo_events_per_second Events per wall-clock second since the run started.',
    '# TYPE cachetopo_events_per_second gauge',
    `cachetopo_events_per_second ${rate}`,
    '# HELP cachetopo_cells_done Cells of the experiment finished.',
    '# TYPE cachetopo_cells_done gauge',
    `cachetopo_cells_done ${p.cellsDone}`,
    '# HELP cachetopo_cells_total Cells of the experiment.',
    '# TYPE cachetopo_cells_total gauge',
    `cachetopo_cells_total ${p.cellsTotal}`,
    '',
  ].join('\n');
}

/** Serves `/metrics` on 127.0.0.1:`port` until close(); resolves with the server once listening. */
export function serveMetrics(port: number, snapshot: () => LiveProgress): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(liveMetricsText(snapshot()));
  });
  // A scrape in progress must not keep a finished run alive.
  server.unref();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
