/**
 * Synthetic workload generators: determinism per seed, the exact sequences of scan and loop, the moving
 * hot set, mixes and phases, trace info, presets and spec validation.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { BATCH_SIZE, OP_GET } from '../../src/trace/api.ts';
import { presets } from '../../src/trace/generators/presets.ts';
import { findGenerator } from '../../src/trace/registry.ts';
import { openGenerator } from '../../src/trace/workload.ts';
import { collect, generate } from '../helpers/generated.ts';

const full = {
  sizes: { dist: 'lognormal', mu: 6, sigma: 1 },
  ops: { get: 0.8, set: 0.15, delete: 0.05 },
  ttl: { dist: 'uniform', min: 10, max: 100, fraction: 0.5 },
  arrivals: { process: 'bursty', rate: 1000, on: 1, off: 2 },
};

const specs: Record<string, { generator: string; [field: string]: unknown }> = {
  zipf: { generator: 'zipf', requests: 70_000, objects: 500, alpha: 0.8, ...full },
  uniform: { generator: 'uniform', requests: 70_000, objects: 500, ...full },
  scan: { generator: 'scan', requests: 70_000, objects: 500, runLength: 30, ...full },
  loop: { generator: 'loop', requests: 1000, objects: 500, ...full },
  hotset: {
    generator: 'hotset',
    requests: 70_000,
    objects: 500,
    hotObjects: 50,
    hotFraction: 0.9,
    shiftEvery: 1000,
    ...full,
  },
  mix: {
    generator: 'mix',
    ...full,
    components: [
      { spec: { generator: 'zipf', objects: 300, alpha: 1 } },
      { spec: { generator: 'uniform', objects: 300 } },
    ],
    phases: [
      { requests: 40_000, weights: [1, 1] },
      { requests: 30_000, weights: [0, 1] },
    ],
  },
};

function count<T>(xs: readonly T[], pred: (x: T, i: number) => boolean): number {
  let n = 0;
  xs.forEach((x, i) => {
    if (pred(x, i)) n++;
  });
  return n;
}

describe('determinism', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`${name}: the same seed gives the same requests, another seed other keys`, () => {
      const a = generate(spec, 7);
      const b = generate(spec, 7);
      expect(b).toEqual({ ...a, source: b.source });
      expect(b.object).toEqual(a.object);
      const c = generate(spec, 8);
      if (name !== 'loop') expect(c.object).not.toEqual(a.object);
      expect(c.time).not.toEqual(a.time);
    });
  }

  it('each concern has its own stream: changing sizes, ops or arrivals leaves the keys alone', () => {
    const base = { generator: 'zipf', requests: 5000, objects: 1000, alpha: 0.9 };
    const keys = generate(base).object;
    expect(generate({ ...base, sizes: { dist: 'pareto', scale: 10, shape: 2 } }).object).toEqual(keys);
    const arrivals = { process: 'poisson', rate: 3 };
    expect(generate({ ...base, arrivals }).object).toEqual(keys);
    const ttl = { dist: 'constant', value: 5 };
    expect(generate({ ...base, arrivals, ops: { get: 0.5, set: 0.5 }, ttl }).object).toEqual(keys);
    expect(generate({ ...base, alpha: 0.7 }).object).not.toEqual(keys);
  });

  it('an object keeps one size, drawn from its key and the seed, whatever order objects appear in', () => {
    const sizes = { dist: 'uniform', min: 1, max: 1_000_000 };
    const a = generate({ generator: 'uniform', requests: 20_000, objects: 300, sizes });
    const sizeOf = new Map<number, number>();
    a.object.forEach((o, i) => {
      if (!sizeOf.has(o)) sizeOf.set(o, a.size[i]);
      expect(a.size[i]).toBe(sizeOf.get(o));
    });
    // The scan meets the same objects in another order; they keep their sizes.
    const b = generate({ generator: 'scan', requests: 300, objects: 300, sizes });
    expect(b.size).toEqual(b.object.map((o) => sizeOf.get(o)));
  });
});

describe('key patterns', () => {
  it('scan: 0, 1, …, objects−1, again and again; dense ids in order of first appearance', () => {
    const c = generate({ generator: 'scan', requests: 12, objects: 5 });
    expect(c.object).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
    expect(c.key).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
    expect(c.source.keys.size).toBe(5);
  });

  it('scan with runLength: runs of consecutive keys (wrapping) from random starts', () => {
    const c = generate({ generator: 'scan', requests: 4000, objects: 100, runLength: 8 });
    const starts = new Set<number>();
    for (let r = 0; r < 500; r++) {
      const start = c.object[8 * r];
      starts.add(start);
      for (let j = 1; j < 8; j++) expect(c.object[8 * r + j]).toBe((start + j) % 100);
    }
    expect(starts.size).toBeGreaterThan(90); // 500 uniform starts over 100 keys miss almost none
  });

  it('loop: cyclic and sawtooth orders', () => {
    expect(generate({ generator: 'loop', requests: 8, objects: 3 }).object).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
    expect(generate({ generator: 'loop', requests: 9, objects: 3, order: 'sawtooth' }).object).toEqual([
      0, 1, 2, 2, 1, 0, 0, 1, 2,
    ]);
  });

  it('hotset: hotFraction of requests go to the window, which moves by shiftBy every shiftEvery', () => {
    const spec = {
      generator: 'hotset',
      requests: 40_000,
      objects: 1000,
      hotObjects: 100,
      hotFraction: 0.9,
      shiftEvery: 10_000,
      shiftBy: 450,
    };
    const c = generate(spec);
    const windows = [
      [0, 100],
      [450, 550],
      [900, 1000],
      [350, 450], // 1350 wraps to 350
    ];
    windows.forEach(([lo, hi], w) => {
      const part = c.object.slice(w * 10_000, (w + 1) * 10_000);
      const hot = count(part, (o) => o >= lo && o < hi);
      expect(hot / 10_000).toBeGreaterThan(0.88);
      expect(hot / 10_000).toBeLessThan(0.92);
      // ~1000 cold requests spread over the other 900 keys reach ~900·(1 − e^(−1000/900)) ≈ 604 of them.
      expect(new Set(part.filter((o) => o < lo || o >= hi)).size).toBeGreaterThan(550);
    });
  });

  it('uniform: every key in range, each close to an equal share', () => {
    const c = generate({ generator: 'uniform', requests: 100_000, objects: 10 });
    for (let k = 0; k < 10; k++) {
      const n = count(c.object, (o) => o === k);
      expect(Math.abs(n - 10_000)).toBeLessThan(500); // 5 sd of a binomial(1e5, 0.1)
    }
  });
});

describe('mix', () => {
  it('interleaves components by weight, in disjoint key ranges, each keeping its own order', () => {
    const c = generate({
      generator: 'mix',
      requests: 30_000,
      components: [
        { weight: 2, spec: { generator: 'scan', objects: 1000 } },
        { weight: 1, spec: { generator: 'loop', objects: 7 } },
      ],
    });
    const scan = c.object.filter((o) => o < 1000);
    const loop = c.object.filter((o) => o >= 1000);
    expect(scan.length / 30_000).toBeCloseTo(2 / 3, 1);
    expect(scan.slice(0, 1500)).toEqual(Array.from({ length: 1500 }, (_, i) => i % 1000));
    expect(loop.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => 1000 + (i % 7)));
    expect(Math.max(...loop)).toBe(1006);
  });

  it('phases change the weights; components resume where they were; offsets can overlap ranges', () => {
    const c = generate({
      generator: 'mix',
      components: [
        { spec: { generator: 'scan', objects: 50 } },
        { spec: { generator: 'scan', objects: 50 }, offset: 0 },
      ],
      phases: [
        { requests: 30, weights: [1, 0] },
        { requests: 30, weights: [0, 1] },
        { requests: 30, weights: [1, 0] },
      ],
    });
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    expect(c.object).toEqual([...range(0, 30), ...range(0, 30), ...range(30, 50), ...range(0, 10)]);
    // Overlapping ranges are the same keys, so the same dense ids.
    expect(c.source.keys.size).toBe(50);
  });
});

describe('source', () => {
  it('reports info, provenance, progress and batches of at most BATCH_SIZE', () => {
    const spec = { generator: 'zipf', requests: BATCH_SIZE + 10, objects: 100, alpha: 1 };
    const src = findGenerator('zipf').open(spec, 42, 'x.json');
    expect(src.info).toMatchObject({
      format: 'zipf',
      hasTime: false,
      hasSize: false,
      hasOp: false,
      hasTtl: false,
      hasNext: false,
      keyKind: 'u64',
      requests: BATCH_SIZE + 10,
      provenance: { kind: 'generator', spec, seed: 42 },
    });
    expect(src.progress()).toEqual({ done: 0, total: BATCH_SIZE + 10 });
    const b = src.next();
    expect(b?.length).toBe(BATCH_SIZE);
    expect(b?.op.every((o) => o === OP_GET)).toBe(true);
    expect(b?.size.every((s) => s === 1)).toBe(true);
    expect(src.progress().done).toBe(BATCH_SIZE);
    expect(src.next()?.length).toBe(10);
    expect(src.next()).toBeNull();
    const all = generate(specs.mix);
    expect(all.source.info).toMatchObject({ hasTime: true, hasSize: true, hasOp: true, hasTtl: true });
  });

  it('the seed argument overrides the spec seed; the spec seed is the default', () => {
    const spec = { generator: 'uniform', requests: 50, objects: 1000, seed: 5 };
    const a = collect(openGenerator(spec, 'x'));
    expect(a.object).toEqual(generate(spec, 5).object);
    expect(collect(openGenerator(spec, 'x', 6)).object).toEqual(generate(spec, 6).object);
  });
});

describe('presets', () => {
  it('zipf-small is the README default: 100k requests over 10k objects, alpha 0.9', () => {
    expect(presets['zipf-small']).toMatchObject({
      generator: 'zipf',
      requests: 100_000,
      objects: 10_000,
      alpha: 0.9,
    });
  });

  for (const [name, spec] of Object.entries(presets)) {
    it(`${name} is valid and yields its first batch`, () => {
      const src = openGenerator(spec, `preset ${name}`);
      expect(src.next()?.length).toBe(Math.min(BATCH_SIZE, src.info.requests ?? 0));
    });
  }
});

describe('spec validation', () => {
  function problems(spec: unknown, generator = (spec as { generator: string }).generator): string[] {
    try {
      findGenerator(generator).open(spec, 1, 'w.json');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const err = e as InputError;
      return [err.message, ...err.more];
    }
    throw new Error('expected an InputError');
  }

  it('lists every bad field, with its path, what was expected and what was given', () => {
    const lines = problems({
      generator: 'zipf',
      requests: 1.5,
      objects: 0,
      alpha: 'big',
      colour: 'red',
      sizes: { dist: 'gamma' },
      ops: { get: 0.5, set: 0.2 },
      arrivals: { process: 'poisson', rate: 10, burst: 3 },
    });
    expect(lines).toEqual([
      'w.json: /objects: expected >= 1, got 0',
      'w.json: /alpha: expected a number, got "big"',
      'w.json: /requests: expected an integer, got 1.5',
      'w.json: /sizes/dist: expected "constant" or "uniform" or "lognormal" or "pareto", got "gamma"',
      'w.json: /ops: expected get + set + delete = 1, got 0.7',
      'w.json: /arrivals/burst: unknown field, expected one of process, rate',
      'w.json: /colour: unknown field, expected one of objects, alpha, generator, seed, requests, sizes, ops, ttl, arrivals, comment',
    ]);
  });

  it('checks across fields once those fields are valid', () => {
    expect(
      problems({
        generator: 'hotset',
        requests: 10,
        objects: 10,
        hotObjects: 10,
        hotFraction: 0.5,
        sizes: { dist: 'uniform', min: 9, max: 3 },
        ttl: { dist: 'constant', value: 60 },
      }),
    ).toEqual([
      'w.json: /sizes/max: expected max >= min (9), got 3',
      'w.json: /hotObjects: expected < objects (10), got 10',
      'w.json: /ttl: expected ops.set > 0 (TTLs are carried by sets), got 0',
      'w.json: /ttl: expected arrivals beside it (TTLs expire in arrival time), got none',
    ]);
    expect(problems({ generator: 'scan', requests: 1, objects: 5, runLength: 6 })).toEqual([
      'w.json: /runLength: expected <= objects (5), got 6',
    ]);
  });

  it('checks mixes: component specs, weights, phases and the request count', () => {
    const lines = problems({
      generator: 'mix',
      requests: 5,
      components: [
        { weight: 1, spec: { generator: 'zipf', objects: 10 } },
        { spec: { generator: 'loop', objects: 10, sizes: { dist: 'constant', value: 1 } } },
        { spec: { generator: 'mix' } },
      ],
      phases: [{ requests: 10, weights: [1, 1] }],
    });
    expect(lines).toEqual([
      'w.json: /components/0/spec/alpha: expected a number, got nothing',
      'w.json: /components/1/spec/sizes: unknown field, expected one of objects, order, generator, comment',
      'w.json: /components/2/spec/generator: expected "zipf" or "uniform" or "scan" or "loop" or "hotset", got "mix"',
      'w.json: /phases/0/weights: expected 3 weights (one per component), got 2',
      "w.json: /requests: expected the phases' total 10 (or nothing), got 5",
    ]);
    expect(
      problems({
        generator: 'mix',
        components: [
          { weight: 0, spec: { generator: 'uniform', objects: 3 } },
          { spec: { generator: 'uniform', objects: 3 } },
        ],
      }),
    ).toEqual([
      'w.json: /components/1/weight: expected a weight (there are no phases), got nothing',
      'w.json: /requests: expected an integer, got nothing',
    ]);
  });

  it('rejects a spec that is not an object, and a generator name that does not match', () => {
    expect(problems(7, 'uniform')).toEqual(['w.json: /: expected an object, got 7']);
    expect(problems({ generator: 'zipf', requests: 1, objects: 1 }, 'uniform')).toEqual([
      'w.json: /generator: expected "uniform", got "zipf"',
    ]);
  });
});
