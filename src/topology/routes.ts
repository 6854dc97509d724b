/**
 * Keyspace routing: which lookup chain (an ordered list of tiers) serves a key. Routes are tried in
 * order and the first whose `match` accepts the request wins; build.ts makes sure the last one matches
 * everything. A match may ask for
 *
 * - `share`: the next slice of the key-hash space of that size — route 1 with share 0.3 takes the keys
 *   whose hash falls in [0, 0.3), a later route with share 0.2 those in [0.3, 0.5) — so a fixed fraction
 *   of the keys, the same keys on every run, go to that chain (hash-based partitioning between tiers);
 * - `sizeAbove` / `sizeBelow`: objects larger / smaller than a number of bytes (routing by key class).
 *
 * The route hash has a salt of its own, independent of the sharding hash inside tiers, so a route taking
 * half the keys does not take half the shards with them.
 */
import { hash64 } from '../trace/keymap.ts';
import type { RouteConfig } from './schema.ts';

/** 2^32 · (√5 − 2): an odd constant unlike the other users of hash64. */
const ROUTE_SALT = 0x3c6ef372;
const TWO32 = 2 ** 32;

export class Routes {
  /** Tier indexes of each route's chain. */
  readonly chains: readonly Int32Array[];
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly above: Float64Array;
  private readonly below: Float64Array;

  /** `routes` as configured; `tierIndex` maps a tier name to its index (names are checked by build.ts). */
  constructor(routes: readonly RouteConfig[], tierIndex: (name: string) => number) {
    const n = routes.length;
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.above = new Float64Array(n);
    this.below = new Float64Array(n);
    let claimed = 0;
    this.chains = routes.map((r, i) => {
      const share = r.match?.share;
      this.lo[i] = share === undefined ? 0 : claimed;
      this.hi[i] = share === undefined ? 1 : claimed + share;
      if (share !== undefined) claimed += share;
      this.above[i] = r.match?.sizeAbove ?? -1;
      this.below[i] = r.match?.sizeBelow ?? Number.POSITIVE_INFINITY;
      return Int32Array.from(r.chain, tierIndex);
    });
  }

  /** The index of the route serving `key` of `size` bytes. */
  routeOf(key: number, size: number): number {
    const h = (hash64(key, ROUTE_SALT) >>> 0) / TWO32;
    const last = this.chains.length - 1;
    for (let i = 0; i < last; i++) {
      if (h >= this.lo[i] && h < this.hi[i] && size > this.above[i] && size < this.below[i]) return i;
    }
    return last;
  }
}
