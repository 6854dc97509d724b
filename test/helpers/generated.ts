/** Runs a generator spec to the end and keeps every request, for tests of the synthetic workloads. */
import type { RequestSource } from '../../src/trace/api.ts';
import { findGenerator } from '../../src/trace/registry.ts';

export interface Collected {
  source: RequestSource;
  /** Dense ids. */
  key: number[];
  /** Original key numbers (the object numbers the generator drew). */
  object: number[];
  size: number[];
  op: number[];
  ttl: number[];
  time: number[];
}

export function collect(source: RequestSource): Collected {
  const c: Collected = { source, key: [], object: [], size: [], op: [], ttl: [], time: [] };
  for (let b = source.next(); b !== null; b = source.next()) {
    for (let i = 0; i < b.length; i++) {
      c.key.push(b.key[i]);
      c.size.push(b.size[i]);
      c.op.push(b.op[i]);
      c.ttl.push(b.ttl[i]);
      c.time.push(b.time[i]);
    }
  }
  c.object = c.key.map((id) => Number(source.keys.keyOf(id)));
  return c;
}

/** Opens the spec's generator with `seed` and collects all of its requests. */
export function generate(spec: { generator: string; [field: string]: unknown }, seed = 1): Collected {
  return collect(findGenerator(spec.generator).open(spec, seed, 'test.json'));
}
