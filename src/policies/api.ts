/**
 * The eviction-policy interface. Keys are dense integer ids (0, 1, 2, … from the trace's key map), so a
 * policy keeps its per-key state in typed arrays indexed by key and needs no hash table. Sizes are in
 * "units": bytes in byte mode, 1 per object in object mode (the replay driver passes size 1), so a policy
 * never needs to know which mode it runs in.
 */

/** A seeded stream of uniform numbers in [0, 1). */
export type Random = () => number;

export type ParamValue = number | string | boolean;
export type Params = Readonly<Record<string, ParamValue>>;

export interface PolicyContext {
  /** Capacity in units (objects or bytes). */
  readonly capacity: number;
  /** Expected number of distinct keys: a preallocation hint; `reserve` grows beyond it. */
  readonly keySpace: number;
  /** Seeded random stream, for randomised policies only. */
  readonly random: Random;
  /** Policy-specific parameters, already validated and defaulted by the registry entry. */
  readonly params: Params;
  /**
   * True when sizes are bytes. Only models of real servers (Redis, memcached) read it, to add their
   * per-object memory overheads; when absent or false they charge the units passed, as every policy does.
   */
  readonly byteMode?: boolean;
}

export interface EvictionPolicy {
  /**
   * One request for `key` of `size` units at trace time `now` (µs). `next` is the 0-based trace index of the
   * next request to this key, or -1 for never (meaningful only to policies with `needsNext`).
   * Returns true on a hit. On a miss the object is admitted (evicting as needed) unless it is larger than
   * the whole cache or an admission rule refuses it. On a hit the stored size is kept, as libCacheSim does.
   */
  access(key: number, size: number, now: number, next: number): boolean;
  /** Whether `key` is cached (ghost entries do not count). No side effects. */
  contains(key: number): boolean;
  /** Drops `key` (a delete or an invalidation, not an eviction; onEvict is not called). */
  remove(key: number): boolean;
  /** Makes per-key state addressable for ids < n. Called by the driver before ids ≥ current space appear. */
  reserve(n: number): void;
  /**
   * Optional: the driver tells TTL-aware policies (Redis volatile-*) when `key`'s cached copy expires
   * (µs trace time; 0 = never). Called after the write that set the TTL has been admitted.
   */
  setExpiry?(key: number, at: number): void;
  /** Units in use; never above the capacity after `access` returns. */
  readonly used: number;
  /** Objects cached. */
  readonly count: number;
  /** Called for every eviction (not for `remove`). */
  onEvict: ((key: number, size: number) => void) | null;
  /** Throws if an internal invariant is broken (list links, counters, capacity). For tests. */
  verify(): void;
}

export interface PolicyEntry {
  /** Lower-case name, as libCacheSim's cachesim names it where both have the policy. */
  readonly name: string;
  /** Other names accepted on input: the real system's own (Redis' maxmemory-policy names). */
  readonly aliases?: readonly string[];
  /** One line for --help. */
  readonly description: string;
  /** Parameter defaults; a user may override any of these and only these. */
  readonly defaults: Params;
  /** Needs next-access indexes (offline policies). */
  readonly needsNext?: boolean;
  /** May refuse to admit an object that fits (admission filters, TinyLFU): Belady's bound does not apply. */
  readonly mayRefuse?: boolean;
  /** Uses ctx.random, so results vary with the seed. */
  readonly randomized?: boolean;
  create(ctx: PolicyContext): EvictionPolicy;
}
