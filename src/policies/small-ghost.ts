/**
 * The machinery S3-FIFO and QD-LP share (Yang et al., SOSP 2023 and HotOS 2023, "quick demotion"): a small
 * probationary FIFO queue S in front of a main queue M, and a ghost queue G that remembers the keys of
 * objects evicted from S. A miss on a ghost goes to M, any other miss to S; an object reaching S's tail
 * moves to M if it was hit `threshold` times in S, else it leaves and becomes a ghost. libCacheSim builds
 * both policies the same way, from inner FIFO, ghost-FIFO and main caches.
 *
 * Sizes as in libCacheSim: S = ⌊capacity × small⌋ units (here at least 1, see the policies' deviations),
 * M = capacity − S, G = ⌊capacity × ghost⌋ (no ghost when 0). Objects larger than S are never admitted.
 *
 * This class holds the three queues (lists of one KeyLists, so one owner[] read classifies a key), their
 * unit counts, a per-key hit counter and the parameters, and answers contains, remove and verify. What a
 * hit in M does and how eviction picks between and inside the queues differ, and stay in each policy.
 */
import type { PolicyContext } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { GhostQueue } from './ghost-queue.ts';
import { KeyLists, NIL } from './list.ts';
import { integerParam, numberParam } from './param-checks.ts';

const SMALL = 0;
const MAIN = 1;
const GHOST = 2;

/**
 * The list numbers of S, M and G. A policy copies them into module-level consts
 * (`const { SMALL, MAIN, GHOST } = QUEUES;`) rather than importing three consts: V8 treats a module's own
 * consts as constants in optimised code but reloads an imported binding at every use, and importing them
 * made S3-FIFO's access about twice as slow (measured, Node 20).
 */
export const QUEUES = { SMALL, MAIN, GHOST } as const;

export abstract class SmallGhostPolicy extends BasePolicy {
  protected readonly lists: KeyLists;
  /** Hit counter per key; what it means in M is the policy's. */
  protected freq: Uint8Array;
  protected readonly ghost: GhostQueue;
  protected readonly smallCap: number;
  protected readonly mainCap: number;
  /** Hits in S needed to move to M instead of leaving. */
  protected readonly threshold: number;
  protected smallUsed = 0;
  protected mainUsed = 0;
  /** The policy's name in invariant messages. */
  private readonly label: string;

  /** `name` is the registry name (for parameter errors); reads the parameters `small`, `ghost`, `threshold`. */
  constructor(ctx: PolicyContext, name: string, label: string) {
    super(ctx);
    this.label = label;
    const small = numberParam(name, ctx.params, 'small', 0, 1);
    const ghost = numberParam(name, ctx.params, 'ghost', 0, 10);
    this.threshold = integerParam(name, ctx.params, 'threshold', 0, 255);
    this.smallCap = Math.max(1, Math.floor(ctx.capacity * small));
    this.mainCap = ctx.capacity - this.smallCap;
    this.lists = new KeyLists(3, ctx.keySpace);
    this.freq = new Uint8Array(Math.max(ctx.keySpace, 16));
    this.ghost = new GhostQueue(this.lists, GHOST, Math.floor(ctx.capacity * ghost), ctx.keySpace);
  }

  protected reserveMore(n: number): void {
    this.lists.reserve(n);
    this.freq = grown(this.freq, n, 0);
    this.ghost.reserve(n);
  }

  contains(key: number): boolean {
    const w = this.lists.owner[key];
    return w === SMALL || w === MAIN;
  }

  /** Drops the object, or only its ghost, as libCacheSim does on a delete. */
  remove(key: number): boolean {
    const w = this.lists.owner[key];
    if (w === GHOST) {
      this.ghost.forget(key);
      return false;
    }
    if (w !== SMALL && w !== MAIN) return false;
    this.lists.unlink(key);
    const s = this.release(key);
    if (w === SMALL) this.smallUsed -= s;
    else this.mainUsed -= s;
    return true;
  }

  verify(): void {
    const lists = this.lists;
    const label = this.label;
    lists.verify(SMALL);
    lists.verify(MAIN);
    this.ghost.verify(label);
    if (lists.length[SMALL] + lists.length[MAIN] !== this.count) throw new Error(`${label} count disagrees`);
    const units = (l: number): number => {
      let s = 0;
      for (let k = lists.head[l]; k !== NIL; k = lists.next[k]) s += this.sizeOf[k];
      return s;
    };
    if (units(SMALL) !== this.smallUsed) throw new Error(`${label} small queue size disagrees`);
    if (units(MAIN) !== this.mainUsed) throw new Error(`${label} main queue size disagrees`);
    if (this.smallUsed + this.mainUsed !== this.used)
      throw new Error(`${label} used disagrees with its queues`);
    this.checkCapacity();
  }
}
