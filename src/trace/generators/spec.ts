/**
 * Generator spec validation. Specs are JSON objects checked with zod; unknown fields are errors, and every
 * problem is reported at once as one line `<where>: /path/to/field: expected …, got …` (the first in the
 * InputError's message, the rest in `more`). This module holds the fields every generator shares; each
 * generator adds its own (see pattern.ts, mix.ts).
 */
import { z } from 'zod';
import { InputError } from '../../errors.ts';
import { type ArrivalsSpec, arrivalsSchema } from './arrivals.ts';
import { type ValueDist, valueDist } from './distributions.ts';
import { type OpsSpec, opsSchema, type TtlSpec, ttlSchema } from './ops.ts';

/**
 * The largest key space a generator may have. Its tables and the key map cost ~60 bytes an object, so the
 * limit is ~6 GB; it mostly catches typos.
 */
export const MAX_OBJECTS = 100_000_000;

export const objectsField = z.number().int().min(1).max(MAX_OBJECTS);

/** Fields of a whole spec other than the key pattern's own. */
export const requestFields = {
  seed: z.number().int().optional(),
  requests: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  sizes: valueDist.optional(),
  ops: opsSchema.optional(),
  ttl: ttlSchema.optional(),
  arrivals: arrivalsSchema.optional(),
  comment: z.string().optional(),
};

/** What the generated source needs from a parsed spec, whatever the generator. */
export interface RequestSpec {
  requests: number;
  sizes?: ValueDist;
  ops?: OpsSpec;
  ttl?: TtlSpec;
  arrivals?: ArrivalsSpec;
}

/** A problem found by a cross-field check: a path below the spec's root and what was expected. */
export interface Problem {
  path: (string | number)[];
  message: string;
}

/**
 * Adds a check across fields. zod runs an object's refinements only when the whole object is valid; this
 * one runs as soon as the fields it `reads` are, so its problems are reported beside the others.
 */
export function crossCheck<T extends z.ZodType>(
  schema: T,
  reads: readonly string[],
  check: (value: z.output<T>) => Problem[],
): T {
  return schema.superRefine(
    (value, ctx) => {
      for (const p of check(value)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    },
    { when: (payload) => !payload.issues.some((i) => reads.includes(String(i.path?.[0]))) },
  );
}

/** The fields ttlProblems reads. */
export const ttlReads = ['ttl', 'ops', 'arrivals'];

/** TTLs are carried by sets and count in arrival time: without either they would silently do nothing. */
export function ttlProblems(v: Pick<RequestSpec, 'ttl' | 'ops' | 'arrivals'>): Problem[] {
  if (v.ttl === undefined) return [];
  const out: Problem[] = [];
  const set = v.ops?.set ?? 0;
  if (set <= 0)
    out.push({ path: ['ttl'], message: `expected ops.set > 0 (TTLs are carried by sets), got ${set}` });
  if (v.arrivals === undefined) {
    out.push({
      path: ['ttl'],
      message: 'expected arrivals beside it (TTLs expire in arrival time), got none',
    });
  }
  return out;
}

function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  const s = JSON.stringify(x);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const typeNames: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'true or false',
};

/** An RFC 6901 JSON pointer ("~" and "/" inside a key are written "~0" and "~1"). */
function pointer(path: readonly PropertyKey[]): string {
  return `/${path.map((k) => String(k).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

/** Of a plain union's options, the object schema whose fields include the most of `input`'s keys. */
function objectOptionFor(options: readonly z.core.$ZodType[], input: unknown): z.core.$ZodType | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const keys = Object.keys(input);
  let best: z.core.$ZodType | undefined;
  let bestKnown = -1;
  for (const o of options) {
    if (o._zod.def.type !== 'object') continue;
    const shape = (o._zod.def as z.core.$ZodObjectDef).shape;
    const known = keys.filter((k) => Object.hasOwn(shape, k)).length;
    if (known > bestKnown) {
      best = o;
      bestKnown = known;
    }
  }
  return best;
}

/** The fields the object schema at `path` accepts, for "unknown field" messages ([] if it cannot tell). */
function knownFields(schema: z.core.$ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let s = schema;
  let v = input;
  let i = 0;
  const step = (next: z.core.$ZodType | undefined): boolean => {
    if (!next) return false;
    v = (v as Record<PropertyKey, unknown> | undefined)?.[path[i++]];
    s = next;
    return true;
  };
  for (;;) {
    const def = s._zod.def;
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'nullable':
        s = (def as z.core.$ZodOptionalDef).innerType;
        break;
      case 'pipe':
        // A transformed schema: the path is in what the user wrote, the pipe's input side.
        s = (def as z.core.$ZodPipeDef).in;
        break;
      case 'union': {
        const options = (def as z.core.$ZodUnionDef).options;
        const disc = (def as z.core.$ZodDiscriminatedUnionDef).discriminator;
        const tag = (v as Record<string, unknown> | undefined)?.[disc];
        // A discriminated union: follow the variant the input's discriminator selects; a plain one: the
        // object option that knows the most of the input's keys.
        const variant = disc
          ? options.find((o) => o._zod.propValues?.[disc]?.has(tag as never))
          : objectOptionFor(options, v);
        if (!variant) return [];
        s = variant;
        break;
      }
      case 'object':
        if (i === path.length) return Object.keys((def as z.core.$ZodObjectDef).shape);
        if (!step((def as z.core.$ZodObjectDef).shape[String(path[i])])) return [];
        break;
      case 'array':
        if (!step((def as z.core.$ZodArrayDef).element)) return [];
        break;
      case 'record':
        if (!step((def as z.core.$ZodRecordDef).valueType)) return [];
        break;
      default:
        return [];
    }
  }
}

/** One line per problem (an unrecognized_keys issue gives one per key), each `/json/pointer: expected …`. */
export function describeIssue(schema: z.core.$ZodType, input: unknown, issue: z.core.$ZodIssue): string[] {
  const at = pointer(issue.path);
  const got = show(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return [`${at}: expected ${typeNames[issue.expected] ?? issue.expected}, got ${got}`];
    case 'too_small':
      return [`${at}: expected ${issue.inclusive ? '>=' : '>'} ${issue.minimum}, got ${got}`];
    case 'too_big':
      return [`${at}: expected ${issue.inclusive ? '<=' : '<'} ${issue.maximum}, got ${got}`];
    case 'invalid_value':
      return [`${at}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${got}`];
    case 'unrecognized_keys': {
      const known = knownFields(schema, issue.path, input);
      const expected = known.length > 0 ? `expected one of ${known.join(', ')}` : 'expected no such field';
      return issue.keys.map((k) => `${pointer([...issue.path, k])}: unknown field, ${expected}`);
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (issue.discriminator !== undefined && options !== undefined) {
        const value = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        const expected = options.map((o) => JSON.stringify(o)).join(' or ');
        return [`${at}: expected ${expected}, got ${show(value)}`];
      }
      return [`${at}: ${issue.message}, got ${got}`];
    }
    case 'custom':
      return [`${at}: ${issue.message}`];
    default:
      return [`${at}: ${issue.message}, got ${got}`];
  }
}

/** Parses `spec` or throws one InputError listing every problem, each prefixed with `where`. */
export function parseSpec<T extends z.ZodType>(schema: T, spec: unknown, where: string): z.output<T> {
  const r = schema.safeParse(spec, { reportInput: true });
  if (r.success) return r.data;
  const lines = r.error.issues.flatMap((i) => describeIssue(schema, spec, i)).map((l) => `${where}: ${l}`);
  throw new InputError(lines[0], lines.slice(1));
}
