/**
 * The one table of eviction policies. Adding a policy is one module and one line here; the replay command,
 * experiments and the differential tests all read this table.
 */
import { InputError } from '../errors.ts';
import type { Params, ParamValue, PolicyEntry } from './api.ts';
import { arcPolicy } from './arc.ts';
import { beladyPolicy } from './belady.ts';
import { clockPolicy } from './clock.ts';
import { fifoPolicy } from './fifo.ts';
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
  redisLruPolicy,
  redisLfuPolicy,
  redisRandomPolicy,
  redisVolatileLruPolicy,
  redisVolatileTtlPolicy,
  memcachedPolicy,
];

export function findPolicy(name: string): PolicyEntry {
  const e = policies.find((p) => p.name === name.toLowerCase());
  if (!e)
    throw new InputError(
      `unknown policy "${name}"; expected one of: ${policies.map((p) => p.name).join(', ')}`,
    );
  return e;
}

/** A policy with its parameters resolved: `name` or `name(key=value,…)` on the command line. */
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

/** Resolves `name`, `name(k=v,k=v)` or a name with an explicit parameter object. */
export function resolvePolicy(text: string, overrides: Readonly<Record<string, unknown>> = {}): PolicySpec {
  const m = /^\s*([a-z0-9-]+)\s*(?:\((.*)\))?\s*$/i.exec(text);
  if (!m) throw new InputError(`policy "${text}": expected name or name(key=value,...)`);
  const entry = findPolicy(m[1]);
  const params: Record<string, ParamValue> = { ...entry.defaults };
  const given: [string, string | ParamValue][] = [];
  if (m[2] !== undefined && m[2].trim() !== '') {
    for (const part of m[2].split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new InputError(`policy "${text}": parameter "${part}" is not key=value`);
      given.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
  }
  for (const [k, v] of Object.entries(overrides)) given.push([k, v as ParamValue]);
  for (const [k, v] of given) {
    if (!Object.hasOwn(entry.defaults, k)) {
      const known = Object.keys(entry.defaults);
      throw new InputError(
        `policy ${entry.name}: unknown parameter "${k}"${known.length ? `; expected one of: ${known.join(', ')}` : ' (it takes none)'}`,
      );
    }
    const def = entry.defaults[k];
    params[k] = typeof v === 'string' ? parseValue(v, def, `policy ${entry.name}: ${k}`) : v;
    if (typeof params[k] !== typeof def) {
      throw new InputError(`policy ${entry.name}: ${k}: expected a ${typeof def}, got ${JSON.stringify(v)}`);
    }
  }
  const changed = Object.keys(params).filter((k) => params[k] !== entry.defaults[k]);
  const label = changed.length
    ? `${entry.name}(${changed.map((k) => `${k}=${params[k]}`).join(',')})`
    : entry.name;
  return { entry, params, label };
}
