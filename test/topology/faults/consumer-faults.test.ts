/**
 * The Kafka consumer faults on a bus built by hand (two partitions, records readable at t = 0, 1 ms of
 * processing each): a stall stops a group's consumers until `until`, a restart replays from the commit,
 * and a fault that cannot apply (no bus, no such partition, no Elasticsearch sink) names its pointer.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/sim/engine.ts';
import { streams } from '../../../src/sim/rng.ts';
import { ms } from '../../../src/sim/time.ts';
import { Commands } from '../../../src/topology/commands.ts';
import type { FaultContext } from '../../../src/topology/faults/api.ts';
import { consumerRestart } from '../../../src/topology/faults/consumer-restart.ts';
import { consumerStall } from '../../../src/topology/faults/consumer-stall.ts';
import { InvalidationBus } from '../../../src/topology/kafka/bus.ts';
import { invalidationSchema } from '../../../src/topology/kafka/schema.ts';
import { Network } from '../../../src/topology/network.ts';
import type { Origin } from '../../../src/topology/origin.ts';
import { RequestPool } from '../../../src/topology/request-pool.ts';

const ZERO = { dist: 'constant', value: 0 } as const;

function model(elasticsearch: boolean) {
  const engine = new Engine();
  const rng = streams(1);
  const spec = invalidationSchema.parse({
    via: 'kafka',
    kafka: {
      partitions: 2,
      consumers: { processing: { dist: 'constant', value: '1ms' }, commitInterval: '1h' },
    },
    ...(elasticsearch ? { elasticsearch: {} } : {}),
  });
  const network = new Network(
    { sameHost: ZERO, sameZone: ZERO, crossZone: ZERO, bandwidthGbps: 'infinite' },
    rng,
  );
  const bus = new InvalidationBus(spec, false, {
    engine,
    pool: new RequestPool(10, () => new Error('full')),
    tiers: [],
    chains: [new Int32Array(0)],
    commands: new Commands(),
    network,
    rng,
    gateways: 1,
    consumers: { zone: new Int32Array(2), host: new Int32Array(2) },
    window: ms(1000),
  });
  // Four records on each partition, readable at once.
  for (const p of [0, 1]) {
    const ids = new Int32Array(4);
    for (let i = 0; i < 4; i++) ids[i] = bus.records.add(0, 1, 10, 0, 0, 2, 0);
    bus.topic.append(p, ids, 4, 0);
  }
  const ctx = {
    engine,
    tiers: [],
    network,
    origin: null as unknown as Origin,
    zones: ['a'],
    bus,
    changed: () => {},
  } satisfies FaultContext;
  return { engine, bus, ctx };
}

describe('consumer faults', () => {
  it('consumer-stall stops the group on its partitions from at to until; it carries on from its position', () => {
    const { engine, bus, ctx } = model(false);
    const spec = consumerStall.schema.parse({
      kind: 'consumer-stall',
      at: '1.5ms',
      until: '11.5ms',
      partitions: [1],
    });
    const f = consumerStall.prepare(spec as never, ctx, 'x.json: /faults/0');
    expect(f.targets).toEqual(['caches/partition-1']);
    engine.run({ until: ms(1.5) });
    f.start(engine.now);
    // Partition 0 runs through (4 records by 4 ms); partition 1 did 1, then 3 more from 11.5 ms.
    engine.run({ until: ms(11) });
    expect(Array.from(bus.group.position)).toEqual([4, 1]);
    engine.run({ until: ms(14) });
    expect(Array.from(bus.group.position)).toEqual([4, 3]);
    engine.run({ until: ms(20) });
    expect([bus.group.delivered, bus.group.duplicates, bus.group.stops]).toEqual([8, 0, 1]);
    expect(f.count()).toBe(4);
  });

  it('consumer-restart replays what was processed since the last commit', () => {
    const { engine, bus, ctx } = model(false);
    const spec = consumerRestart.schema.parse({ kind: 'consumer-restart', at: '2.5ms' });
    const f = consumerRestart.prepare(spec as never, ctx, 'x.json: /faults/0');
    engine.run({ until: ms(2.5) });
    f.start(engine.now);
    engine.run({});
    // Nothing was committed (commit every hour): both consumers redo their first two records.
    expect([bus.group.delivered, bus.group.duplicates]).toEqual([8, 4]);
    expect(f.count()).toBe(4);
  });

  it('a fault that cannot apply names its JSON pointer', () => {
    const { ctx } = model(false);
    const err = (s: Record<string, unknown>, c: FaultContext = ctx) => {
      const kind = s.kind === 'consumer-stall' ? consumerStall : consumerRestart;
      try {
        kind.prepare(kind.schema.parse({ at: 0, ...s }) as never, c, 'x.json: /faults/2');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(err({ kind: 'consumer-stall', partitions: [0, 2] })).toBe(
      'x.json: /faults/2/partitions/1: no partition 2; the topic has 2 (0 to 1)',
    );
    expect(err({ kind: 'consumer-restart', group: 'elasticsearch' })).toMatch(
      /^x.json: \/faults\/2\/group: no Elasticsearch sink/,
    );
    expect(err({ kind: 'consumer-stall' }, { ...ctx, bus: null })).toBe(
      'x.json: /faults/2/kind: a consumer fault needs "invalidation": {"via": "kafka"}',
    );
    expect(err({ kind: 'consumer-stall', group: 'elasticsearch' }, model(true).ctx)).toBe('');
  });
});
