/**
 * Admission filters: rules that decide, on a miss, whether an object may enter the cache at all. They sit in
 * front of any eviction policy (admitting.ts); an object a filter refuses is a miss that the policy never
 * sees. Keys are the same dense ids and sizes the same units as the policy gets.
 */
import type { Params, PolicyContext } from '../api.ts';

export interface AdmissionFilter {
  /**
   * Whether to admit `key` (`size` units) on a miss at trace time `now` (µs). Called for every miss of the
   * wrapped cache, even when another filter has already refused it, so what a filter remembers does not
   * depend on the order of the filters.
   */
  admit(key: number, size: number, now: number): boolean;
  /** Makes per-key state addressable for ids < n. */
  reserve(n: number): void;
}

export interface FilterEntry {
  /** Lower-case name, as written after a `+` in a policy spec. */
  readonly name: string;
  /** One line for --help. */
  readonly description: string;
  /** Parameter defaults; a user may override any of these and only these. */
  readonly defaults: Params;
  /** Uses ctx.random, so results vary with the seed. */
  readonly randomized?: boolean;
  /** ctx.params are the filter's own parameters; the rest describes the cache it guards. */
  create(ctx: PolicyContext): AdmissionFilter;
}
