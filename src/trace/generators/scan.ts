/**
 * Scans: sequential reads of consecutive keys, the pattern of backups, analytics jobs and range queries
 * that floods recency-based caches with objects read once. Without `runLength`, one endless scan over the
 * key space: 0, 1, …, objects−1, 0, 1, … With `runLength`, runs of that many consecutive keys (wrapping
 * at the end of the key space), each starting at a uniformly drawn key.
 */
import { identity, type PatternKind, patternGenerator } from './pattern.ts';
import { objectsField } from './spec.ts';

const fields = { objects: objectsField, runLength: objectsField.optional() };

export const scanKind: PatternKind<typeof fields, 'scan'> = {
  name: 'scan',
  description: 'sequential passes over the key space, or runs of `runLength` keys from random starts',
  fields,
  check: (s) =>
    s.runLength !== undefined && s.runLength > s.objects
      ? [{ path: ['runLength'], message: `expected <= objects (${s.objects}), got ${s.runLength}` }]
      : [],
  create(spec, streams) {
    const objects = spec.objects;
    let pos = 0;
    if (spec.runLength === undefined) {
      return {
        objects,
        objectOf: identity,
        fill(out, from, n) {
          for (let i = from; i < from + n; i++) {
            out[i] = pos;
            pos = pos + 1 === objects ? 0 : pos + 1;
          }
        },
      };
    }
    const runLength = spec.runLength;
    const rng = streams.get('popularity');
    let left = 0;
    return {
      objects,
      objectOf: identity,
      fill(out, from, n) {
        for (let i = from; i < from + n; i++) {
          if (left === 0) {
            pos = Math.floor(rng.double() * objects);
            left = runLength;
          }
          out[i] = pos;
          pos = pos + 1 === objects ? 0 : pos + 1;
          left--;
        }
      },
    };
  },
};

export const scanGenerator = patternGenerator(scanKind);
