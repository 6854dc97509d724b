/** The components one at a time, on small inputs with hand-computed answers. */
import { describe, expect, it } from 'vitest';
import { streams } from '../../src/sim/rng.ts';
import { CROSS_ZONE, Network, SAME_HOST, SAME_ZONE } from '../../src/topology/network.ts';
import { RequestPool } from '../../src/topology/request-pool.ts';
import { Routes } from '../../src/topology/routes.ts';
import { Series } from '../../src/topology/series.ts';
import { seriesSummary } from '../../src/topology/summarize.ts';

describe('network', () => {
  const constant = (ns: number) => ({ dist: 'constant' as const, value: ns });
  const net = new Network(
    { sameHost: constant(1_000), sameZone: constant(10_000), crossZone: constant(100_000), bandwidthGbps: 8 },
    streams(1),
  );

  it('draws from the link class of the two places and adds bytes at the bandwidth', () => {
    expect(Network.classOf(0, 5, 0, 5)).toBe(SAME_HOST);
    expect(Network.classOf(0, 5, 0, 6)).toBe(SAME_ZONE);
    expect(Network.classOf(0, 5, 1, 6)).toBe(CROSS_ZONE);
    expect(net.delay(0, 5, 0, 5, 0)).toBe(1_000);
    expect(net.delay(0, 5, 0, 6, 0)).toBe(10_000);
    expect(net.delay(0, 5, 1, 6, 0)).toBe(100_000);
    // 8 Gbps is one byte per nanosecond.
    expect(net.delay(0, 5, 1, 6, 1500)).toBe(101_500);
  });
});

describe('routes', () => {
  const routes = new Routes(
    [
      { match: { sizeAbove: 1000 }, chain: ['big'] },
      { match: { share: 0.25 }, chain: ['l1', 'l2'] },
      { chain: ['l2'] },
    ],
    (t) => ['big', 'l1', 'l2'].indexOf(t),
  );

  it('first matching route wins; shares take a fixed slice of the key hash space', () => {
    expect(Array.from(routes.chains[1])).toEqual([1, 2]);
    expect(routes.routeOf(7, 1001)).toBe(0);
    const counts = [0, 0, 0];
    let unstable = 0;
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      const r = routes.routeOf(k, 100);
      counts[r]++;
      if (routes.routeOf(k, 100) !== r) unstable++;
    }
    expect(counts[0]).toBe(0);
    expect(unstable).toBe(0);
    const shared = counts[1];
    // Binomial(100k, 0.25): sd 137, so 4 sd is 0.55%.
    expect(Math.abs(shared / n - 0.25)).toBeLessThan(0.0055);
  });
});

describe('request pool', () => {
  it('reuses freed slots, grows to the limit, and reports the limit through its handler', () => {
    const pool = new RequestPool(4, (n) => new Error(`limit at ${n}`), 2);
    const a = pool.alloc();
    const b = pool.alloc();
    expect([a, b]).toEqual([0, 1]);
    const c = pool.alloc(); // grows from 2 to 4 slots
    expect(c).toBe(2);
    pool.key[c] = 42;
    expect(pool.key[c]).toBe(42);
    const genB = pool.gen[b];
    pool.release(b);
    expect(pool.alloc()).toBe(b);
    expect(pool.gen[b]).toBe(genB + 1);
    pool.alloc();
    expect(pool.inFlight).toBe(4);
    expect(() => pool.alloc()).toThrow('limit at 4');
    let idle = 0;
    pool.onIdle = () => idle++;
    for (const s of [0, 1, 2, 3]) pool.release(s);
    expect(idle).toBe(1);
    expect(pool.peakInFlight).toBe(4);
  });
});

describe('time series', () => {
  it('closes fixed windows as time passes, with an empty window in a gap and a short last one', () => {
    let queue = 0;
    const s = new Series(1_000, () => queue);
    s.served1(100, 50, true, true);
    s.served1(900, 70, true, false);
    s.originArrived(900);
    s.originStarted(950, 20);
    queue = 3;
    s.rejected1(2_500); // closes [0, 1000) with queue 3, then [1000, 2000) empty
    s.served1(2_600, 30, false, false);
    s.finish(2_750);
    const r = seriesSummary(s.data);
    expect(r.t).toEqual([0, 1e-6, 2e-6]);
    expect(r.requests).toEqual([2, 0, 2]);
    expect(r.hitRatio).toEqual([0.5, null, null]);
    expect(r.rejected).toEqual([0, 0, 1]);
    expect(r.originQps).toEqual([1e6, 0, 0]);
    expect(r.originWaitMs).toEqual([0.00002, null, null]);
    expect(r.originQueue).toEqual([3, 3, 3]);
    expect(r.p99Ms).toEqual([0.00007, null, 0.00003]);
    expect(s.data.lastWindowNs).toBe(750);
  });
});
