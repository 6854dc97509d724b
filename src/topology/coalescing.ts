/**
 * Request coalescing (single-flight) on the miss path: while one read of a key is on its way to the
 * origin (the leader), later reads of the same key that miss every tier wait for it instead of sending
 * their own query (followers), and are answered when the leader's answer arrives (or fail with it). This
 * is what memcache leases do at Facebook (Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013,
 * §3.2.1) and Go's singleflight does in a process; here there is one table for the whole deployment, as
 * with leases, which the cache servers grant per key.
 *
 * The leader of each key is a slot in a typed array indexed by key id; followers are chained through the
 * pool's `follower` field, newest first. No allocation per request.
 */
import type { RequestPool } from './request-pool.ts';

export class SingleFlight {
  /** Leader slot + 1 per key; 0 when no read of the key is in flight. */
  private leader: Int32Array;
  coalesced = 0;

  constructor(
    private readonly pool: RequestPool,
    keys: number,
  ) {
    this.leader = new Int32Array(Math.max(keys, 16));
  }

  reserve(keys: number): void {
    if (keys <= this.leader.length) return;
    const grown = new Int32Array(Math.max(keys, this.leader.length * 2));
    grown.set(this.leader);
    this.leader = grown;
  }

  /**
   * `slot` needs an origin read of its key. Returns true when it became a follower of the read in flight
   * (it must wait), false when it is now the leader (it must query).
   */
  join(slot: number): boolean {
    const key = this.pool.key[slot];
    const lead = this.leader[key] - 1;
    if (lead < 0) {
      this.leader[key] = slot + 1;
      return false;
    }
    this.pool.follower[slot] = this.pool.follower[lead];
    this.pool.follower[lead] = slot;
    this.coalesced++;
    return true;
  }

  /** The leader `slot`'s read is over: the key has no leader any more. Returns its first follower or -1. */
  release(slot: number): number {
    const key = this.pool.key[slot];
    if (this.leader[key] === slot + 1) this.leader[key] = 0;
    return this.pool.follower[slot];
  }
}
