/**
 * Versions of every key, for staleness. Each key has a version at the origin (0: the value the workload
 * started with), bumped when the origin applies a write; cached copies record the version they hold
 * (cache-node.ts). A read that returns an older version than the origin's current one is stale, and its
 * staleness age is the time since the first newer version was applied: how long the value it returned
 * had already been out of date (the "t-visibility" of Bailis et al., "Probabilistically Bounded
 * Staleness", VLDB 2012).
 *
 * Versions are handed out in the order writes are accepted (`next`) and become current when the origin
 * applies them (`apply`). For every policy but write-behind both happen at the origin's commit; with
 * write-behind a write is accepted (and cached) first and applied at a later flush, possibly together
 * with newer versions of the same key, so `apply` may jump several versions at once.
 *
 * To find when version v+1 was applied, each key keeps the apply times of its last HISTORY versions in a
 * ring: exact unless a copy is more than HISTORY versions behind, in which case the oldest time kept gives
 * a lower bound of the age, and `boundedAges` counts how often that happened.
 */

/** Apply times kept per key. */
const HISTORY = 4;

export class Versions {
  /** The origin's current version of each key. */
  current: Uint32Array;
  /** The newest version handed out for each key. */
  private issued: Uint32Array;
  /** times[key * HISTORY + v % HISTORY]: when version v was applied (ns). */
  private times: Float64Array;
  /** Stale reads whose age is a lower bound (the copy was more than HISTORY versions behind). */
  boundedAges = 0;
  /** Told each time a newer version of a key becomes current (ideal invalidation listens). */
  onApply: ((key: number) => void) | null = null;

  constructor(keys: number) {
    this.current = new Uint32Array(keys);
    this.issued = new Uint32Array(keys);
    this.times = new Float64Array(keys * HISTORY);
  }

  reserve(keys: number): void {
    if (keys <= this.current.length) return;
    const grow = <T extends Uint32Array | Float64Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.current = grow(this.current, new Uint32Array(keys));
    this.issued = grow(this.issued, new Uint32Array(keys));
    this.times = grow(this.times, new Float64Array(keys * HISTORY));
  }

  /** A version for a write of `key` that the system accepts now. */
  next(key: number): number {
    return ++this.issued[key];
  }

  /** The origin applies version `v` of `key` at `now`; an older one than current changes nothing. */
  apply(key: number, v: number, now: number): void {
    const cur = this.current[key];
    if (v <= cur) return;
    const from = Math.max(cur + 1, v - HISTORY + 1);
    for (let w = from; w <= v; w++) this.times[key * HISTORY + (w % HISTORY)] = now;
    this.current[key] = v;
    this.onApply?.(key);
  }

  /**
   * When version `v` of `key` was applied (ns), or -1 when that is not known: not applied yet (a
   * write-behind cache stores a version before the origin applies it), or more than HISTORY versions ago.
   */
  appliedAt(key: number, v: number): number {
    const cur = this.current[key];
    if (v > cur || v === 0 || cur - v >= HISTORY) return -1;
    return this.times[key * HISTORY + (v % HISTORY)];
  }

  /**
   * Age (ns) at `now` of a read of `key` that returned version `v`: 0 when `v` is current (or newer, as a
   * write-behind cache may be), else the time since version v+1 was applied.
   */
  staleAge(key: number, v: number, now: number): number {
    const cur = this.current[key];
    if (v >= cur) return 0;
    let w = v + 1;
    if (cur - w >= HISTORY) {
      this.boundedAges++;
      w = cur - HISTORY + 1;
    }
    return now - this.times[key * HISTORY + (w % HISTORY)];
  }
}
