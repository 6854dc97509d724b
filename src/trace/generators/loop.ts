/**
 * Loops: cyclic access to a working set of `objects` keys, the textbook case where LRU gets no hit at all
 * once the working set exceeds the cache by a single object, while an optimal policy keeps most of it.
 * `order` "cyclic" repeats 0, 1, …, W−1; "sawtooth" goes up and back down, 0, …, W−1, W−1, …, 0, 0, …,
 * on which recency helps again (the turn re-reads the most recent keys).
 */
import { z } from 'zod';
import { identity, type PatternKind, patternGenerator } from './pattern.ts';
import { objectsField } from './spec.ts';

const fields = {
  objects: objectsField,
  order: z.enum(['cyclic', 'sawtooth']).default('cyclic'),
};

export const loopKind: PatternKind<typeof fields, 'loop'> = {
  name: 'loop',
  description: 'cyclic (or sawtooth) access to a working set of `objects` keys',
  fields,
  create(spec) {
    const w = spec.objects;
    const period = spec.order === 'cyclic' ? w : 2 * w;
    let pos = 0;
    return {
      objects: w,
      objectOf: identity,
      fill(out, from, n) {
        for (let i = from; i < from + n; i++) {
          out[i] = pos < w ? pos : period - 1 - pos;
          pos = pos + 1 === period ? 0 : pos + 1;
        }
      },
    };
  },
};

export const loopGenerator = patternGenerator(loopKind);
