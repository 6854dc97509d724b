import { describe, expect, it } from 'vitest';
import { makeSampler } from '../../src/sim/distributions.ts';
import { type Component, Engine, SimulationLimitError } from '../../src/sim/engine.ts';
import { QueueServer } from '../../src/sim/queue-server.ts';
import { streams } from '../../src/sim/rng.ts';
import { ms, sec, us } from '../../src/sim/time.ts';

/** Records every event it receives as "time:kind:a:b". */
class Recorder implements Component {
  readonly log: string[] = [];
  constructor(private readonly engine: Engine) {}
  handle(kind: number, a: number, b: number): void {
    this.log.push(`${this.engine.now}:${kind}:${a}:${b}`);
  }
}

describe('Engine', () => {
  it('converts units to nanoseconds', () => {
    expect([us(1), ms(1.5), sec(2)]).toEqual([1e3, 1.5e6, 2e9]);
  });

  it('delivers events in time order, ties in scheduling order, with their payload', () => {
    const e = new Engine();
    const r = new Recorder(e);
    const id = e.register(r, 'r');
    e.schedule(20, id, 1, 10, 0.25);
    e.scheduleAt(10, id, 2, 11, 0);
    e.schedule(20, id, 3, 12, 0);
    e.schedule(0, id, 4, 13, 0);
    expect(e.run()).toBe('empty');
    expect(r.log).toEqual(['0:4:13:0', '10:2:11:0', '20:1:10:0.25', '20:3:12:0']);
    expect(e.now).toBe(20);
    expect([e.eventsHandled, e.eventsScheduled, e.pending, e.peakPending]).toEqual([4, 4, 0, 4]);
  });

  it('schedules relative to the current event; events scheduled now run after those already due now', () => {
    const e = new Engine();
    const log: string[] = [];
    const id = e.register({
      handle(kind) {
        log.push(`${e.now}:${kind}`);
        if (kind === 1) {
          e.schedule(0, id, 3);
          e.schedule(5, id, 4);
        }
      },
    });
    e.schedule(7, id, 1);
    e.schedule(7, id, 2);
    e.run();
    expect(log).toEqual(['7:1', '7:2', '7:3', '12:4']);
  });

  it('run(until) handles events due at `until`, leaves later ones, and sets the clock to `until`', () => {
    const e = new Engine();
    const r = new Recorder(e);
    const id = e.register(r);
    for (const t of [5, 10, 15]) e.schedule(t, id, 0);
    expect(e.run({ until: 10 })).toBe('until');
    expect(r.log).toEqual(['5:0:0:0', '10:0:0:0']);
    expect([e.now, e.pending]).toEqual([10, 1]);
    expect(e.run({ until: 100 })).toBe('empty');
    expect(e.now).toBe(100);
    expect(() => e.run({ until: 50 })).toThrow(/before now/);
  });

  it('run(maxEvents), stop() and the progress callback', () => {
    const e = new Engine();
    let handled = 0;
    const id = e.register({
      handle() {
        handled++;
        if (handled === 7) e.stop();
        e.schedule(1, id, 0);
      },
    });
    e.schedule(1, id, 0);
    expect(e.run({ maxEvents: 3 })).toBe('maxEvents');
    expect([handled, e.now]).toEqual([3, 3]);
    const progress: number[][] = [];
    expect(e.run({ onProgress: (now, events) => progress.push([now, events]), progressEvery: 2 })).toBe(
      'stopped',
    );
    expect(handled).toBe(7);
    // Every 2 events of this run (after 2: 5 overall); the stop comes after 4 (7 overall), then the final call.
    expect(progress).toEqual([
      [5, 5],
      [7, 7],
    ]);
    expect(e.run({ maxEvents: 0 })).toBe('maxEvents');
    expect(e.eventsHandled).toBe(7);
  });

  it('rejects a negative or NaN delay, a time in the past and an unknown target', () => {
    const e = new Engine();
    const id = e.register(new Recorder(e), 'cache-1');
    expect(() => e.schedule(-1, id, 0)).toThrow('cache-1: event delay must be >= 0 ns, got -1');
    expect(() => e.schedule(Number.NaN, id, 0)).toThrow('cache-1: event delay must be >= 0 ns, got NaN');
    e.schedule(10, id, 0);
    e.run();
    expect(() => e.scheduleAt(5, id, 0)).toThrow('cache-1: event time 5 ns is before now (10 ns)');
    expect(() => e.schedule(1, 9, 0)).toThrow('event sent to unknown component id 9');
    expect(() => e.send(9, 0)).toThrow('event sent to unknown component id 9');
  });

  it('stops a runaway event set at maxPending and names the component holding most events', () => {
    const e = new Engine({ maxPending: 1000 });
    const quiet = e.register({ handle() {} }, 'quiet');
    // Each event schedules two more: the pending set doubles every microsecond.
    const id = e.register(
      {
        handle() {
          e.schedule(us(1), id, 0);
          e.schedule(us(1), id, 0);
        },
      },
      'fork-bomb',
    );
    e.schedule(sec(1), quiet, 0);
    e.schedule(0, id, 0);
    let err: unknown;
    try {
      e.run();
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(SimulationLimitError);
    const s = err as SimulationLimitError;
    expect(s.message).toBe(
      'simulation stopped at t=9µs: 1000 pending events reached the limit of 1000; fork-bomb holds 999 of them ' +
        '(does it schedule faster than time advances?)',
    );
    expect([s.component, s.count, s.limit]).toEqual(['fork-bomb', 1000, 1000]);
    expect(s.message).not.toContain('\n');
  });

  it('stops an unbounded queue that outgrows maxPending (arrivals faster than service)', () => {
    const e = new Engine({ maxPending: 500 });
    const rng = streams(1);
    const sink = e.register({ handle() {} }, 'sink');
    const db = new QueueServer(e, {
      name: 'db',
      servers: 2,
      service: makeSampler({ dist: 'constant', value: ms(1) }, rng.get('db')),
      onDone: { target: sink, kind: 0 },
    });
    let n = 0;
    const client = e.register({
      handle() {
        db.arrive(n++, 0);
        e.schedule(us(100), client, 0); // 10 arrivals/ms into 2 servers of 1/ms each
      },
    });
    e.schedule(0, client, 0);
    // By hand: at 62.6 ms, 627 arrivals (one per 0.1 ms from 0), 124 done (each server finishes one per ms
    // from 1.0 and 1.1 ms), 2 in service: 501 waiting.
    expect(() => e.run({ until: sec(10) })).toThrow(
      /^simulation stopped at t=62\.6ms: db: 501 customers waiting reached the limit of 500 /,
    );
    expect(db.queueLength).toBe(500);
  });
});
