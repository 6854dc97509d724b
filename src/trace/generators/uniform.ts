/** Uniform popularity: every one of `objects` keys equally likely on every request (the no-locality baseline). */
import { identity, type PatternKind, patternGenerator } from './pattern.ts';
import { objectsField } from './spec.ts';

const fields = { objects: objectsField };

export const uniformKind: PatternKind<typeof fields, 'uniform'> = {
  name: 'uniform',
  description: 'every one of `objects` keys equally likely',
  fields,
  create(spec, streams) {
    const rng = streams.get('popularity');
    const objects = spec.objects;
    return {
      objects,
      objectOf: identity,
      fill(out, from, n) {
        for (let i = from; i < from + n; i++) out[i] = Math.floor(rng.double() * objects);
      },
    };
  },
};

export const uniformGenerator = patternGenerator(uniformKind);
