/**
 * Reads a workload one request at a time for the clients, on top of a RequestSource's reused batches: the
 * clients consume requests in trace order, so one batch and an index are all the state needed, whatever
 * the trace's length. Copies each request's fields into its pool slot, stops after `limit` requests, and
 * tells the model when new key ids appear (so caches can make room for them before they are asked) and,
 * with TTLs, the TTL each set carries.
 */
import { OP_GET, type RequestBatch, type RequestSource } from '../trace/api.ts';
import type { RequestPool } from './request-pool.ts';

export class WorkloadCursor {
  private batch: RequestBatch | null = null;
  private index = 0;
  private ended = false;
  taken = 0;

  constructor(
    private readonly source: RequestSource,
    private readonly limit: number,
    private readonly onKeys: (keys: number) => void,
    /** Told the TTL of every set and delete (expiry.ts, mode "trace"); null: TTLs are not read. */
    private readonly ttls: { traceSet(key: number, seconds: number): void } | null = null,
  ) {}

  /** Requests this cursor will give in all, when known. */
  get expected(): number | null {
    const n = this.source.info.requests;
    if (Number.isFinite(this.limit)) return n === undefined ? this.limit : Math.min(n, this.limit);
    return n ?? null;
  }

  /** Whether another request is available; loads the next batch when the current one is used up. */
  ready(): boolean {
    if (this.ended || this.taken >= this.limit) return false;
    while (this.batch === null || this.index >= this.batch.length) {
      this.batch = this.source.next();
      this.index = 0;
      if (this.batch === null) {
        this.ended = true;
        return false;
      }
      this.onKeys(this.source.keys.size);
    }
    return true;
  }

  /** The smallest object size among the requests of the batch ahead (0 when the workload is empty). */
  smallestAhead(): number {
    if (!this.ready()) return 0;
    const b = this.batch as RequestBatch;
    let min = b.size[this.index];
    for (let i = this.index + 1; i < b.length; i++) if (b.size[i] < min) min = b.size[i];
    return min;
  }

  /** The trace time (µs) of the next request; call after ready() returned true. */
  get time(): number {
    return (this.batch as RequestBatch).time[this.index];
  }

  /** Copies the next request into `slot`; call after ready() returned true. */
  take(pool: RequestPool, slot: number): void {
    const b = this.batch as RequestBatch;
    const i = this.index++;
    pool.key[slot] = b.key[i];
    pool.size[slot] = b.size[i];
    pool.op[slot] = b.op[i];
    if (this.ttls !== null && b.op[i] !== OP_GET) this.ttls.traceSet(b.key[i], b.ttl[i]);
    this.taken++;
  }
}
