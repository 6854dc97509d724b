/**
 * Types and codes the topology's components share: how a request can end, and the two small interfaces
 * through which components hand requests on without knowing each other's classes. Only types and
 * constants live here (see architecture notes: `api.ts` holds no behaviour).
 */

/** How a request ended. Every request that arrives ends exactly once, with one of these. */
export const OUT_HIT = 0;
/** A read that missed every tier in its chain and was served by the origin (or a coalesced leader). */
export const OUT_MISS = 1;
/** A set or delete written to the origin. */
export const OUT_WRITE = 2;
/** Refused before any work: a 429 from the gateway's rate limiter or a 502 from a load balancer. */
export const OUT_REJECTED = 3;
/** Accepted but not served: the origin's queue was full or the wait exceeded its timeout. */
export const OUT_FAILED = 4;
export type Outcome =
  | typeof OUT_HIT
  | typeof OUT_MISS
  | typeof OUT_WRITE
  | typeof OUT_REJECTED
  | typeof OUT_FAILED;

/** Why a request was rejected or failed, for the counters. */
export const WHY_NONE = 0;
export const WHY_RATE_LIMIT = 1;
export const WHY_NO_UPSTREAM = 2;
export const WHY_ORIGIN_FULL = 3;
export const WHY_ORIGIN_TIMEOUT = 4;
/** The origin was cut off from the gateway by a partition: the gateway's timeout passed (faults/). */
export const WHY_UNREACHABLE = 5;
/** A SET to a cache primary the gateway's health checks have marked down, failed at once (replication.ts). */
export const WHY_PRIMARY_DOWN = 6;
export type Reason =
  | typeof WHY_NONE
  | typeof WHY_RATE_LIMIT
  | typeof WHY_NO_UPSTREAM
  | typeof WHY_ORIGIN_FULL
  | typeof WHY_ORIGIN_TIMEOUT
  | typeof WHY_UNREACHABLE
  | typeof WHY_PRIMARY_DOWN;

/**
 * Ends a request: records it, releases what it holds and tells its client. `extra` is time (ns) the
 * response still spends inside the component that ends it before it starts back towards the client.
 */
export interface Finisher {
  finish(slot: number, outcome: Outcome, why: Reason, extra: number): void;
}

/** Where an admitted request goes next (the gateway, from the load balancer), `delay` ns from now. */
export interface Forward {
  forward(slot: number, delay: number): void;
}

/** Takes a request that has just arrived (the load balancer, from the clients). */
export interface Entry {
  accept(slot: number): void;
}

/** The source of requests: told when each of its requests has been answered. */
export interface Clients {
  start(): void;
  /** The response to `slot` reaches its client `delay` ns from now. */
  done(slot: number, delay: number): void;
  /** Requests issued so far, and the total expected (null when unknown), for progress reports. */
  readonly issued: number;
  readonly expected: number | null;
}
