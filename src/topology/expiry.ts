/**
 * Time to live of cached copies, and two mitigations of expiry storms decided at lookup time.
 *
 * Every copy a node stores expires `ttl` after it was stored: the configured base, or with mode "trace"
 * the TTL the workload's last set of the key carried (memcached and Redis take the TTL with the SET), each
 * drawn uniformly within ±jitter of it from the node's own stream. With no jitter, copies stored together
 * expire together — after a warm-up or a cold start — and the reads that find them expired go to the
 * origin at once: a thundering herd. Both servers expire lazily, on access (Redis also samples keys in
 * the background, which frees memory but does not change what a read sees), so a copy is found expired
 * by the first GET after its time, which counts as one expiration.
 *
 * - Stale-while-revalidate (RFC 5861 §3): for `staleWhileRevalidate` after expiry the old copy is still
 *   served, and the first read to find it expired starts one background refresh (refresh.ts); later reads
 *   in the window are served the old copy without another. A refresh that never lands (its origin read
 *   failed) leaves the copy to expire at the window's end. A copy served this way is stale only when the
 *   origin holds a newer version (versions.ts), like any other hit.
 * - XFetch (Vattani, Chierichetti & Lowenstein, "Optimal Probabilistic Cache Stampede Prevention", VLDB
 *   2015, Algorithm 1): a read of a live copy with `left` ns to live recomputes it early when
 *   −delta·beta·ln(U) ≥ left, U uniform from the node's stream — with probability exp(−left/(delta·beta)),
 *   so one of a hot key's readers refreshes it just before it expires instead of all of them just after.
 *   The early reader treats the copy as a miss (it reads the next tier or the origin and fills, as the
 *   paper's reader recomputes and writes back); other readers keep hitting the copy meanwhile. delta, the
 *   recompute time, is the configured one or, by default, the key's last origin read as measured by the
 *   request path (from its arrival at the origin to the answer at the gateway); a key never read from the
 *   origin uses the last read measured of any key.
 *
 * Per-key state lives in typed arrays indexed by key id, per node; nothing is allocated per request.
 */
import type { EvictionPolicy, Random } from '../policies/api.ts';
import { NS_PER_SEC } from '../sim/time.ts';
import type { TtlConfig } from './schema.ts';

// Verdicts of a lookup on a node with TTLs.
/** Not held, or live: look the key up as usual. */
export const E_LIVE = 0;
/** Live, but this read refreshes it early (XFetch): a miss at this node. */
export const E_EARLY = 1;
/** Expired within the stale-while-revalidate window: serve it; this read starts the background refresh. */
export const E_SERVE_REFRESH = 2;
/** Expired within the window, a refresh already started: serve it. */
export const E_SERVE = 3;
/** Expired: the copy has been dropped; a miss. */
export const E_EXPIRED = 4;
export type Verdict =
  | typeof E_LIVE
  | typeof E_EARLY
  | typeof E_SERVE_REFRESH
  | typeof E_SERVE
  | typeof E_EXPIRED;

/** Skip the XFetch draw when exp(−left/(delta·beta)) < e^−CUTOFF: it could never fire. */
const CUTOFF = 40;

/** What every node's expiry shares: the rules, recompute times and TTLs the workload gave its keys. */
export class ExpiryShared {
  readonly base: number;
  readonly jitter: number;
  readonly fromTrace: boolean;
  readonly swr: number;
  /** 0: XFetch off. */
  readonly beta: number;
  /** Configured recompute time (ns); 0: measured. */
  readonly delta: number;
  /** Last measured recompute time of each key (ns; 0: never measured), and of any key. */
  private measured: Float64Array;
  private lastMeasured = 0;
  /** TTL (s) of each key's last set in the workload (mode "trace"; 0: none). */
  private traceTtl: Uint32Array;

  constructor(c: TtlConfig, keys: number) {
    this.base = c.base;
    this.jitter = c.jitter;
    this.fromTrace = c.mode === 'trace';
    this.swr = c.staleWhileRevalidate;
    this.beta = c.xfetch?.beta ?? 0;
    this.delta = c.xfetch?.delta ?? 0;
    this.measured = new Float64Array(this.beta > 0 && this.delta === 0 ? keys : 0);
    this.traceTtl = new Uint32Array(this.fromTrace ? keys : 0);
  }

  reserve(keys: number): void {
    if (this.measured.length > 0 && keys > this.measured.length) {
      const m = new Float64Array(keys);
      m.set(this.measured);
      this.measured = m;
    }
    if (this.traceTtl.length > 0 && keys > this.traceTtl.length) {
      const t = new Uint32Array(keys);
      t.set(this.traceTtl);
      this.traceTtl = t;
    }
  }

  /** An origin read of `key` took `ns` from its arrival at the origin to its answer at the gateway. */
  recomputed(key: number, ns: number): void {
    if (this.measured.length === 0) return;
    this.measured[key] = ns;
    this.lastMeasured = ns;
  }

  /** The workload set `key` with a TTL of `seconds` (0: none, the base applies). */
  traceSet(key: number, seconds: number): void {
    if (this.fromTrace) this.traceTtl[key] = seconds;
  }

  /** The base TTL of `key` (ns), before jitter. */
  baseOf(key: number): number {
    if (!this.fromTrace) return this.base;
    const s = this.traceTtl[key];
    return s > 0 ? s * NS_PER_SEC : this.base;
  }

  /** The recompute time of `key` for XFetch (ns; 0: unknown). */
  deltaOf(key: number): number {
    if (this.delta > 0) return this.delta;
    const d = this.measured[key];
    return d > 0 ? d : this.lastMeasured;
  }
}

/** The expiry of the copies one node holds. */
export class NodeExpiry {
  /** Copies found expired by a read (once per copy). */
  expirations = 0;
  /** Reads that refreshed a live copy early (XFetch). */
  earlyRefreshes = 0;
  /** Reads served an expired copy within the stale-while-revalidate window. */
  swrServed = 0;
  /** When each key's copy expires (ns; meaningful while the policy holds the key). */
  private at: Float64Array;
  /** 1 while a background refresh of the key's expired copy is out. */
  private refreshing: Uint8Array;

  constructor(
    private readonly shared: ExpiryShared,
    private readonly ttlRandom: Random,
    private readonly xfetchRandom: Random,
    keys: number,
  ) {
    this.at = new Float64Array(keys);
    this.refreshing = new Uint8Array(shared.swr > 0 ? keys : 0);
  }

  reserve(keys: number): void {
    if (keys <= this.at.length) return;
    const at = new Float64Array(keys);
    at.set(this.at);
    this.at = at;
    if (this.refreshing.length === 0) return;
    const r = new Uint8Array(keys);
    r.set(this.refreshing);
    this.refreshing = r;
  }

  /** The node stored a copy of `key` now: it lives one TTL from now, and any refresh of it is over. */
  stored(key: number, now: number): void {
    const s = this.shared;
    const base = s.baseOf(key);
    const ttl = s.jitter === 0 ? base : base * (1 + s.jitter * (2 * this.ttlRandom() - 1));
    this.at[key] = now + ttl;
    if (this.refreshing.length > 0) this.refreshing[key] = 0;
  }

  /** When the copy of `key` expires (ns). */
  expiresAt(key: number): number {
    return this.at[key];
  }

  /** The node was given `from`'s copy of `key` (a warm restart): it expires when that one does. */
  copy(key: number, from: NodeExpiry): void {
    this.at[key] = from.at[key];
  }

  /** What a GET of `key` at `now` finds; drops a copy past its time (and past the window) from `policy`. */
  check(key: number, now: number, policy: EvictionPolicy): Verdict {
    if (!policy.contains(key)) return E_LIVE;
    const at = this.at[key];
    if (now < at) return this.early(key, at - now) ? E_EARLY : E_LIVE;
    const s = this.shared;
    if (now < at + s.swr) {
      this.swrServed++;
      if (this.refreshing[key] === 1) return E_SERVE;
      this.refreshing[key] = 1;
      this.expirations++;
      return E_SERVE_REFRESH;
    }
    if (s.swr > 0 && this.refreshing[key] === 1) this.refreshing[key] = 0;
    else this.expirations++;
    policy.remove(key);
    return E_EXPIRED;
  }

  /** XFetch's test for a live copy with `left` ns to live. */
  private early(key: number, left: number): boolean {
    const s = this.shared;
    if (s.beta === 0) return false;
    const scale = s.deltaOf(key) * s.beta;
    if (scale <= 0 || left > CUTOFF * scale) return false;
    if (-scale * Math.log(1 - this.xfetchRandom()) < left) return false;
    this.earlyRefreshes++;
    return true;
  }
}
