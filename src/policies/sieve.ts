/**
 * SIEVE (Zhang et al., "SIEVE is simpler than LRU: an efficient turn-key eviction algorithm for web
 * caches", NSDI 2024). One FIFO queue, one "visited" bit per object and a hand. New objects enter at the
 * head unvisited; a hit only sets the bit, so hits never move anything. To evict, the hand walks from its
 * last position toward the head, clearing visited bits, and evicts the first unvisited object; past the
 * head it wraps to the tail. The hand stays where the victim was (at its newer neighbour), so objects the
 * hand has passed keep their place: survivors are not reinserted as in CLOCK, which is what separates
 * long-lived popular objects from new ones.
 *
 * No parameters. Matches libCacheSim's Sieve exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { NIL } from './list.ts';
import { SingleListPolicy } from './single-list.ts';

export class Sieve extends SingleListPolicy implements EvictionPolicy {
  private visited: Uint8Array;
  /** Next object the hand examines; NIL means the tail. */
  private hand = NIL;

  constructor(ctx: PolicyContext) {
    super(ctx, 'SIEVE');
    this.visited = new Uint8Array(Math.max(ctx.keySpace, 16));
  }

  protected override reserveMore(n: number): void {
    super.reserveMore(n);
    this.visited = grown(this.visited, n, 0);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    if (lists.owner[key] === 0) {
      this.visited[key] = 1;
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evictOne();
    lists.pushHead(0, key);
    this.visited[key] = 0;
    this.charge(key, size);
    return false;
  }

  private evictOne(): void {
    const lists = this.lists;
    const prev = lists.prev;
    const visited = this.visited;
    let k = this.hand === NIL ? lists.tail[0] : this.hand;
    while (visited[k] !== 0) {
      visited[k] = 0;
      k = prev[k] === NIL ? lists.tail[0] : prev[k];
    }
    this.hand = prev[k];
    lists.unlink(k);
    this.evicted(k);
  }

  /** The hand is always NIL or a cached key, so a removed key under it is cached and passes it on. */
  override remove(key: number): boolean {
    if (this.hand === key) this.hand = this.lists.prev[key];
    return super.remove(key);
  }

  override verify(): void {
    super.verify();
    if (this.hand !== NIL && this.lists.owner[this.hand] !== 0)
      throw new Error(`SIEVE hand ${this.hand} not cached`);
  }
}

export const sievePolicy: PolicyEntry = {
  name: 'sieve',
  description: 'SIEVE: FIFO queue, visited bits and a lazily moving hand',
  defaults: {},
  create: (ctx) => new Sieve(ctx),
};
