/**
 * CLOCK with a k-bit counter per object (Corbató, "A paging experiment with the Multics system", 1968; the
 * one-bit form is FIFO-Reinsertion or "second chance"). Objects enter at the head of a FIFO queue with
 * counter 0. A hit adds 1 to the counter, saturating at 2^k − 1. To evict, look at the tail: if its counter
 * is above 0, subtract 1 and move it to the head (another lap of the clock); otherwise evict it. A k-bit
 * counter thus lets an object survive up to 2^k − 1 laps without being requested again.
 *
 * Parameter: `bits` (default 1, libCacheSim's `Clock`; 2 is its `Clock-2`, used as QDLP's main queue, which
 * runs the same eviction step over a ring, qdlp.ts). Matches libCacheSim's Clock exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { type KeyLists, NIL } from './list.ts';
import { integerParam } from './param-checks.ts';
import { SingleListPolicy } from './single-list.ts';

/**
 * One turn of the clock hand over list `list` of `lists` (not empty): tails with a counter above 0 lose 1
 * and go round to the head; returns the first tail found at 0, still linked.
 */
export function clockVictim(lists: KeyLists, list: number, freq: Uint8Array): number {
  let k = lists.tail[list];
  while (freq[k] > 0) {
    freq[k]--;
    lists.moveToHead(list, k);
    k = lists.tail[list];
  }
  return k;
}

export class Clock extends SingleListPolicy implements EvictionPolicy {
  /** Reference counter per key. */
  private freq: Uint8Array;
  private readonly maxFreq: number;

  constructor(ctx: PolicyContext) {
    super(ctx, 'Clock');
    this.maxFreq = (1 << integerParam('clock', ctx.params, 'bits', 1, 8)) - 1;
    this.freq = new Uint8Array(Math.max(ctx.keySpace, 16));
  }

  protected override reserveMore(n: number): void {
    super.reserveMore(n);
    this.freq = grown(this.freq, n, 0);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    if (lists.owner[key] === 0) {
      if (this.freq[key] < this.maxFreq) this.freq[key]++;
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) {
      const k = clockVictim(lists, 0, this.freq);
      lists.unlink(k);
      this.evicted(k);
    }
    lists.pushHead(0, key);
    this.freq[key] = 0;
    this.charge(key, size);
    return false;
  }

  override verify(): void {
    super.verify();
    for (let k = this.lists.head[0]; k !== NIL; k = this.lists.next[k])
      if (this.freq[k] > this.maxFreq) throw new Error(`Clock counter of ${k} above ${this.maxFreq}`);
  }
}

export const clockPolicy: PolicyEntry = {
  name: 'clock',
  description: 'CLOCK (FIFO with reinsertion), k-bit reference counters',
  defaults: { bits: 1 },
  create: (ctx) => new Clock(ctx),
};
