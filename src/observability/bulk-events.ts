/**
 * Simulated events as Elasticsearch `_bulk` NDJSON (an action line, then the document), the form the
 * design's ELK stack ingests: `curl -H 'Content-Type: application/x-ndjson' --data-binary @events.ndjson
 * http://es:9200/_bulk` loads it as it is. Documents follow ECS field names (`@timestamp`, `event.*`,
 * `cache.*` for ours) so Kibana's defaults apply.
 *
 * Requests are sampled so a run of millions stays small: request n is kept when a hash of n falls under
 * the rate, which is deterministic (same seed → same file) and draws nothing from the simulation's
 * random streams, so exporting events never changes the results. Faults are always kept; invalidations
 * are sampled like requests. Timestamps are simulated time added to `epochMs` (default the Unix epoch),
 * with the exact nanoseconds in `cache.sim_ns`.
 */
import type { SimEvents } from '../topology/events.ts';
import { fmix32 } from '../trace/keymap.ts';

export interface BulkEventsOptions {
  /** Index named in every action line. */
  readonly index: string;
  /** Share of requests and invalidations kept, 0 to 1. */
  readonly sampleRate: number;
  /** Wall-clock instant (ms since the Unix epoch) that simulated time 0 maps to. */
  readonly epochMs: number;
}

export const OUTCOME_NAMES: readonly string[] = ['hit', 'miss', 'write', 'rejected', 'failed'];

export class BulkEvents implements SimEvents {
  private readonly action: string;
  private readonly threshold: number;
  private requests = 0;
  private invalidations = 0;
  written = 0;

  constructor(
    private readonly sink: (chunk: string) => void,
    private readonly options: BulkEventsOptions,
  ) {
    if (!(options.sampleRate >= 0 && options.sampleRate <= 1))
      throw new RangeError(`sampleRate must be within [0, 1], got ${options.sampleRate}`);
    this.action = JSON.stringify({ index: { _index: options.index } });
    // Compared with an unsigned 32-bit hash: rate 1 must keep every request, so the bound is 2^32.
    this.threshold = Math.round(options.sampleRate * 2 ** 32);
  }

  private keep(n: number): boolean {
    return fmix32(n) >>> 0 < this.threshold;
  }

  private emit(simNs: number, doc: Record<string, unknown>): void {
    const ts = new Date(this.options.epochMs + Math.floor(simNs / 1e6)).toISOString();
    this.sink(`${this.action}\n${JSON.stringify({ '@timestamp': ts, ...doc, 'cache.sim_ns': simNs })}\n`);
    this.written++;
  }

  /** A client request ended at `simNs` after `latencyNs`; `tier` answered it on a hit. */
  request(
    simNs: number,
    latencyNs: number,
    key: number,
    write: boolean,
    outcome: number,
    tier: string | null,
    stale: boolean,
  ): void {
    const n = this.requests++;
    if (!this.keep(n)) return;
    const doc: Record<string, unknown> = {
      'event.kind': 'event',
      'event.category': ['database'],
      'event.action': write ? 'cache.write' : 'cache.read',
      'event.outcome': outcome <= 2 ? 'success' : 'failure',
      'event.duration': Math.round(latencyNs),
      'cache.request': n,
      'cache.key': key,
      'cache.result': OUTCOME_NAMES[outcome],
    };
    if (tier !== null) doc['cache.tier'] = tier;
    if (stale) doc['cache.stale'] = true;
    this.emit(simNs, doc);
  }

  /** An invalidation of `key` was applied to a cache at `simNs`, `lagNs` after its write. */
  invalidation(simNs: number, key: number, lagNs: number, duplicate: boolean): void {
    const n = this.invalidations++;
    if (!this.keep(n)) return;
    this.emit(simNs, {
      'event.kind': 'event',
      'event.category': ['database'],
      'event.action': 'cache.invalidate',
      'cache.key': key,
      'cache.lag_ns': Math.round(lagNs),
      'cache.duplicate': duplicate,
    });
  }

  /** A fault of the failure schedule started (or ended, `phase: "end"`) at `simNs`. */
  fault(simNs: number, kind: string, target: string, phase: 'start' | 'end'): void {
    this.emit(simNs, {
      'event.kind': 'alert',
      'event.category': ['host'],
      'event.action': `fault.${kind}`,
      'event.type': [phase],
      'cache.target': target,
    });
  }
}
