/**
 * Redis 7.0 eviction under `maxmemory` (redis 7.0.15 evict.c, db.c, server.c; details and sources in
 * ../shared/notes/redis-memcached.md §1): the real server's policies, not the textbook ones they approximate.
 *
 * - redis-lru (allkeys-lru), redis-volatile-lru: each eviction samples `samples` keys (maxmemory-samples,
 *   default 5) uniformly without replacement, scores them by idle time on the 24-bit LRU clock (1 s
 *   resolution, so keys touched in the same second tie), merges them into the persistent 16-entry eviction
 *   pool and evicts the pool's best entry that still exists (see redis-sampling.ts).
 * - redis-lfu (allkeys-lfu): the same pool, scored 255 − counter. The counter is Redis' 8-bit logarithmic
 *   one: new keys start at 5 (LFU_INIT_VAL); an access first decays it by one per `lfuDecayTime` minutes
 *   since the last access (lfu-decay-time, default 1; 0 = never), then increments it with probability
 *   1 / ((counter − 5) × `lfuLogFactor` + 1) (lfu-log-factor, default 10; always below 6; never past 255),
 *   drawing from ctx.random. Sampling scores the decayed value without storing it.
 * - redis-random (allkeys-random): a uniformly drawn key.
 * - redis-volatile-ttl: the pool over keys with a TTL, the soonest expiry first.
 * The volatile-* policies only see keys the driver gave an expiry (setExpiry). When evicting every such key
 * could not make room, Redis would answer -OOM: the new key is not admitted. (Redis runs the write and
 * refuses later writes until memory falls; we refuse at once, without evicting, so memory stays in bounds.)
 *
 * Timing: Redis runs the command that crosses maxmemory in full and evicts before the next command, until
 * used_memory ≤ maxmemory, the new key being a candidate like any other. We admit and then evict at the same
 * trace time, so the new key can be evicted at once (a later request misses), as in Redis; the only
 * difference is that the next command's clock would be used for the scores.
 *
 * Memory: in byte mode (ctx.byteMode) the capacity is maxmemory and each key costs its value size plus
 * Redis' overheads (redis-memory.ts: dictEntry, sds key of `keyBytes` bytes — trace keys carry no length —,
 * embstr/raw value, jemalloc size classes with quantum `allocator` 16 (Debian) or 8 (bundled), bucket
 * arrays). `baseBytes` (used_memory_startup, ≈ 876 KiB measured on Debian's 7.0.15) counts against maxmemory:
 * `used` is the memory of the dataset (keys and bucket arrays) and stays ≤ capacity − baseBytes, so
 * used_memory = baseBytes + used. With less capacity than baseBytes nothing is cached. Otherwise (object
 * mode) each key costs the units the driver passes (1) and there is no overhead.
 *
 * Not modelled: active expiry (expired keys stay until accessed or evicted); LRU_CLOCK's up-to-100 ms
 * staleness; the 500 µs eviction time cap (only reached when a single write needs many evictions); keys'
 * LFU counters surviving an overwrite (the driver replays a write as remove + admit); several databases.
 */
import type { EvictionPolicy, Params, PolicyContext, PolicyEntry, Random } from './api.ts';
import { grown } from './arrays.ts';
import { BasePolicy } from './base.ts';
import { integerParam } from './param-checks.ts';
import { DictTable, RedisObjectCost } from './redis-memory.ts';
import { EvictionPool, KeySet } from './redis-sampling.ts';

const LRU_CLOCK_MAX = 0xffffff;
const INT_MAX = 2 ** 31 - 1;
/** A dict's smallest bucket array: 4 pointers. */
const MIN_TABLE_BYTES = 32;
export const LFU_INIT_VAL = 5;

/** LRU clock (seconds, 24 bits) at trace time `now` µs. */
export function lruClock(now: number): number {
  return Math.floor(now / 1e6) & LRU_CLOCK_MAX;
}

/** Idle seconds of an object last touched at LRU clock `lru` (estimateObjectIdleTime, one wrap). */
export function idleSeconds(lru: number, clock: number): number {
  return clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
}

/** LFU time in minutes, 16 bits (LFUGetTimeInMinutes). */
export function lfuMinutes(now: number): number {
  return Math.floor(now / 60e6) & 0xffff;
}

/** The counter of a 24-bit LFU field after decay at minute `nowMin` (LFUDecrAndReturn). */
export function lfuDecayed(field: number, nowMin: number, decayTime: number): number {
  const ldt = field >>> 8;
  const counter = field & 255;
  if (decayTime === 0) return counter;
  const elapsed = nowMin >= ldt ? nowMin - ldt : 65535 - ldt + nowMin;
  const periods = Math.floor(elapsed / decayTime);
  return periods > counter ? 0 : counter - periods;
}

/** LFULogIncr: one probabilistic increment. */
export function lfuIncrement(counter: number, logFactor: number, random: Random): number {
  if (counter === 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  return random() < 1 / (base * logFactor + 1) ? counter + 1 : counter;
}

/** What ranks eviction candidates. */
const Score = { Idle: 0, Frequency: 1, Expiry: 2, Random: 3 } as const;
type Score = (typeof Score)[keyof typeof Score];

interface RedisKind {
  /** The entry's name, for error messages. */
  readonly name: string;
  readonly score: Score;
  readonly volatileOnly: boolean;
}

export class RedisPolicy extends BasePolicy implements EvictionPolicy {
  private readonly scoreBy: Score;
  private readonly volatileOnly: boolean;
  private readonly random: Random;
  private readonly samples: number;
  private readonly logFactor: number;
  private readonly decayTime: number;
  /** Memory model in byte mode; null when keys cost the units passed. */
  private readonly cost: RedisObjectCost | null;
  /** Units the dataset may use: capacity minus baseBytes in byte mode. */
  readonly budget: number;
  private readonly keys: KeySet;
  /** Keys with a TTL (Redis' `expires` dict). */
  private readonly volatile: KeySet;
  private readonly mainTable = new DictTable();
  private readonly expiresTable = new DictTable();
  /** Units held by keys with a TTL (what evicting all of them would free, bucket arrays aside). */
  private volatileUnits = 0;
  /** Redis' 24-bit `lru` field: the LRU clock, or (minutes << 8 | counter) under LFU. */
  private lru: Uint32Array;
  /** Expiry per key (µs trace time), meaningful while the key is in `volatile`. */
  private expireAt: Float64Array;
  private readonly pool = new EvictionPool();
  private readonly drawn: Int32Array;
  /** Trace time of the latest access, for the eviction a following setExpiry may need. */
  private now = 0;
  /** Keys evicted (INFO evicted_keys). */
  evictions = 0;
  /** Writes refused because nothing evictable could make room (Redis' -OOM answers). */
  refused = 0;

  constructor(ctx: PolicyContext, kind: RedisKind) {
    super(ctx);
    const p = ctx.params;
    this.scoreBy = kind.score;
    this.volatileOnly = kind.volatileOnly;
    this.random = ctx.random;
    const int = (name: string, min: number, max: number) => integerParam(kind.name, p, name, min, max);
    this.samples = kind.score === Score.Random ? 1 : int('samples', 1, 1 << 20);
    this.logFactor = kind.score === Score.Frequency ? int('lfuLogFactor', 0, INT_MAX) : 0;
    this.decayTime = kind.score === Score.Frequency ? int('lfuDecayTime', 0, INT_MAX) : 0;
    if (ctx.byteMode === true) {
      // Redis keys are at most 512 MiB.
      this.cost = new RedisObjectCost(int('keyBytes', 1, 1 << 29), int('allocator', 8, 16));
      this.budget = Math.max(0, ctx.capacity - int('baseBytes', 0, Number.MAX_SAFE_INTEGER));
    } else {
      this.cost = null;
      this.budget = ctx.capacity;
    }
    this.keys = new KeySet(ctx.keySpace);
    this.volatile = new KeySet(ctx.keySpace);
    this.lru = new Uint32Array(Math.max(ctx.keySpace, 16));
    this.expireAt = new Float64Array(Math.max(ctx.keySpace, 16));
    this.drawn = new Int32Array(this.samples);
  }

  protected reserveMore(n: number): void {
    this.keys.reserve(n);
    this.volatile.reserve(n);
    this.lru = grown(this.lru, n, 0);
    this.expireAt = grown(this.expireAt, n, 0);
  }

  access(key: number, size: number, now: number): boolean {
    this.now = now;
    if (this.keys.has(key)) {
      this.touch(key, now);
      return true;
    }
    const mem = this.cost;
    const cost = mem === null ? size : mem.keyCost(size);
    // Alone in the cache the key still needs the smallest bucket array.
    if (cost + (mem === null ? 0 : MIN_TABLE_BYTES) > this.budget) return false;
    // The bucket array grows (or not) before the dictEntry is allocated; the key and value already are.
    const slots =
      mem === null
        ? 0
        : this.mainTable.growthFor(this.keys.size, this.used + cost - mem.entryBytes, this.budget);
    const growth = (slots - this.mainTable.slots) * 8;
    if (this.volatileOnly && this.used + cost + growth - this.volatileUnits > this.budget) {
      this.refused++;
      return false;
    }
    this.mainTable.slots = slots;
    this.used += growth;
    this.keys.add(key);
    this.charge(key, cost);
    this.lru[key] = this.scoreBy === Score.Frequency ? (lfuMinutes(now) << 8) | LFU_INIT_VAL : lruClock(now);
    this.evictToBudget(now);
    return false;
  }

  /** lookupKey's access-time update. */
  private touch(key: number, now: number): void {
    if (this.scoreBy === Score.Frequency) {
      const min = lfuMinutes(now);
      const c = lfuIncrement(lfuDecayed(this.lru[key], min, this.decayTime), this.logFactor, this.random);
      this.lru[key] = (min << 8) | c;
    } else {
      this.lru[key] = lruClock(now);
    }
  }

  setExpiry(key: number, at: number): void {
    if (!this.keys.has(key)) return;
    const extra = this.cost === null ? 0 : this.cost.entryBytes;
    if (at === 0) {
      if (!this.volatile.has(key)) return;
      this.dropExpiry(key);
      this.sizeOf[key] -= extra;
      this.used -= extra;
      return;
    }
    this.expireAt[key] = at;
    if (this.volatile.has(key)) return;
    if (this.cost !== null) this.used += this.expiresTable.grow(this.volatile.size, this.used, this.budget);
    this.volatile.add(key);
    this.sizeOf[key] += extra;
    this.used += extra;
    this.volatileUnits += this.sizeOf[key];
    this.evictToBudget(this.now);
  }

  contains(key: number): boolean {
    return this.keys.has(key);
  }

  remove(key: number): boolean {
    if (!this.keys.has(key)) return false;
    this.unlink(key);
    this.release(key);
    this.shrinkTables();
    return true;
  }

  /** performEvictions: evicts until the dataset fits its budget or nothing is left to evict. */
  private evictToBudget(now: number): void {
    while (this.used > this.budget) {
      const victim = this.pickVictim(now);
      if (victim < 0) return;
      this.unlink(victim);
      this.evicted(victim);
      this.shrinkTables();
      this.evictions++;
    }
  }

  private pickVictim(now: number): number {
    const set = this.volatileOnly ? this.volatile : this.keys;
    if (this.scoreBy === Score.Random) return set.size > 0 ? set.random(this.random) : -1;
    for (;;) {
      if (set.size === 0) return -1;
      this.populate(set, now);
      const k = this.pool.takeBest(set);
      if (k >= 0) return k;
    }
  }

  /** evictionPoolPopulate. */
  private populate(set: KeySet, now: number): void {
    const n = set.sample(this.drawn, this.samples, this.random);
    const clock = lruClock(now);
    const min = lfuMinutes(now);
    for (let j = 0; j < n; j++) {
      const k = this.drawn[j];
      let score: number;
      if (this.scoreBy === Score.Idle) score = idleSeconds(this.lru[k], clock);
      else if (this.scoreBy === Score.Frequency) score = 255 - lfuDecayed(this.lru[k], min, this.decayTime);
      else score = -Math.floor(this.expireAt[k] / 1000);
      this.pool.insert(k, score);
    }
  }

  private dropExpiry(key: number): void {
    this.volatile.delete(key);
    this.volatileUnits -= this.sizeOf[key];
    if (this.cost !== null) this.used -= this.expiresTable.shrink(this.volatile.size);
  }

  /** Takes `key` out of the dicts; the caller releases its units. */
  private unlink(key: number): void {
    if (this.volatile.has(key)) this.dropExpiry(key);
    this.keys.delete(key);
  }

  private shrinkTables(): void {
    if (this.cost !== null) this.used -= this.mainTable.shrink(this.keys.size);
  }

  /** Memory as Redis' INFO would show it (byte mode), for calibration reports. */
  memory(): {
    datasetBytes: number;
    mainSlots: number;
    expiresSlots: number;
    keys: number;
    volatileKeys: number;
  } {
    return {
      datasetBytes: this.used,
      mainSlots: this.mainTable.slots,
      expiresSlots: this.expiresTable.slots,
      keys: this.keys.size,
      volatileKeys: this.volatile.size,
    };
  }

  verify(): void {
    this.keys.verify();
    this.volatile.verify();
    this.pool.verify(this.lru.length);
    if (this.keys.size !== this.count)
      throw new Error(`redis: ${this.keys.size} keys, count says ${this.count}`);
    let sum = 0;
    this.keys.forEach((k) => {
      sum += this.sizeOf[k];
    });
    let vol = 0;
    this.volatile.forEach((k) => {
      if (!this.keys.has(k)) throw new Error(`redis: key ${k} has a TTL but is not cached`);
      vol += this.sizeOf[k];
    });
    if (vol !== this.volatileUnits)
      throw new Error(`redis: volatile units ${this.volatileUnits}, sizes sum to ${vol}`);
    const tables = this.mainTable.bytes + this.expiresTable.bytes;
    if (sum + tables !== this.used)
      throw new Error(`redis: used ${this.used}, keys ${sum} + buckets ${tables}`);
    if (this.used > this.budget)
      throw new Error(`redis: used ${this.used} exceeds the budget ${this.budget}`);
    this.checkCapacity();
  }
}

const memoryDefaults = { keyBytes: 16, allocator: 16, baseBytes: 876 * 1024 };
const sampled = { samples: 5, ...memoryDefaults };

/** `alias` is Redis' own maxmemory-policy name, accepted wherever a policy is named. */
function entry(
  name: string,
  alias: string,
  description: string,
  defaults: Params,
  kind: Omit<RedisKind, 'name'>,
): PolicyEntry {
  return {
    name,
    aliases: [alias],
    description,
    defaults,
    randomized: true,
    create: (ctx) => new RedisPolicy(ctx, { name, ...kind }),
  };
}

export const redisLruPolicy = entry(
  'redis-lru',
  'allkeys-lru',
  "Redis allkeys-lru: sampled LRU with Redis' eviction pool",
  sampled,
  {
    score: Score.Idle,
    volatileOnly: false,
  },
);
export const redisLfuPolicy = entry(
  'redis-lfu',
  'allkeys-lfu',
  "Redis allkeys-lfu: sampled, Redis' logarithmic frequency counter with decay",
  { ...sampled, lfuLogFactor: 10, lfuDecayTime: 1 },
  { score: Score.Frequency, volatileOnly: false },
);
export const redisRandomPolicy = entry(
  'redis-random',
  'allkeys-random',
  'Redis allkeys-random: a random key',
  memoryDefaults,
  {
    score: Score.Random,
    volatileOnly: false,
  },
);
export const redisVolatileLruPolicy = entry(
  'redis-volatile-lru',
  'volatile-lru',
  'Redis volatile-lru: sampled LRU among keys with a TTL; refuses writes when none can make room',
  sampled,
  { score: Score.Idle, volatileOnly: true },
);
export const redisVolatileTtlPolicy = entry(
  'redis-volatile-ttl',
  'volatile-ttl',
  'Redis volatile-ttl: sampled, soonest expiry first among keys with a TTL',
  sampled,
  { score: Score.Expiry, volatileOnly: true },
);
