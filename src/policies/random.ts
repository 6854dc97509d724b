/**
 * RANDOM — evicts a cached object chosen uniformly at random (the classic baseline, e.g. Belady 1966).
 * Cached keys sit in a dense array; the victim is a random slot, and the last key fills the hole, so
 * choosing and removing are O(1). Draws come from the seeded ctx.random stream, so a run is reproducible
 * for a given seed; libCacheSim picks a random hash-table entry instead, so only distributions compare.
 *
 * No parameters.
 */
import type { EvictionPolicy, PolicyContext, PolicyEntry, Random } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';

const NIL = -1;

export class RandomPolicy extends BasePolicy implements EvictionPolicy {
  /** Cached keys in slots 0..count-1. */
  private slots: Int32Array;
  /** Slot of each key, NIL when not cached. */
  private slotOf: Int32Array;
  private readonly random: Random;

  constructor(ctx: PolicyContext) {
    super(ctx);
    this.random = ctx.random;
    const n = Math.max(ctx.keySpace, 16);
    this.slots = new Int32Array(n);
    this.slotOf = new Int32Array(n).fill(NIL);
  }

  protected reserveMore(n: number): void {
    this.slotOf = grown(this.slotOf, n, NIL);
    this.slots = grown(this.slots, n, 0);
  }

  access(key: number, size: number): boolean {
    if (this.slotOf[key] !== NIL) return true;
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) {
      const victim = this.slots[Math.floor(this.random() * this.count)];
      this.drop(victim);
      this.evicted(victim);
    }
    this.slots[this.count] = key;
    this.slotOf[key] = this.count;
    this.charge(key, size);
    return false;
  }

  /** Frees `key`'s slot by moving the last key into it (before the count goes down). */
  private drop(key: number): void {
    const s = this.slotOf[key];
    const last = this.slots[this.count - 1];
    this.slots[s] = last;
    this.slotOf[last] = s;
    this.slotOf[key] = NIL;
  }

  contains(key: number): boolean {
    return this.slotOf[key] !== NIL;
  }

  remove(key: number): boolean {
    if (this.slotOf[key] === NIL) return false;
    this.drop(key);
    this.release(key);
    return true;
  }

  verify(): void {
    let units = 0;
    for (let s = 0; s < this.count; s++) {
      const k = this.slots[s];
      if (this.slotOf[k] !== s)
        throw new Error(`RANDOM slot ${s} holds ${k}, whose slot is ${this.slotOf[k]}`);
      units += this.sizeOf[k];
    }
    let cached = 0;
    for (let k = 0; k < this.slotOf.length; k++) if (this.slotOf[k] !== NIL) cached++;
    if (cached !== this.count) throw new Error(`RANDOM count ${this.count}, ${cached} keys have slots`);
    if (units !== this.used) throw new Error(`RANDOM used ${this.used}, sizes sum to ${units}`);
    this.checkCapacity();
  }
}

export const randomPolicy: PolicyEntry = {
  name: 'random',
  description: 'evicts a uniformly random cached object (seeded)',
  defaults: {},
  randomized: true,
  create: (ctx) => new RandomPolicy(ctx),
};
