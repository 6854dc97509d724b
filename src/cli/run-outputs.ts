/**
 * The observability outputs of `cachetopo run` (the design's Prometheus and ELK): `--metrics-file` (the
 * simulated metrics in the Prometheus text format; a results folder always gets `metrics.prom`),
 * `--metrics-port` (live progress on 127.0.0.1/metrics while the run goes on) and `--events` (sampled
 * request, invalidation and fault events as Elasticsearch `_bulk` NDJSON: a file for a single run, a folder
 * with one `<cell-id>.ndjson` per topology cell run now for a sweep).
 */
import type { Server } from 'node:http';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import type { CellFile } from '../experiment/contract.ts';
import { type LiveProgress, serveMetrics } from '../observability/metrics-server.ts';
import { type LabelledResult, prometheusText } from '../observability/prometheus.ts';
import type { ResultDocument } from '../topology/result.ts';

export interface OutputFlags {
  metricsFile?: string;
  metricsPort?: number;
  events?: string;
  eventsSample: number;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 0 && n <= 65535))
    throw new InputError(`--metrics-port: expected a port number from 0 to 65535, got "${v}"`);
  return n;
}

function parseRate(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n <= 1) || v.trim() === '')
    throw new InputError(`--events-sample: expected a fraction from 0 to 1, got "${v}"`);
  return n;
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--metrics-file <file>', 'write the simulated metrics in the Prometheus text format')
    .option('--metrics-port <port>', 'serve live progress on http://127.0.0.1:<port>/metrics', parsePort)
    .option(
      '--events <file>',
      'write sampled simulated events as Elasticsearch _bulk NDJSON (a sweep: a folder, a file per cell)',
    )
    .option(
      '--events-sample <rate>',
      'share of requests and invalidations kept in --events',
      parseRate,
      0.01,
    );
}

/** Prometheus text of a sweep's topology cells, labelled by cell id (replay cells have no such metrics). */
export function cellsPrometheus(cells: readonly CellFile[]): string | null {
  const runs: LabelledResult[] = cells
    .filter((c) => c.model === 'topology')
    .map((c) => ({ labels: { cell: c.id }, result: c.result as unknown as ResultDocument }));
  return runs.length === 0 ? null : prometheusText(runs);
}

/** The live `/metrics` server and the progress it reports; a no-op without --metrics-port. */
export class LiveMetrics {
  readonly progress: LiveProgress = {
    requests: 0,
    events: 0,
    cellsDone: 0,
    cellsTotal: 0,
    elapsedSeconds: 0,
  };
  private server: Server | null = null;
  private readonly started = performance.now();

  static async start(port: number | undefined): Promise<LiveMetrics> {
    const live = new LiveMetrics();
    if (port !== undefined) {
      try {
        live.server = await serveMetrics(port, () => live.snapshot());
      } catch (e) {
        throw new InputError(
          `--metrics-port ${port}: cannot listen on 127.0.0.1: ${(e as NodeJS.ErrnoException).code ?? e}`,
        );
      }
      const address = live.server.address();
      if (address !== null && typeof address === 'object')
        process.stderr.write(`cachetopo: live metrics on http://127.0.0.1:${address.port}/metrics\n`);
    }
    return live;
  }

  private snapshot(): LiveProgress {
    return { ...this.progress, elapsedSeconds: (performance.now() - this.started) / 1000 };
  }

  /** Adds a finished cell's requests and events. */
  cellDone(cell: CellFile): void {
    const r = cell.result as {
      metrics?: { requests?: number; simulation?: { events?: number } };
      requests?: number;
    };
    this.progress.requests += r.metrics?.requests ?? r.requests ?? 0;
    this.progress.events += r.metrics?.simulation?.events ?? 0;
  }

  stop(): void {
    this.server?.close();
  }
}
