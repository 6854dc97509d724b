/**
 * Config field types shared by every schema (topology, experiments, sweeps), so that a size, a duration or
 * a rate is written the same way everywhere and a mistake reads the same way everywhere:
 * `expected a size like "4GiB", got "4 gigs"` (config/load.ts adds the file and JSON pointer).
 *
 * Each field accepts what a person writes (a number or a string with a unit) and yields one plain unit:
 * sizes in bytes, durations in nanoseconds (the engine's clock, sim/time.ts), rates per second. Each also
 * carries a JSON Schema shape (zod metadata), so `cachetopo schema` lets editors check the same forms.
 * The parsing itself is not repeated here: sizes use units.ts, durations sim/time.ts, and distributions
 * are sim/distributions.ts's own schema.
 *
 * A default for one of these fields is best given in the written form with zod's `.prefault('1s')`: it is
 * parsed like a value from the file and shown as is in the JSON Schema. `.default(x)` takes the parsed
 * value (`durationField.default(1000)` is 1000 ns, not 1000 ms) and is left out of the JSON Schema.
 */
import { z } from 'zod';
import { type DistSpec, distributionSchema, durationSchema } from '../sim/distributions.ts';
import { NS_PER_SEC, parseDuration } from '../sim/time.ts';
import { parseBytes } from '../units.ts';

function got(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * A field read by `parse` (null: invalid, reported as "expected <expected>, got <value>"). Its JSON shape
 * goes under $defs/<id> of a generated JSON Schema, referred to wherever the field is used.
 */
function field<T>(
  id: string,
  expected: string,
  parse: (v: unknown) => T | null,
  json: z.core.JSONSchemaMeta,
): z.ZodType<T> {
  return z
    .unknown()
    .transform((v, ctx): T => {
      const out = parse(v);
      if (out !== null) return out;
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${got(v)}` });
      return z.NEVER;
    })
    .meta({ id, ...json });
}

/** What units.ts parseBytes accepts, as a JSON Schema (ECMA-262) pattern for editors. */
export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([bB]|[kKmMgGtT]([bB]|[iI][bB])?)?\\s*$';

const NUMBER = '(?:\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)';
const TIME_UNIT = '(?:ns|us|µs|μs|ms|s|m|h)';

/** What sim/time.ts parseDuration accepts, as a JSON Schema pattern. */
export const DURATION_PATTERN = `^\\s*${NUMBER}\\s*${TIME_UNIT}\\s*$`;

/** What rateField accepts as a string: a count per duration. */
export const RATE_PATTERN = `^\\s*${NUMBER}\\s*/\\s*${NUMBER}?\\s*${TIME_UNIT}\\s*$`;

/** Bytes: a whole number, or a string like "64MiB", "1.5GB", "4096" (fractions of a byte round down). */
export const sizeField: z.ZodType<number> = field(
  'size',
  'a size like "4GiB"',
  (v) => {
    if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
    if (typeof v !== 'string') return null;
    const n = parseBytes(v);
    return n !== null && Number.isSafeInteger(n) ? n : null;
  },
  {
    description:
      'Bytes: a whole number, or a string like "64MiB", "1.5GB" or "4096" (KiB, MiB, GiB, TiB are powers of ' +
      '1024; k/KB, M/MB, G/GB, T/TB powers of 1000)',
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: SIZE_PATTERN },
    ],
  },
);

/**
 * Nanoseconds: a number of milliseconds >= 0, or a string with a unit (ns, us, µs, ms, s, m, h). It is
 * the duration field distributions use, so every duration in a config reads alike; its JSON shape is
 * registered on that very instance (zod metadata), so it also shows inside distribution specs.
 */
export const durationField: z.ZodType<number> = durationSchema;
z.globalRegistry.add(durationSchema, {
  id: 'duration',
  description:
    'A duration: a number of milliseconds, or a string with a unit (ns, us, µs, ms, s, m, h) like "250us"',
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: DURATION_PATTERN },
  ],
});

/** A number from 0 to 1 inclusive. */
export const fractionField: z.ZodType<number> = field(
  'fraction',
  'a fraction from 0 to 1',
  (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : null),
  { type: 'number', minimum: 0, maximum: 1 },
);

/** A whole number >= 1 (counts: nodes, threads, connections). */
export const positiveInt: z.ZodType<number> = field(
  'positiveInt',
  'a whole number >= 1',
  (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : null),
  { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
);

const COUNT_PER = new RegExp(`^\\s*(${NUMBER})\\s*/(.*)$`);

function parseRate(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = COUNT_PER.exec(v);
  if (!m) return null;
  // "500/s" is per one second, "1/2s" per two: the part after the slash is a duration, its 1 implied.
  const per = parseDuration(/^\s*[\d.]/.test(m[2]) ? m[2] : `1${m[2]}`);
  const rate = per !== null && per > 0 ? (Number(m[1]) * NS_PER_SEC) / per : 0;
  return rate > 0 && Number.isFinite(rate) ? rate : null;
}

/** Events per second > 0: a number, or a count per duration like "500/s", "3/ms", "6000/m", "1/2s". */
export const rateField: z.ZodType<number> = field(
  'rate',
  'a rate > 0 per second: a number, or a string like "500/s", "3/ms" or "1/2s"',
  parseRate,
  {
    description: 'Events per second: a number > 0, or a count per duration like "500/s", "3/ms", "6000/m"',
    anyOf: [
      { type: 'number', exclusiveMinimum: 0 },
      { type: 'string', pattern: RATE_PATTERN },
    ],
  },
);

/**
 * A latency or service-time distribution spec ({"dist": "lognormal", "median": "0.1ms", "p99": "0.3ms"},
 * …), validated by sim/distributions.ts's own schema; its durations come out in nanoseconds. Used as is:
 * its cross-field problems (e.g. max < min) carry paths relative to the spec, which zod prefixes with the
 * spec's place in the config, so they are reported at the right JSON pointer.
 */
export const distributionField: z.ZodType<DistSpec> = distributionSchema;
z.globalRegistry.add(distributionSchema, {
  id: 'distribution',
  description:
    'A distribution of durations: {"dist": "constant", "value"}, "uniform" (min, max), "exponential" (mean), ' +
    '"normal" (mean, sd), "lognormal" (median, p99) or "histogram" (bounds, weights)',
});
