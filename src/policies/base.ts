/**
 * State every policy has: capacity, the stored size of each cached key, units used, objects cached, and the
 * eviction hook. Policies extend it and keep their own metadata beside it.
 */

import type { PolicyContext } from './api.ts';
import { grown } from './arrays.ts';

export abstract class BasePolicy {
  readonly capacity: number;
  /**
   * Stored size per key (0 when not cached), kept by charge and release. A few hot policies keep sizes
   * their own way to touch fewer arrays per request: LRU and ARC only once a size other than 1 appears
   * (ARC also for its ghosts), S3-FIFO and QD-LP in their queues' rings.
   */
  protected sizeOf: Uint32Array;
  used = 0;
  count = 0;
  onEvict: ((key: number, size: number) => void) | null = null;

  constructor(ctx: PolicyContext) {
    this.capacity = ctx.capacity;
    this.sizeOf = new Uint32Array(Math.max(ctx.keySpace, 16));
  }

  reserve(n: number): void {
    this.sizeOf = grown(this.sizeOf, n, 0);
    this.reserveMore(n);
  }

  /** Grows the subclass's own per-key arrays. */
  protected abstract reserveMore(n: number): void;

  /** Accounts for an admitted object. */
  protected charge(key: number, size: number): void {
    this.sizeOf[key] = size;
    this.used += size;
    this.count++;
  }

  /** Accounts for a departing object; returns its size. */
  protected release(key: number): number {
    const s = this.sizeOf[key];
    this.sizeOf[key] = 0;
    this.used -= s;
    this.count--;
    return s;
  }

  /** Releases an evicted object and calls the hook. */
  protected evicted(key: number): void {
    const s = this.release(key);
    if (this.onEvict !== null) this.onEvict(key, s);
  }

  protected checkCapacity(): void {
    if (this.used > this.capacity) throw new Error(`used ${this.used} exceeds capacity ${this.capacity}`);
    if (this.used < 0 || this.count < 0)
      throw new Error(`negative counters: used ${this.used}, count ${this.count}`);
  }
}
