/**
 * A moving hot set: a window of `hotObjects` consecutive keys receives `hotFraction` of the requests
 * (uniformly within it); the rest go uniformly to the keys outside it. Every `shiftEvery` requests the
 * window moves `shiftBy` keys up (default: by its own size, a fresh hot set), wrapping around the key space
 * — the working-set changes that adaptive policies must follow. Without `shiftEvery` it never moves.
 * In a mix, `shiftEvery` counts the component's own requests.
 */
import { z } from 'zod';
import { identity, type PatternKind, patternGenerator } from './pattern.ts';
import { objectsField } from './spec.ts';

const fields = {
  objects: objectsField,
  hotObjects: objectsField,
  hotFraction: z.number().min(0).max(1),
  shiftEvery: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  shiftBy: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
};

export const hotsetKind: PatternKind<typeof fields, 'hotset'> = {
  name: 'hotset',
  description: 'a window of `hotObjects` keys gets `hotFraction` of requests and moves every `shiftEvery`',
  fields,
  check: (s) =>
    s.hotObjects >= s.objects
      ? [{ path: ['hotObjects'], message: `expected < objects (${s.objects}), got ${s.hotObjects}` }]
      : [],
  create(spec, streams) {
    const { objects, hotObjects, hotFraction } = spec;
    const cold = objects - hotObjects;
    const shiftEvery = spec.shiftEvery ?? Number.POSITIVE_INFINITY;
    const shiftBy = (spec.shiftBy ?? hotObjects) % objects;
    const rng = streams.get('popularity');
    let start = 0;
    let untilShift = shiftEvery;
    return {
      objects,
      objectOf: identity,
      fill(out, from, n) {
        for (let i = from; i < from + n; i++) {
          if (untilShift === 0) {
            start = (start + shiftBy) % objects;
            untilShift = shiftEvery;
          }
          untilShift--;
          const k =
            rng() < hotFraction
              ? Math.floor(rng.double() * hotObjects)
              : hotObjects + Math.floor(rng.double() * cold);
          const obj = start + k;
          out[i] = obj >= objects ? obj - objects : obj;
        }
      },
    };
  },
};

export const hotsetGenerator = patternGenerator(hotsetKind);
