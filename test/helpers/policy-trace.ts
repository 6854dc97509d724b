/**
 * Hand-written traces for policy tests: keys are single letters (a = id 0, b = 1, …) separated by spaces,
 * results come back as a string of H/M, so tests can state exact hit/miss sequences. Next-access indexes
 * are computed within each fed trace (what Belady needs), counting from the first request this policy saw.
 */
import seedrandom from 'seedrandom';
import type { EvictionPolicy, Random } from '../../src/policies/api.ts';
import { resolvePolicy } from '../../src/policies/registry.ts';

const KEYS = 26;

/** Requests fed so far per policy, so indexes keep increasing across feed calls. */
const fed = new WeakMap<EvictionPolicy, number>();

/** Creates a policy from a spec such as `clock` or `qdlp(small=0.4)`, with room for keys a..z. */
export function makePolicy(
  spec: string,
  capacity: number,
  random: Random = seedrandom.alea('policy-trace'),
): EvictionPolicy {
  const s = resolvePolicy(spec);
  const p = s.entry.create({ capacity, keySpace: KEYS, random, params: s.params });
  p.reserve(KEYS);
  return p;
}

/** Feeds space-separated letters (sizes per letter, default 1); returns H/M per request. */
export function feed(p: EvictionPolicy, trace: string, sizes: Readonly<Record<string, number>> = {}): string {
  const keys = trace.split(/\s+/).filter((k) => k !== '');
  const base = fed.get(p) ?? 0;
  const next = new Array<number>(keys.length).fill(-1);
  const last = new Map<string, number>();
  keys.forEach((k, i) => {
    const prev = last.get(k);
    if (prev !== undefined) next[prev] = base + i;
    last.set(k, i);
  });
  let out = '';
  keys.forEach((k, i) => {
    const id = k.charCodeAt(0) - 97;
    if (k.length !== 1 || id < 0 || id >= KEYS) throw new Error(`trace key "${k}" is not a letter a..z`);
    out += p.access(id, sizes[k] ?? 1, (base + i) * 1000, next[i]) ? 'H' : 'M';
  });
  fed.set(p, base + keys.length);
  p.verify();
  return out;
}

/** Letters of the cached keys, in alphabetical order. */
export function cached(p: EvictionPolicy): string {
  let s = '';
  for (let k = 0; k < KEYS; k++) if (p.contains(k)) s += String.fromCharCode(97 + k);
  return s;
}

/** H/M sequence of a fresh policy on a trace. */
export function hitMiss(spec: string, capacity: number, trace: string): string {
  return feed(makePolicy(spec, capacity), trace);
}
