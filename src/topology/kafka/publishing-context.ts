/**
 * The write path's view of the caches when invalidations go over Kafka: a WriteContext (write-policy.ts)
 * that passes everything through to the request path except the fire-and-forget commands after a write,
 * which it publishes to the bus instead. Write-through and write-behind still store the value in the
 * chain themselves (their SET is on the write path) and publish it as well, for the other copies and the
 * analytics sink. Every write that reaches the caches publishes exactly one record: a delete for a
 * delete request, else what the consumers are told to apply.
 */
import { OP_DELETE } from '../../trace/api.ts';
import type { Outcome, Reason } from '../api.ts';
import { CMD_DELETE, CMD_UPDATE } from '../commands.ts';
import type { RequestPool } from '../request-pool.ts';
import type { WriteContext } from '../write-policy.ts';
import type { InvalidationBus } from './bus.ts';

export class PublishingContext implements WriteContext {
  readonly pool: RequestPool;

  constructor(
    private readonly path: WriteContext,
    private readonly bus: InvalidationBus,
  ) {
    this.pool = path.pool;
  }

  queryOrigin(slot: number, query: number, delay: number): void {
    this.path.queryOrigin(slot, query, delay);
  }

  commandChain(slot: number, _cmd: number, delay: number): void {
    this.publish(slot, delay);
  }

  setChain(slot: number, delay: number): number {
    this.publish(slot, delay);
    return this.path.setChain(slot, delay);
  }

  finish(slot: number, outcome: Outcome, why: Reason, extra: number): void {
    this.path.finish(slot, outcome, why, extra);
  }

  private publish(slot: number, delay: number): void {
    const del = this.pool.op[slot] === OP_DELETE || !this.bus.update;
    this.bus.publish(slot, del ? CMD_DELETE : CMD_UPDATE, delay);
  }
}
