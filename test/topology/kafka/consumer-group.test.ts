/**
 * The consumer group on hand-built timelines: one partition, ten records readable at t = 0, 1 ms of
 * processing each, so record i is processed at (i + 1) ms unless the consumer is stopped. Restarts and
 * long stalls replay from the last commit (duplicates, counted exactly), short stalls carry on, and
 * retention skips what expired (lost). Every record is delivered, lost or pending.
 */
import { describe, expect, it } from 'vitest';
import { makeSampler } from '../../../src/sim/distributions.ts';
import { type Component, Engine } from '../../../src/sim/engine.ts';
import { streams } from '../../../src/sim/rng.ts';
import { ms } from '../../../src/sim/time.ts';
import { ConsumerGroup, type RecordSink } from '../../../src/topology/kafka/consumer-group.ts';
import { Records } from '../../../src/topology/kafka/records.ts';
import { Topic } from '../../../src/topology/kafka/topic.ts';

/** What the sink saw: "r@ms" with a "*" for a duplicate. */
class Log implements RecordSink {
  readonly seen: string[] = [];
  constructor(private readonly engine: Engine) {}
  consume(r: number, _p: number, duplicate: boolean): void {
    this.seen.push(`${r}@${this.engine.now / ms(1)}${duplicate ? '*' : ''}`);
  }
}

/** Runs `fn` at time `at`. */
class At implements Component {
  readonly id: number;
  private readonly fns: (() => void)[] = [];
  constructor(private readonly engine: Engine) {
    this.id = engine.register(this, 'test driver');
  }
  at(t: number, fn: () => void): void {
    this.fns.push(fn);
    this.engine.scheduleAt(t, this.id, 0, this.fns.length - 1);
  }
  handle(_k: number, a: number): void {
    this.fns[a]();
  }
}

interface Setup {
  commitInterval?: number;
  maxPollInterval?: number;
  retention?: number;
  pollInterval?: number;
}

function setup(s: Setup = {}) {
  const engine = new Engine();
  const records = new Records();
  const topic = new Topic(engine, records, 1, s.retention ?? ms(1e6));
  const log = new Log(engine);
  const group = new ConsumerGroup(engine, topic, log, {
    name: 'test group',
    pollInterval: s.pollInterval ?? 0,
    processing: makeSampler({ dist: 'constant', value: ms(1) }, streams(1).get('p')),
    commitInterval: s.commitInterval ?? ms(100),
    maxPollInterval: s.maxPollInterval ?? ms(30),
    window: ms(5),
  });
  const ids = new Int32Array(10);
  for (let i = 0; i < 10; i++) ids[i] = records.add(i, 1, 100, 0, 0, 2, 0);
  topic.append(0, ids, 10, 0);
  return { engine, group, log, topic, records, driver: new At(engine) };
}

describe('consumer group', () => {
  it('processes readable records in offset order, one after another', () => {
    const { engine, group, log } = setup();
    engine.run({});
    expect(log.seen).toEqual(Array.from({ length: 10 }, (_, i) => `${i}@${i + 1}`));
    expect([group.delivered, group.duplicates, group.lost, group.pending(0)]).toEqual([10, 0, 0, 0]);
  });

  it('a restart replays from the last commit: the records processed since are duplicates', () => {
    // Commit every 3 ms: at records done at 3 ms (offset 3); the restart at 5.5 ms resumes from 3.
    const { engine, group, log, driver } = setup({ commitInterval: ms(3) });
    driver.at(ms(5.5), () => group.restart(0));
    engine.run({});
    expect(log.seen).toEqual([
      '0@1',
      '1@2',
      '2@3',
      '3@4',
      '4@5',
      // Record 5 was in processing at the restart and is dropped; 3 and 4 come again.
      '3@6.5*',
      '4@7.5*',
      '5@8.5',
      '6@9.5',
      '7@10.5',
      '8@11.5',
      '9@12.5',
    ]);
    expect([group.delivered, group.duplicates, group.lost, group.stops]).toEqual([10, 2, 0, 1]);
    expect(group.committed[0]).toBe(10);
  });

  it('a restart before any commit replays everything processed, after its downtime', () => {
    const { engine, group, log, driver } = setup();
    driver.at(ms(4.5), () => group.restart(ms(2)));
    engine.run({});
    expect(log.seen.slice(4, 9)).toEqual(['0@7.5*', '1@8.5*', '2@9.5*', '3@10.5*', '4@11.5']);
    expect([group.delivered, group.duplicates]).toEqual([10, 4]);
  });

  it('a stall shorter than max.poll.interval carries on from the position: no duplicates', () => {
    const { engine, group, log, driver } = setup({ maxPollInterval: ms(30) });
    driver.at(ms(5.5), () => group.stall(ms(10)));
    engine.run({});
    expect(log.seen.slice(4, 7)).toEqual(['4@5', '5@16.5', '6@17.5']);
    expect([group.delivered, group.duplicates, group.stops]).toEqual([10, 0, 1]);
  });

  it('a longer stall evicts the consumer: it resumes from the commit, with duplicates', () => {
    const { engine, group, log, driver } = setup({ maxPollInterval: ms(30), commitInterval: ms(2) });
    driver.at(ms(5.5), () => group.stall(ms(40)));
    engine.run({});
    // Commits at 2 ms (offset 2) and 4 ms (offset 4): records 4 is replayed at 46.5 ms.
    expect(log.seen.slice(5, 7)).toEqual(['4@46.5*', '5@47.5']);
    expect([group.delivered, group.duplicates]).toEqual([10, 1]);
  });

  it('an idle consumer commits what it processed one commit interval after its last commit', () => {
    const { engine, group, driver } = setup({ commitInterval: ms(15) });
    let at12 = -1;
    driver.at(ms(12), () => {
      at12 = group.committed[0];
    });
    driver.at(ms(20), () => group.restart(0));
    engine.run({});
    expect(at12).toBe(0);
    expect(group.committed[0]).toBe(10);
    expect(group.duplicates).toBe(0);
  });

  it('records past retention when a stalled consumer comes back are lost', () => {
    // Records published at 0, retained 20 ms; the consumer processes 0 and 1, then stalls until 50 ms.
    const { engine, group, log, driver, topic } = setup({ retention: ms(20), maxPollInterval: ms(30) });
    driver.at(ms(2.5), () => group.stall(ms(47.5)));
    engine.run({});
    expect(log.seen).toEqual(['0@1', '1@2']);
    expect([group.delivered, group.duplicates, group.lost, group.pending(0)]).toEqual([2, 0, 8, 0]);
    expect(topic.start[0]).toBe(10);
  });

  it('the lag is a level over time: readable records not yet processed, peak per window', () => {
    const { engine, group } = setup();
    engine.run({});
    // 10 readable at 0, one fewer each ms: windows of 5 ms peak at 10, then 5 (at 5 ms), then 0.
    expect(group.lag.column(3)).toEqual([10, 5, 0]);
    expect(group.lag.peak).toBe(10);
    expect(Array.from(group.peakLag)).toEqual([10]);
  });

  it('an idle consumer polls on the grid of its poll interval', () => {
    const engine = new Engine();
    const records = new Records();
    const topic = new Topic(engine, records, 1, ms(1e6));
    const log = new Log(engine);
    new ConsumerGroup(engine, topic, log, {
      name: 'grid',
      pollInterval: ms(10),
      processing: makeSampler({ dist: 'constant', value: 0 }, streams(1).get('p')),
      commitInterval: ms(100),
      maxPollInterval: ms(100),
      window: ms(100),
    });
    const driver = new At(engine);
    const ids = new Int32Array([records.add(1, 1, 1, 0, 0, 2, 0)]);
    driver.at(ms(3), () => topic.append(0, ids, 1, ms(1)));
    const ids2 = new Int32Array([records.add(2, 1, 1, 0, 0, 2, 0)]);
    driver.at(ms(20), () => topic.append(0, ids2, 1, 0));
    engine.run({});
    expect(log.seen).toEqual(['0@10', '1@20']);
  });
});
