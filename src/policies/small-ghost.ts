/**
 * The machinery S3-FIFO and QD-LP share (Yang et al., SOSP 2023 and HotOS 2023, "quick demotion"): a small
 * probationary FIFO queue S in front of a main queue M, and a ghost queue G that remembers the keys of
 * objects evicted from S. A miss on a ghost goes to M, any other miss to S; an object reaching S's tail
 * moves to M if it was hit `threshold` times in S, else it leaves and becomes a ghost. libCacheSim builds
 * both policies the same way, from inner FIFO, ghost-FIFO and main caches.
 *
 * Sizes as in libCacheSim: S = ⌊capacity × small⌋ units (here at least 1, see the policies' deviations),
 * M = capacity − S, G = ⌊capacity × ghost⌋ (no ghost when 0). Objects larger than S are never admitted.
 * G is a FIFO over units: it holds keys with the sizes their objects had and drops its oldest keys when a
 * new one would overflow it.
 *
 * All three queues only take in at the head and give out at the tail (M's reinsertion included), so each
 * is a KeyRing of (key, size): the eviction steps of a miss walk memory in order. Per key, `state` holds
 * which queue the key is in and its hit counter in one 16-bit number, so one read classifies a key and a
 * hit is one write into a 2-byte-per-key array (denser in cache than a wider record: measured 1.17× faster
 * than [state, seq] pairs in one Int32Array); `seqs` holds the sequence number of its ring entry, which a
 * ghost hit or a delete needs to take the entry out. The stored sizes live in the rings, so BasePolicy's
 * per-key sizeOf stays unused here.
 *
 * This class holds the queues, their unit counts, the parameters and the shared steps (enter a queue,
 * leave the cache, remember and forget a ghost), and answers contains, remove and verify. What a hit in M
 * does and how eviction picks between and inside the queues differ, and stay in each policy.
 */
import type { PolicyContext } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { KeyRing } from './key-ring.ts';
import { integerParam, numberParam } from './param-checks.ts';

/** Hit counter mask of a state; saturates at 255 (policies compare it with thresholds ≤ 255). */
const FREQ = 0xff;
/** State bases: a key in S has state IN_SMALL + hits, in M IN_MAIN + hits, in G exactly IN_GHOST; else 0. */
const IN_SMALL = 1 << 8;
const IN_MAIN = 2 << 8;
const IN_GHOST = 3 << 8;

/**
 * The state constants. A policy copies them into module-level consts (`const { IN_SMALL, … } = STATES;`)
 * rather than importing consts: V8 treats a module's own consts as constants in optimised code but reloads
 * an imported binding at every use, and importing them made S3-FIFO's access about twice as slow
 * (measured, Node 20).
 */
export const STATES = { FREQ, IN_SMALL, IN_MAIN, IN_GHOST } as const;

export abstract class SmallGhostPolicy extends BasePolicy {
  /** Per key: 0, IN_SMALL + hits, IN_MAIN + hits or IN_GHOST. */
  protected state: Uint16Array;
  /** Per key in a queue: the sequence number of its entry in that queue's ring. */
  protected seqs: Int32Array;
  protected readonly small = new KeyRing();
  protected readonly main = new KeyRing();
  protected readonly ghost = new KeyRing();
  protected readonly smallCap: number;
  protected readonly mainCap: number;
  protected readonly ghostCap: number;
  /** Hits in S needed to move to M instead of leaving. */
  protected readonly threshold: number;
  protected smallUsed = 0;
  protected mainUsed = 0;
  protected ghostUsed = 0;
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
    this.ghostCap = Math.floor(ctx.capacity * ghost);
    this.state = new Uint16Array(Math.max(ctx.keySpace, 16));
    this.seqs = new Int32Array(Math.max(ctx.keySpace, 16));
  }

  protected reserveMore(n: number): void {
    this.state = grown(this.state, n, 0);
    this.seqs = grown(this.seqs, n, 0);
  }

  /** Puts an uncached key at S's head with no hits. */
  protected enterSmall(key: number, size: number): void {
    this.state[key] = IN_SMALL;
    this.seqs[key] = this.small.push(key, size);
    this.smallUsed += size;
  }

  /** Puts a key that is in no queue at M's head with no hits. */
  protected enterMain(key: number, size: number): void {
    this.state[key] = IN_MAIN;
    this.seqs[key] = this.main.push(key, size);
    this.mainUsed += size;
  }

  /** Accounts for an object shifted out of S or M that leaves the cache, and calls the hook. */
  protected dropped(key: number, size: number): void {
    this.state[key] = 0;
    this.used -= size;
    this.count--;
    if (this.onEvict !== null) this.onEvict(key, size);
  }

  /** Remembers a key that just left the cache, dropping the oldest ghosts to make room. */
  protected rememberGhost(key: number, size: number): void {
    if (size > this.ghostCap) return;
    const ghost = this.ghost;
    const state = this.state;
    while (this.ghostUsed + size > this.ghostCap) {
      state[ghost.shift()] = 0;
      this.ghostUsed -= ghost.shiftedSize;
    }
    state[key] = IN_GHOST;
    this.seqs[key] = ghost.push(key, size);
    this.ghostUsed += size;
  }

  /** Drops the ghost of `key`, which must be in G (a ghost hit, or a delete). */
  protected forgetGhost(key: number): void {
    this.ghostUsed -= this.ghost.kill(this.seqs[key]);
    this.state[key] = 0;
  }

  contains(key: number): boolean {
    const v = this.state[key];
    return v >= IN_SMALL && v < IN_GHOST;
  }

  /** Drops the object, or only its ghost, as libCacheSim does on a delete. */
  remove(key: number): boolean {
    const v = this.state[key];
    if (v === IN_GHOST) {
      this.forgetGhost(key);
      return false;
    }
    if (v < IN_SMALL) return false;
    this.state[key] = 0;
    if (v < IN_MAIN) {
      const s = this.small.kill(this.seqs[key]);
      this.smallUsed -= s;
      this.used -= s;
    } else {
      const s = this.main.kill(this.seqs[key]);
      this.mainUsed -= s;
      this.used -= s;
    }
    this.count--;
    return true;
  }

  verify(): void {
    const label = this.label;
    const state = this.state;
    const held = [0, 0, 0, 0];
    const queue = (ring: KeyRing, base: number, name: string): number => {
      let units = 0;
      ring.forEach((k, size, seq) => {
        const v = state[k];
        const inIt = base === IN_GHOST ? v === IN_GHOST : v >= base && v < base + IN_SMALL;
        if (!inIt || this.seqs[k] !== seq)
          throw new Error(`${label}: key ${k} in ${name}'s ring has state ${v}, entry ${this.seqs[k]}`);
        held[base >> 8]++;
        units += size;
      });
      return units;
    };
    if (queue(this.small, IN_SMALL, 'S') !== this.smallUsed)
      throw new Error(`${label} small queue size disagrees`);
    if (queue(this.main, IN_MAIN, 'M') !== this.mainUsed)
      throw new Error(`${label} main queue size disagrees`);
    if (queue(this.ghost, IN_GHOST, 'G') !== this.ghostUsed) throw new Error(`${label} ghost units disagree`);
    // Every key whose state names a queue has its entry there (the rings' entries were matched above).
    const states = [0, 0, 0, 0];
    for (let i = 0; i < state.length; i++) if (state[i] !== 0) states[state[i] >> 8]++;
    if (states.some((n, q) => n !== held[q]))
      throw new Error(
        `${label}: keys per queue ${states.slice(1).join('/')}, rings ${held.slice(1).join('/')}`,
      );
    if (held[1] + held[2] !== this.count) throw new Error(`${label} count disagrees`);
    if (this.smallUsed + this.mainUsed !== this.used)
      throw new Error(`${label} used disagrees with its queues`);
    if (this.ghostUsed > this.ghostCap)
      throw new Error(`${label} ghosts hold ${this.ghostUsed} > ${this.ghostCap}`);
    this.checkCapacity();
  }
}
