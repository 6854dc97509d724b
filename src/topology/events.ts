/**
 * What a run tells an event exporter (observability/bulk-events.ts writes it as Elasticsearch `_bulk`
 * NDJSON): every request's end, every invalidation applied from the bus, and the faults of the schedule.
 * An optional observer: without one, the request path does no work for it.
 */
export interface SimEvents {
  /** A client request ended at `simNs` after `latencyNs`; `tier` answered it on a hit. */
  request(
    simNs: number,
    latencyNs: number,
    key: number,
    write: boolean,
    outcome: number,
    tier: string | null,
    stale: boolean,
  ): void;
  /** An invalidation of `key` reached the caches at `simNs`, `lagNs` after it was published. */
  invalidation(simNs: number, key: number, lagNs: number, duplicate: boolean): void;
  /** A fault of the schedule started or ended at `simNs`. */
  fault(simNs: number, kind: string, target: string, phase: 'start' | 'end'): void;
}
