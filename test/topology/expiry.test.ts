/**
 * TTLs on one node, by hand (topology/expiry.ts): when a copy expires, with and without jitter, what a
 * lookup finds at and around that instant, stale-while-revalidate's one refresh per expiry, XFetch's
 * early recompute and the TTLs a trace's sets carry.
 */
import { describe, expect, it } from 'vitest';
import type { EvictionPolicy } from '../../src/policies/api.ts';
import { resolvePolicy } from '../../src/policies/registry.ts';
import {
  E_EARLY,
  E_EXPIRED,
  E_LIVE,
  E_SERVE,
  E_SERVE_REFRESH,
  ExpiryShared,
  NodeExpiry,
} from '../../src/topology/expiry.ts';
import { type TtlConfig, topologySchema } from '../../src/topology/schema.ts';

const S = 1e9;
const MS = 1e6;

function ttlConfig(over: Record<string, unknown>): TtlConfig {
  return topologySchema.shape.ttl.parse({ base: '60s', ...over }) as TtlConfig;
}

function lru(): EvictionPolicy {
  const spec = resolvePolicy('lru');
  return spec.entry.create({ capacity: 1000, keySpace: 16, random: () => 0, params: spec.params });
}

/** A node's expiry with fixed draws: `u` for every jitter draw, `x` for every XFetch draw. */
function node(over: Record<string, unknown>, u = 0.5, x = 0.5) {
  const shared = new ExpiryShared(ttlConfig(over), 16);
  return {
    shared,
    expiry: new NodeExpiry(
      shared,
      () => u,
      () => x,
      16,
    ),
  };
}

describe('TTL expiry on a node', () => {
  it('a copy stored at t lives exactly base: live one nanosecond before, expired at t + base', () => {
    const { expiry } = node({});
    const p = lru();
    p.access(3, 1, 0, -1);
    expiry.stored(3, 1_000);
    expect(expiry.expiresAt(3)).toBe(1_000 + 60 * S);
    expect(expiry.check(3, 1_000 + 60 * S - 1, p)).toBe(E_LIVE);
    expect(p.contains(3)).toBe(true);
    expect(expiry.check(3, 1_000 + 60 * S, p)).toBe(E_EXPIRED);
    expect(p.contains(3)).toBe(false);
    expect(expiry.expirations).toBe(1);
    // Not held any more: nothing to expire.
    expect(expiry.check(3, 1_000 + 61 * S, p)).toBe(E_LIVE);
    expect(expiry.expirations).toBe(1);
  });

  it('jitter draws the TTL uniformly within ±jitter of the base', () => {
    const at = (u: number) => {
      const { expiry } = node({ jitter: 0.1 }, u);
      expiry.stored(1, 0);
      return expiry.expiresAt(1);
    };
    expect(at(0)).toBeCloseTo(54 * S, 3);
    expect(at(0.5)).toBe(60 * S);
    expect(at(0.75)).toBeCloseTo(63 * S, 3);
  });

  it('stale-while-revalidate: serves in the window, one refresh per expiry, dropped after the window', () => {
    const { expiry } = node({ base: '10s', staleWhileRevalidate: '2s' });
    const p = lru();
    p.access(5, 1, 0, -1);
    expiry.stored(5, 0);
    expect(expiry.check(5, 10 * S, p)).toBe(E_SERVE_REFRESH);
    expect(expiry.check(5, 10 * S + 1, p)).toBe(E_SERVE);
    expect(expiry.check(5, 11 * S, p)).toBe(E_SERVE);
    // The refresh lands at 11 s: a new TTL, and the next expiry starts one refresh again.
    expiry.stored(5, 11 * S);
    expect(expiry.check(5, 20 * S, p)).toBe(E_LIVE);
    expect(expiry.check(5, 21 * S, p)).toBe(E_SERVE_REFRESH);
    // That refresh never lands: the copy is dropped at the window's end, counted once.
    expect(expiry.check(5, 23 * S, p)).toBe(E_EXPIRED);
    expect(p.contains(5)).toBe(false);
    expect(expiry.expirations).toBe(2);
    expect(expiry.swrServed).toBe(4);
  });

  it('XFetch recomputes early exactly when -delta·beta·ln(1-U) reaches the time left', () => {
    // delta 100 ms, beta 2: scale 200 ms; U = 1 - e^-1 draws 200 ms, so copies with ≤ 200 ms left refresh.
    const over = { xfetch: { beta: 2, delta: '100ms' } };
    const u = 1 - Math.exp(-1);
    const { expiry } = node(over, 0.5, u);
    const p = lru();
    p.access(2, 1, 0, -1);
    expiry.stored(2, 0);
    expect(expiry.check(2, 60 * S - 201 * MS, p)).toBe(E_LIVE);
    expect(expiry.check(2, 60 * S - 199 * MS, p)).toBe(E_EARLY);
    expect(expiry.earlyRefreshes).toBe(1);
    // The copy stays for the other readers.
    expect(p.contains(2)).toBe(true);
  });

  it('XFetch measures delta per key from origin reads, falling back to the last one measured', () => {
    const { shared } = node({ xfetch: { beta: 1 } });
    expect(shared.deltaOf(4)).toBe(0);
    shared.recomputed(4, 30 * MS);
    shared.recomputed(7, 10 * MS);
    expect(shared.deltaOf(4)).toBe(30 * MS);
    expect(shared.deltaOf(9)).toBe(10 * MS);
  });

  it('mode "trace": a key takes the TTL of its last set, the base without one', () => {
    const { shared, expiry } = node({ mode: 'trace', base: '60s' });
    shared.traceSet(1, 5);
    shared.traceSet(2, 5);
    shared.traceSet(2, 0);
    expiry.stored(1, 0);
    expiry.stored(2, 0);
    expiry.stored(3, 0);
    expect([expiry.expiresAt(1), expiry.expiresAt(2), expiry.expiresAt(3)]).toEqual([5 * S, 60 * S, 60 * S]);
  });
});
