/**
 * The write policies (write-policy.ts, write-behind.ts): what each does to the caches and to the client's
 * wait, on the race trace (race.ts) and on generated workloads; write-behind's queue and its flush grid;
 * conservation and determinism under each; the `writes` config block.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, cacheTier, ended, mixed, problems, run, ZERO } from './helpers.ts';
import { race } from './race.ts';

const POLICIES = ['invalidate', 'update', 'write-through', 'write-behind', 'lease'] as const;

/** The cache node takes 0.5 ms per command, so a write that waits for it shows it. */
const SLOW_NODE = {
  tiers: {
    cache: {
      server: 'generic',
      nodes: 1,
      policy: 'lru',
      capacity: 'infinite',
      service: { dist: 'constant', value: '0.5ms' },
    },
  },
};

describe('update on write vs write-through', () => {
  // Timeline: the first GET's miss reaches the origin at 0.5 ms (snapshot v0, answer at 10.5 ms); the SET
  // commits v1 at 2 ms and its value reaches the node at 2 ms (stored at 2 ms, acknowledged at 2.5 ms);
  // the slow fill of v0 reaches the node at 10.5 ms; the GET at 20 ms looks the key up at 20 ms.
  it('update on write: the slow fill overwrites the update, and the client does not wait for the cache', () => {
    const m = race('update', SLOW_NODE);
    expect(m.nodes[0].updates).toBe(1);
    expect(m.nodes[0].ignored).toBe(0);
    expect(m.outcomes.hits).toBe(1);
    expect(m.staleReadRatio).toBe(0.5);
    expect(m.staleAgeMs.max).toBe(18);
    expect(m.paths.write.max).toBe(1);
  });

  it('write-through: the node keeps the newer version, and the client waits for its acknowledgement', () => {
    const m = race('write-through', SLOW_NODE);
    expect(m.nodes[0].updates).toBe(1);
    expect(m.nodes[0].ignored).toBe(1);
    expect(m.outcomes.hits).toBe(1);
    expect(m.staleReadRatio).toBe(0);
    expect(m.paths.write.max).toBe(1.5);
  });

  it('delete on write and leases answer the write after the origin alone', () => {
    expect(race('invalidate', SLOW_NODE).paths.write.max).toBe(1);
    expect(race('lease', SLOW_NODE).paths.write.max).toBe(1);
  });
});

describe('write-behind', () => {
  function behind(writes: Record<string, unknown>, ops: Record<string, number>, capacity: string) {
    return run(
      baseConfig({
        workload: { generator: 'zipf', requests: 20_000, objects: 2_000, alpha: 0.9, ops },
        clients: { mode: 'open', rate: 10_000 },
        writes: { policy: 'write-behind', ...writes },
        tiers: { cache: { server: 'generic', nodes: 1, policy: 'lru', capacity, service: ZERO } },
        metrics: { window: '50ms' },
      }),
    ).metrics;
  }

  it('answers at once and flushes the queue to the origin on its interval’s grid', () => {
    const m = behind({ flushInterval: '100ms' }, { set: 1 }, 'infinite');
    const wb = m.writes.writeBehind;
    expect(m.outcomes.writes).toBe(20_000);
    expect(m.paths.write.max).toBe(0);
    expect(wb?.retried).toBe(0);
    expect((wb?.flushed ?? 0) + (wb?.unflushed ?? 0)).toBe(20_000);
    expect(m.origin.writes).toBe(wb?.flushed);
    // Origin queries arrive only in the 50 ms windows that start on the 100 ms grid.
    const q = m.series.originQps;
    expect(q.filter((x, i) => i % 2 === 1 && x !== 0 && x !== null)).toEqual([]);
    expect(q.filter((x, i) => i % 2 === 0 && (x ?? 0) > 0).length).toBeGreaterThan(15);
    // What was still queued when the run ended counts as lost: the writes of the last flush interval.
    expect(m.lostWrites).toBe(wb?.unflushed);
    expect(m.lostWrites).toBeGreaterThan(0);
    expect(m.lostWrites).toBeLessThan(1_500);
    // The cache is ahead of the origin, never behind it: nothing stale.
    expect(m.staleReadRatio).toBeNull();
  });

  it('queues a flush the origin fails again, so every write is applied once or still queued', () => {
    const m = run(
      baseConfig({
        workload: { generator: 'zipf', requests: 20_000, objects: 2_000, alpha: 0.9, ops: { set: 1 } },
        clients: { mode: 'open', rate: 10_000 },
        // A thousand writer connections against a pool of one with room for 100 waiting: most flushes fail.
        writes: { policy: 'write-behind', flushInterval: '100ms', flushConcurrency: 1000 },
        origin: { write: { dist: 'constant', value: '0.1ms' }, pool: 1, queueLimit: 100 },
      }),
    ).metrics;
    const wb = m.writes.writeBehind;
    expect(wb?.retried).toBeGreaterThan(0);
    expect(m.origin.failedQueueFull).toBe(wb?.retried);
    expect((wb?.flushed ?? 0) + (wb?.unflushed ?? 0)).toBe(20_000);
    expect(m.origin.writes).toBe((wb?.flushed ?? 0) + (wb?.retried ?? 0));
    // Failed flushes are not client failures.
    expect(m.outcomes.failed).toBe(0);
    expect(m.outcomes.writes).toBe(20_000);
  });

  it('keeps at most flushConcurrency flushed writes at the origin at once', () => {
    const m = run(
      baseConfig({
        workload: { generator: 'zipf', requests: 5_000, objects: 2_000, alpha: 0.9, ops: { set: 1 } },
        clients: { mode: 'open', rate: 1_000 },
        writes: { policy: 'write-behind', flushInterval: '100ms', flushConcurrency: 2 },
        origin: { write: { dist: 'constant', value: '10ms' }, pool: 100 },
      }),
    ).metrics;
    const wb = m.writes.writeBehind;
    // Two writers, 10 ms a write: at most 200 writes a second, against 1,000 a second written.
    const seconds = m.simulation.simulatedSeconds;
    expect(wb?.flushed).toBeGreaterThan(150 * (seconds - 0.2));
    expect(wb?.flushed).toBeLessThanOrEqual(200 * seconds);
    expect(m.origin.utilisation).toBeLessThanOrEqual(0.02 + 1e-9);
    expect(m.lostWrites).toBe(5_000 - (wb?.flushed ?? 0));
  });

  it('sends at most flushBatch writes per flush; the rest wait', () => {
    const m = behind({ flushInterval: '100ms', flushBatch: 100 }, { set: 1 }, 'infinite');
    const wb = m.writes.writeBehind;
    const flushes = Math.floor(m.simulation.simulatedSeconds / 0.1);
    expect(wb?.flushed).toBe(100 * flushes);
    expect(wb?.unflushed).toBe(20_000 - 100 * flushes);
  });

  it('a miss while a write is queued fills the origin’s old value, stale once the flush applies the new', () => {
    const ops = { get: 0.8, set: 0.15, delete: 0.05 };
    const m = behind({ flushInterval: '100ms' }, ops, '20KiB');
    expect(m.staleReadRatio).toBeGreaterThan(0);
    const ahead = behind({ flushInterval: '100ms' }, { get: 0.8, set: 0.2 }, 'infinite');
    expect(ahead.writes.staleReads).toBe(0);
  });
});

describe('every policy', () => {
  const config = (policy: string, extra: Record<string, unknown> = {}) =>
    baseConfig({
      ...mixed({ get: 0.75, set: 0.2, delete: 0.05 }),
      writes: { policy },
      network: { sameHost: ZERO, sameZone: { dist: 'exponential', mean: '100us' }, crossZone: ZERO },
      tiers: {
        l1: cacheTier({ nodes: 2, capacity: '50KiB', service: { dist: 'exponential', mean: '50us' } }),
        l2: cacheTier({ nodes: 2, service: { dist: 'exponential', mean: '50us' } }),
      },
      gateway: { routes: [{ chain: ['l1', 'l2'] }] },
      origin: {
        read: { dist: 'exponential', mean: '3ms' },
        write: { dist: 'exponential', mean: '5ms' },
        pool: 32,
      },
      ...extra,
    });

  it('ends every request exactly once, and the origin sees each write once', () => {
    for (const policy of POLICIES) {
      const r = run(config(policy));
      const m = r.metrics;
      expect(m.outcomes.inFlight, policy).toBe(0);
      expect(ended(r), policy).toBe(20_000);
      expect(m.latencyMs.count, policy).toBe(m.outcomes.hits + m.outcomes.misses + m.outcomes.writes);
      expect(
        m.series.requests.reduce((a, b) => a + b, 0),
        policy,
      ).toBe(20_000);
      const wb = m.writes.writeBehind;
      const applied = wb === null ? m.outcomes.writes : wb.flushed + wb.retried;
      expect(m.origin.writes, policy).toBe(applied);
      expect(m.writes.policy).toBe(policy);
    }
  });

  it('counts only clients’ requests in flight when `until` cuts a write-behind run short', () => {
    const r = run(
      config('write-behind', { until: '1s', writes: { policy: 'write-behind', flushInterval: '1ms' } }),
    );
    const m = r.metrics;
    const wb = m.writes.writeBehind;
    // Flushes were still at the origin at the cut (arrived, not yet applied), holding slots of their own.
    expect(m.origin.writes).toBeGreaterThan((wb?.flushed ?? 0) + (wb?.retried ?? 0));
    expect(m.outcomes.inFlight).toBeGreaterThan(0);
    expect(ended(r)).toBe(m.requests);
    // Every write answered is applied, or queued or on its way at the cut (lost if a node died then).
    expect((wb?.flushed ?? 0) + (wb?.unflushed ?? 0)).toBe(m.outcomes.writes);
    expect(m.lostWrites).toBe(wb?.unflushed);
  });

  it('are deterministic: the same seed gives the same bytes', () => {
    for (const policy of ['lease', 'write-behind', 'update']) {
      const a = JSON.stringify(run(config(policy), 3));
      expect(JSON.stringify(run(config(policy), 3)), policy).toBe(a);
    }
  });

  it('with latencies, delete on write leaves stale reads that leases cut, and other missers wait', () => {
    const inv = run(config('invalidate')).metrics;
    const lease = run(config('lease')).metrics;
    expect(inv.staleReadRatio).toBeGreaterThan(0);
    expect(lease.staleReadRatio).toBeLessThan(inv.staleReadRatio ?? 0);
    expect(inv.nodes.reduce((a, n) => a + n.leaseWaits, 0)).toBe(0);
    expect(lease.nodes.reduce((a, n) => a + n.leaseWaits, 0)).toBeGreaterThan(0);
    // Waiting instead of reading the origin: fewer origin reads for the same reads served.
    expect(lease.origin.reads).toBeLessThan(inv.origin.reads);
  });
});

describe('the writes block', () => {
  it('is strict: options of another policy and unknown policies are errors naming the path', () => {
    const wrong = problems(baseConfig({ writes: { policy: 'invalidate', flushInterval: '1s' } }));
    expect(wrong.join('\n')).toMatch(/test\.json: \/writes.*flushInterval/);
    expect(problems(baseConfig({ writes: { policy: 'write-around' } })).join('\n')).toMatch(
      /\/writes\/policy/,
    );
    expect(problems(baseConfig({ writes: { policy: 'write-behind', flushInterval: 0 } })).join('\n')).toMatch(
      /\/writes\/flushInterval/,
    );
  });
});
