/** Config field types: what each accepts, what it yields, what it says about a bad value, and its JSON shape. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DURATION_PATTERN,
  distributionField,
  durationField,
  fractionField,
  positiveInt,
  RATE_PATTERN,
  rateField,
  SIZE_PATTERN,
  sizeField,
} from '../../src/config/fields.ts';
import { parseDuration } from '../../src/sim/time.ts';
import { parseBytes } from '../../src/units.ts';

/** The parsed value, or the problem lines (pointer: message) zod reports. */
function parse(schema: z.ZodType, v: unknown): unknown {
  const r = z.strictObject({ f: schema }).safeParse({ f: v });
  return r.success ? r.data.f : r.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ');
}

describe('sizeField', () => {
  it('reads bytes from a whole number or a string with a unit', () => {
    expect(
      ['64MiB', '1.5GB', '4096', ' 4 KiB ', '1k', '2kb', '3B', '0', '1.5B', '1TiB'].map((v) =>
        parse(sizeField, v),
      ),
    ).toEqual([64 * 2 ** 20, 1.5e9, 4096, 4096, 1000, 2000, 3, 0, 1, 2 ** 40]);
    expect(parse(sizeField, 4096)).toBe(4096);
    expect(parse(sizeField, 0)).toBe(0);
  });

  it('refuses anything else with the expected form and the value given', () => {
    expect(parse(sizeField, '4 gigs')).toBe('/f: expected a size like "4GiB", got "4 gigs"');
    for (const v of [-1, 1.5, '-1KiB', '1e3', '4Ki', 'MiB', '', true, null, [1], 2 ** 60, '99999999TiB'])
      expect(parse(sizeField, v), JSON.stringify(v)).toBe(
        `/f: expected a size like "4GiB", got ${JSON.stringify(v)}`,
      );
    expect(parse(sizeField, undefined)).toBe('/f: expected a size like "4GiB", got nothing');
    expect(parse(sizeField, 'x'.repeat(50))).toBe(
      `/f: expected a size like "4GiB", got "${'x'.repeat(36)}...`,
    );
  });

  it('describes to editors exactly the strings parseBytes accepts', () => {
    const re = new RegExp(SIZE_PATTERN);
    const samples = [
      '1',
      '1.5',
      '1.',
      '.5',
      '1 B',
      '1b',
      '1k',
      '1K',
      '1kb',
      '1KB',
      '1ki',
      '1kib',
      '1KiB',
      '1Mib',
      '1gib',
      '1T',
      '1tib',
      '1x',
      '1 kb ',
      ' 2GiB',
      '1e3',
      '-1',
      '1bb',
      '1ib',
      'GiB',
      '',
      '1 2',
    ];
    for (const s of samples) expect(re.test(s), s).toBe(parseBytes(s) !== null);
  });
});

describe('durationField', () => {
  it('reads nanoseconds: numbers are milliseconds, strings carry a unit', () => {
    const cases: [unknown, number][] = [
      [5, 5e6],
      [0.25, 250_000],
      [0, 0],
      ['250us', 250_000],
      ['2.5 µs', 2500],
      ['2.5μs', 2500],
      ['3e2ns', 300],
      ['.5ms', 500_000],
      ['1.5s', 1.5e9],
      ['2m', 120e9],
      ['1h', 3600e9],
    ];
    for (const [v, ns] of cases) expect(parse(durationField, v), String(v)).toBe(ns);
  });

  it('takes a default in the written form with prefault', () => {
    expect(z.strictObject({ t: durationField.prefault('1s') }).parse({})).toEqual({ t: 1e9 });
  });

  it('refuses negative, unit-less and unknown-unit durations', () => {
    const expected =
      'expected a duration (a number of ms >= 0, or a string like "250us", "0.1ms", "2s"), got';
    for (const v of [-1, '-1ms', '5', '5 min', '1d', 'ms', '1e999s', true, null])
      expect(parse(durationField, v), String(v)).toBe(`/f: ${expected} ${JSON.stringify(v)}`);
  });

  it('describes to editors exactly the strings parseDuration accepts', () => {
    const re = new RegExp(DURATION_PATTERN);
    const samples = [
      '1ns',
      '1us',
      '1µs',
      '1μs',
      '1ms',
      '1s',
      '1m',
      '1h',
      '1.5 s',
      '.5ms',
      '1.ms',
      '3e2ns',
      '1E-3s',
      ' 2h ',
      '1',
      '1d',
      '1min',
      'ms',
      '-1s',
      '1 m s',
      '1hr',
      '.s',
    ];
    for (const s of samples) expect(re.test(s), s).toBe(parseDuration(s) !== null);
  });
});

describe('fractionField, positiveInt', () => {
  it('takes 0..1 inclusive and says so otherwise', () => {
    expect([0, 0.25, 1].map((v) => parse(fractionField, v))).toEqual([0, 0.25, 1]);
    expect(parse(fractionField, 50)).toBe('/f: expected a fraction from 0 to 1, got 50');
    expect(parse(fractionField, -0.1)).toBe('/f: expected a fraction from 0 to 1, got -0.1');
    expect(parse(fractionField, '0.5')).toBe('/f: expected a fraction from 0 to 1, got "0.5"');
  });

  it('takes whole numbers from 1', () => {
    expect([1, 64, Number.MAX_SAFE_INTEGER].map((v) => parse(positiveInt, v))).toEqual([
      1,
      64,
      Number.MAX_SAFE_INTEGER,
    ]);
    for (const v of [0, -3, 1.5, '4', 2 ** 53])
      expect(parse(positiveInt, v)).toBe(`/f: expected a whole number >= 1, got ${JSON.stringify(v)}`);
  });
});

describe('rateField', () => {
  it('reads events per second from a number or a count per duration', () => {
    const cases: [unknown, number][] = [
      [100, 100],
      [0.5, 0.5],
      ['100/s', 100],
      ['5/ms', 5000],
      ['6000/m', 100],
      ['7200 / h', 2],
      ['1/2s', 0.5],
      ['3/0.5 s', 6],
      ['1/us', 1e6],
    ];
    for (const [v, r] of cases) expect(parse(rateField, v), String(v)).toBeCloseTo(r, 9);
  });

  it('refuses zero, negative and malformed rates', () => {
    const expected =
      'expected a rate > 0 per second: a number, or a string like "500/s", "3/ms" or "1/2s", got';
    for (const v of [0, -5, '0/s', '100', '100/', '100/0s', '100/d', 's/100', '-1/s', true])
      expect(parse(rateField, v), String(v)).toBe(`/f: ${expected} ${JSON.stringify(v)}`);
  });

  it('describes to editors exactly the strings it accepts', () => {
    const re = new RegExp(RATE_PATTERN);
    for (const s of [
      '100/s',
      '5/ms',
      '1/2s',
      '3/0.5 s',
      '7200 / h',
      '1e3/m',
      '100',
      '100/',
      's/100',
      '100/d',
      '-1/s',
      '1/-2s',
    ])
      expect(re.test(s), s).toBe(typeof parse(rateField, s) === 'number');
  });
});

describe('distributionField', () => {
  it('is the simulator distribution spec, durations in nanoseconds', () => {
    expect(parse(distributionField, { dist: 'lognormal', median: '0.1ms', p99: 0.3 })).toEqual({
      dist: 'lognormal',
      median: 100_000,
      p99: 300_000,
    });
  });

  it('reports its problems at their path inside the config', () => {
    const schema = z.strictObject({ tiers: z.array(z.strictObject({ service: distributionField })) });
    const r = schema.safeParse({
      tiers: [
        { service: { dist: 'normal', mean: '1ms', sd: 1 } },
        { service: { dist: 'uniform', min: 5, max: 1 } },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['tiers', 1, 'service', 'max'], 'expected max >= min'],
    ]);
  });
});

describe('JSON shapes', () => {
  it('puts each field form under $defs once and refers to it, durations inside distributions too', () => {
    const schema = z.strictObject({
      size: sizeField,
      d: distributionField,
      share: fractionField,
      n: positiveInt,
      rate: rateField.optional(),
      t: durationField.meta({ description: 'a timeout' }),
    });
    const json = z.toJSONSchema(schema, { io: 'input' }) as {
      properties: Record<string, unknown>;
      $defs: Record<string, { anyOf?: unknown[]; oneOf?: { properties: Record<string, unknown> }[] }>;
    };
    expect(json.properties).toEqual({
      size: { $ref: '#/$defs/size' },
      d: { $ref: '#/$defs/distribution' },
      share: { $ref: '#/$defs/fraction' },
      n: { $ref: '#/$defs/positiveInt' },
      rate: { $ref: '#/$defs/rate' },
      t: { description: 'a timeout', $ref: '#/$defs/duration' },
    });
    expect(json.$defs.size.anyOf).toEqual([
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: SIZE_PATTERN },
    ]);
    expect(json.$defs.fraction).toMatchObject({ type: 'number', minimum: 0, maximum: 1 });
    expect(json.$defs.positiveInt).toMatchObject({ type: 'integer', minimum: 1 });
    expect(json.$defs.rate.anyOf?.[1]).toEqual({ type: 'string', pattern: RATE_PATTERN });
    expect(json.$defs.duration.anyOf).toEqual([
      { type: 'number', minimum: 0 },
      { type: 'string', pattern: DURATION_PATTERN },
    ]);
    expect(json.$defs.distribution.oneOf?.[0].properties.value).toEqual({ $ref: '#/$defs/duration' });
  });
});
