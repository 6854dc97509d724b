/**
 * CLOCK with a k-bit counter per object (Corbató, "A paging experiment with the Multics system", 1968; the
 * one-bit form is FIFO-Reinsertion or "second chance"). Objects enter at the head of a FIFO queue with
 * counter 0. A hit adds 1 to the counter, saturating at 2^k − 1. To evict, look at the tail: if its counter
 * is above 0, subtract 1 and move it to the head (another lap of the clock); otherwise evict it. A k-bit
 * counter thus lets an object survive up to 2^k − 1 laps without being requested again.
 *
 * Parameter: `bits` (default 1, libCacheSim's `Clock`; 2 is its `Clock-2`, used as QDLP's main queue).
 * Matches libCacheSim's Clock exactly.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { KeyLists, NIL } from './list.ts';
import { integerParam } from './param-checks.ts';

export class Clock extends BasePolicy implements EvictionPolicy {
  private lists: KeyLists;
  /** Reference counter per key. */
  private freq: Uint8Array;
  private readonly maxFreq: number;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.maxFreq = (1 << integerParam('clock', ctx.params, 'bits', 1, 8)) - 1;
    this.lists = new KeyLists(1, ctx.keySpace);
    this.freq = new Uint8Array(Math.max(ctx.keySpace, 16));
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
    this.freq = grown(this.freq, n, 0);
  }

  access(key: number, size: number): boolean {
    const lists = this.lists;
    if (lists.owner[key] === 0) {
      if (this.freq[key] < this.maxFreq) this.freq[key]++;
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) this.evictOne();
    lists.pushHead(0, key);
    this.freq[key] = 0;
    this.charge(key, size);
    return false;
  }

  private evictOne(): void {
    const lists = this.lists;
    const freq = this.freq;
    let k = lists.tail[0];
    while (freq[k] > 0) {
      freq[k]--;
      lists.moveToHead(0, k);
      k = lists.tail[0];
    }
    lists.unlink(k);
    this.evicted(k);
  }

  contains(key: number): boolean {
    return this.lists.owner[key] === 0;
  }

  remove(key: number): boolean {
    if (this.lists.owner[key] !== 0) return false;
    this.lists.unlink(key);
    this.release(key);
    return true;
  }

  verify(): void {
    this.lists.verify(0);
    if (this.lists.length[0] !== this.count) throw new Error('Clock count disagrees with its list');
    let sum = 0;
    for (let k = this.lists.head[0]; k !== NIL; k = this.lists.next[k]) {
      sum += this.sizeOf[k];
      if (this.freq[k] > this.maxFreq) throw new Error(`Clock counter of ${k} above ${this.maxFreq}`);
    }
    if (sum !== this.used) throw new Error(`Clock used ${this.used}, sizes sum to ${sum}`);
    this.checkCapacity();
  }
}

export const clockPolicy: PolicyEntry = {
  name: 'clock',
  description: 'CLOCK (FIFO with reinsertion), k-bit reference counters',
  defaults: { bits: 1 },
  create: (ctx) => new Clock(ctx),
};
