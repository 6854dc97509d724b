import { describe, expect, it } from 'vitest';
import type { Sampler } from '../../src/sim/distributions.ts';
import { type Component, Engine } from '../../src/sim/engine.ts';
import { QUEUE_ARRIVE, QueueServer, type ServiceTime } from '../../src/sim/queue-server.ts';

const constant = (ns: number): Sampler => ({ mean: ns, sample: () => ns });

/** Logs "time:label:a:b" for completions (kind 1) and rejections (kind 2). */
class Sink implements Component {
  readonly log: string[] = [];
  constructor(private readonly engine: Engine) {}
  handle(kind: number, a: number, b: number): void {
    this.log.push(`${this.engine.now}:${kind === 1 ? 'done' : 'rejected'}:${a}:${b}`);
  }
}

function setup(servers: number, service: ServiceTime, queueLimit?: number) {
  const engine = new Engine();
  const sink = new Sink(engine);
  const sinkId = engine.register(sink, 'sink');
  const server = new QueueServer(engine, {
    name: 'node',
    servers,
    queueLimit,
    service,
    onDone: { target: sinkId, kind: 1 },
    onReject: { target: sinkId, kind: 2 },
  });
  return { engine, sink, server };
}

describe('QueueServer', () => {
  it('one server, FIFO, a queue limit of 1; every statistic by hand', () => {
    const { engine, sink, server } = setup(1, constant(10), 1);
    // Arrivals as events at 0, 2, 4 and 15, payload carried through.
    for (const [t, a] of [
      [0, 100],
      [2, 101],
      [4, 102],
      [15, 103],
    ])
      engine.scheduleAt(t, server.id, QUEUE_ARRIVE, a, a / 4);
    engine.run({ until: 40 });
    // 100 serves 0–10; 101 waits 2–10, serves 10–20; 102 finds the queue full at 4; 103 waits 15–20,
    // serves 20–30.
    expect(sink.log).toEqual([
      '4:rejected:102:25.5',
      '10:done:100:25',
      '20:done:101:25.25',
      '30:done:103:25.75',
    ]);
    const s = server.stats();
    expect(s).toEqual({
      elapsed: 40,
      arrivals: 4,
      rejected: 1,
      started: 3,
      completed: 3,
      utilisation: 30 / 40,
      meanQueueLength: (8 + 5) / 40,
      meanInSystem: (30 + 13) / 40,
      admittedPerSec: 3e9 / 40,
      meanWait: (0 + 8 + 5) / 3,
      meanSojourn: (10 + 18 + 15) / 3,
    });
    expect([server.waits.max, server.sojourns.quantile(0.5)]).toEqual([8, 15]);
  });

  it('c servers in parallel, the service time may depend on the customer', () => {
    // Service takes a·10 ns: customer 1 is short, 3 is long.
    const { engine, sink, server } = setup(2, { sample: (a) => a * 10 });
    const client = engine.register({
      handle() {
        for (const a of [3, 1, 2]) expect(server.arrive(a, 0)).toBe(true);
      },
    });
    engine.schedule(0, client, 0);
    engine.run();
    // 3 and 1 start at 0; 1 ends at 10, freeing a server for 2 (10–30); 3 ends at 30, after 2 (same time,
    // scheduled first).
    expect(sink.log).toEqual(['10:done:1:0', '30:done:3:0', '30:done:2:0']);
    expect([server.waits.sum, server.stats().utilisation]).toEqual([10, (30 + 10 + 20) / (2 * 30)]);
    expect([server.queueLength, server.busyServers]).toEqual([0, 0]);
  });

  it('arrive() returns false when full and tells no one', () => {
    const { engine, sink, server } = setup(1, constant(5), 0);
    const client = engine.register({
      handle() {
        expect([server.arrive(1, 0), server.arrive(2, 0)]).toEqual([true, false]);
      },
    });
    engine.schedule(0, client, 0);
    engine.run();
    expect(sink.log).toEqual(['5:done:1:0']);
  });

  it('a customer sent straight back on completion finds the station consistent', () => {
    const engine = new Engine();
    let rounds = 0;
    let server: QueueServer;
    const loop = engine.register({
      handle(_kind, a) {
        if (++rounds < 3) server.arrive(a, 0);
      },
    });
    server = new QueueServer(engine, {
      name: 'n',
      servers: 1,
      service: constant(7),
      onDone: { target: loop, kind: 0 },
    });
    server.arrive(9, 0);
    engine.run();
    expect([rounds, engine.now, server.stats().completed, server.busyServers]).toEqual([3, 21, 3, 0]);
  });

  it('resetStats starts a new window and keeps the customers present', () => {
    const { engine, server } = setup(1, constant(10));
    engine.scheduleAt(0, server.id, QUEUE_ARRIVE, 1, 0);
    engine.scheduleAt(1, server.id, QUEUE_ARRIVE, 2, 0);
    engine.run({ until: 5 });
    server.resetStats();
    engine.run({ until: 25 });
    const s = server.stats();
    // Window 5–25: busy 5–20 (1 until 10, then 2); 2 waits 5–10 inside it and starts (wait 9) inside it.
    expect([s.elapsed, s.utilisation, s.meanQueueLength, s.started, s.meanWait, s.completed]).toEqual([
      20,
      15 / 20,
      5 / 20,
      1,
      9,
      2,
    ]);
  });
});
