/**
 * Producer batching on hand-built timelines: a batch goes when the next record would take it past
 * batch.size or linger.ms after its first record, and is readable after the broker's append (plus the
 * followers' acknowledgement when given), never before the batch sent before it to the same partition.
 */
import { describe, expect, it } from 'vitest';
import { makeSampler, type Sampler } from '../../../src/sim/distributions.ts';
import { type Component, Engine } from '../../../src/sim/engine.ts';
import { streams } from '../../../src/sim/rng.ts';
import { ms } from '../../../src/sim/time.ts';
import { Producers, RECORD_OVERHEAD } from '../../../src/topology/kafka/producer.ts';
import { Records } from '../../../src/topology/kafka/records.ts';
import { Topic } from '../../../src/topology/kafka/topic.ts';

const constant = (v: number, name: string): Sampler =>
  makeSampler({ dist: 'constant', value: v }, streams(1).get(name));

/** Publishes records at given times and logs when the topic makes them readable: "end@ms". */
function timeline(
  times: number[],
  opts: { linger: number; batchSize: number; append: Sampler; ack?: Sampler; sizes?: number[] },
) {
  const engine = new Engine();
  const records = new Records();
  const topic = new Topic(engine, records, 1, ms(1e6));
  const seen: string[] = [];
  topic.listen({ visible: (_p, end) => seen.push(`${end}@${engine.now / ms(1)}`) });
  const producers = new Producers(engine, topic, {
    producers: 1,
    linger: opts.linger,
    batchSize: opts.batchSize,
    brokerAppend: opts.append,
    replicationAck: opts.ack ?? null,
    withValue: opts.sizes !== undefined,
  });
  const driver: Component = {
    handle: (_k, i) => {
      const r = records.add(i, 1, opts.sizes?.[i] ?? 0, 0, 0, 2, engine.now);
      producers.publish(0, r, 0);
    },
  };
  const id = engine.register(driver);
  times.forEach((t, i) => {
    engine.scheduleAt(t, id, 0, i);
  });
  engine.run({});
  return { seen, producers };
}

describe('producers', () => {
  it('linger.ms: records within the linger of the first go together', () => {
    const { seen, producers } = timeline([0, ms(1), ms(2), ms(7)], {
      linger: ms(5),
      batchSize: 16384,
      append: constant(ms(1), 'a'),
    });
    // Batch [0, 1, 2] sent at 5 ms, readable at 6; record 3 alone at 12, readable at 13.
    expect(seen).toEqual(['3@6', '4@13']);
    expect(producers.batches).toBe(2);
    expect(producers.buffered).toBe(0);
  });

  it('batch.size: a full batch goes when the next record arrives, without waiting for the linger', () => {
    const { seen } = timeline([0, ms(1), ms(2), ms(3)], {
      linger: ms(5),
      batchSize: 3 * RECORD_OVERHEAD,
      append: constant(ms(1), 'a'),
    });
    // The 4th record (3 ms) does not fit: [0, 1, 2] go at 3 ms; [3] lingers until 8 ms.
    expect(seen).toEqual(['3@4', '4@9']);
  });

  it('values count towards batch.size when consumers store them; a big record goes alone', () => {
    const { seen } = timeline([0, ms(1)], {
      linger: ms(5),
      batchSize: 1000,
      append: constant(0, 'a'),
      sizes: [2000, 10],
    });
    // Record 0 (2086 B) opens a batch alone; record 1 does not fit beside it and sends it at 1 ms.
    expect(seen).toEqual(['1@1', '2@6']);
  });

  it('linger 0 sends every record at once; acks=all adds the followers’ acknowledgement', () => {
    const { seen } = timeline([0, ms(1)], {
      linger: 0,
      batchSize: 16384,
      append: constant(ms(1), 'a'),
      ack: constant(ms(2), 'b'),
    });
    expect(seen).toEqual(['1@3', '2@4']);
  });

  it('a batch is never readable before the one sent before it to the same partition', () => {
    // Append latencies 10 ms, then 1 ms: the second batch waits for the first.
    const draws = [ms(10), ms(1)];
    const append: Sampler = { sample: () => draws.shift() as number, mean: 0 };
    const { seen } = timeline([0, ms(2)], { linger: 0, batchSize: 16384, append });
    expect(seen).toEqual(['1@10', '2@10']);
  });
});
