/**
 * The one table of eviction policies. Adding a policy is one module and one line here; the replay command,
 * experiments and the differential tests all read this table.
 */
import { InputError } from '../errors.ts';
import { unknownName } from '../names.ts';
import { admittingEntry } from './admission/admitting.ts';
import { findFilter } from './admission/filters.ts';
import type { Params, ParamValue, PolicyEntry } from './api.ts';
import { arcPolicy } from './arc.ts';
import { beladyPolicy } from './belady.ts';
import { clockPolicy } from './clock.ts';
import { fifoPolicy } from './fifo.ts';
import { hyperbolicPolicy } from './hyperbolic.ts';
import { lecarPolicy } from './lecar.ts';
import { lfuPolicy } from './lfu.ts';
import { lirsPolicy } from './lirs.ts';
import { lruPolicy } from './lru.ts';
import { memcachedPolicy } from './memcached.ts';
import { qdlpPolicy } from './qdlp.ts';
import { randomPolicy } from './random.ts';
import {
  redisLfuPolicy,
  redisLruPolicy,
  redisRandomPolicy,
  redisVolatileLruPolicy,
  redisVolatileTtlPolicy,
} from './redis.ts';
import { s3fifoPolicy } from './s3fifo.ts';
import { sievePolicy } from './sieve.ts';
import { slruPolicy } from './slru.ts';
import { twoqPolicy } from './twoq.ts';
import { wtinylfuPolicy } from './wtinylfu.ts';

export const policies: readonly PolicyEntry[] = [
  fifoPolicy,
  lruPolicy,
  clockPolicy,
  sievePolicy,
  s3fifoPolicy,
  qdlpPolicy,
  randomPolicy,
  lfuPolicy,
  beladyPolicy,
  slruPolicy,
  twoqPolicy,
  arcPolicy,
  lirsPolicy,
  lecarPolicy,
  hyperbolicPolicy,
  wtinylfuPolicy,
  redisLruPolicy,
  redisLfuPolicy,
  redisRandomPolicy,
  redisVolatileLruPolicy,
  redisVolatileTtlPolicy,
  memcachedPolicy,
];

export function findPolicy(name: string): PolicyEntry {
  const n = name.toLowerCase();
  const e = policies.find((p) => p.name === n || p.aliases?.includes(n) === true);
  if (!e) {
    const names = policies.map((p) => p.name);
    throw new InputError(
      unknownName('policy', name, [...names, ...policies.flatMap((p) => p.aliases ?? [])], names),
    );
  }
  return e;
}

/** A policy with its parameters resolved: `name` or `name(key=value,…)`, then any `+filter(…)`s. */
export interface PolicySpec {
  readonly entry: PolicyEntry;
  readonly params: Params;
  /** Canonical label, e.g. "s3fifo" or "s3fifo(small=0.2)" (only non-default parameters shown). */
  readonly label: string;
}

function parseValue(raw: string, def: ParamValue, where: string): ParamValue {
  if (typeof def === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw new InputError(`${where}: expected a number, got "${raw}"`);
    return n;
  }
  if (typeof def === 'boolean') {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new InputError(`${where}: expected true or false, got "${raw}"`);
  }
  return raw;
}

/** Splits `a+b(x=1)+c` at the `+` signs outside parentheses. */
function splitPlus(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === '+' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Resolves a policy spec: `name`, `name(k=v,k=v)` or a name with an explicit parameter object (overrides),
 * optionally followed by admission filters in the same syntax, each after a `+`:
 * `lru+bloom`, `s3fifo(small=0.2)+size(maxSize=1048576)+prob(p=0.5)` (admission/filters.ts).
 * The label of a filtered spec joins the canonical labels with `+` and resolves back to the same spec.
 */
export function resolvePolicy(text: string, overrides: Readonly<Record<string, unknown>> = {}): PolicySpec {
  const [head, ...rest] = splitPlus(text);
  const base = resolveNamed(text, head, 'policy', findPolicy, overrides);
  if (rest.length === 0) return { entry: base.entry, params: base.params, label: base.label };
  const filters = rest.map((f) => resolveNamed(text, f, 'admission filter', findFilter, {}));
  const label = [base.label, ...filters.map((f) => f.label)].join('+');
  return { entry: admittingEntry(base.entry, filters, label), params: base.params, label };
}

/** Resolves one `name(k=v,…)` part of `whole` against a table (policies or admission filters). */
function resolveNamed<E extends { readonly name: string; readonly defaults: Params }>(
  whole: string,
  text: string,
  kind: string,
  find: (name: string) => E,
  overrides: Readonly<Record<string, unknown>>,
): { entry: E; params: Params; label: string } {
  const m = /^\s*([a-z0-9-]+)\s*(?:\((.*)\))?\s*$/i.exec(text);
  if (!m) throw new InputError(`${kind} "${whole}": expected name or name(key=value,...)`);
  const entry = find(m[1]);
  const params: Record<string, ParamValue> = { ...entry.defaults };
  const given: [string, string | ParamValue][] = [];
  if (m[2] !== undefined && m[2].trim() !== '') {
    for (const part of m[2].split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new InputError(`${kind} "${whole}": parameter "${part}" is not key=value`);
      given.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
  }
  for (const [k, v] of Object.entries(overrides)) given.push([k, v as ParamValue]);
  for (const [k, v] of given) {
    if (!Object.hasOwn(entry.defaults, k)) {
      const known = Object.keys(entry.defaults);
      throw new InputError(
        `${kind} ${entry.name}: unknown parameter "${k}"${known.length ? `; expected one of: ${known.join(', ')}` : ' (it takes none)'}`,
      );
    }
    const def = entry.defaults[k];
    params[k] = typeof v === 'string' ? parseValue(v, def, `${kind} ${entry.name}: ${k}`) : v;
    if (typeof params[k] !== typeof def) {
      throw new InputError(`${kind} ${entry.name}: ${k}: expected a ${typeof def}, got ${JSON.stringify(v)}`);
    }
  }
  const changed = Object.keys(params).filter((k) => params[k] !== entry.defaults[k]);
  const label = changed.length
    ? `${entry.name}(${changed.map((k) => `${k}=${params[k]}`).join(',')})`
    : entry.name;
  return { entry, params, label };
}
