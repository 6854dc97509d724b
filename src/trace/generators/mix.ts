/**
 * Mixtures of key patterns, interleaved per request and/or in phases.
 *
 * `components` lists key patterns (the spec of a zipf, uniform, scan, loop or hotset generator, without
 * request fields: sizes, ops, TTLs and arrivals are the mix's, for all of its requests). Each request picks
 * one component at random by weight (stream "mix") and takes that component's next key, so every
 * component's own sequence is the one it would produce alone: a scan stays sequential however it is diluted.
 *
 * Without `phases`, the weights are the components' `weight` fields and the mix has `requests` requests.
 * With `phases`, the requests are a sequence of phases, each with its own count and `weights` (one per
 * component, 0 to silence one); components keep their state across phases (a scan resumes where it was).
 *
 * Key spaces: component i's object numbers are shifted by its `offset`, by default the end of the previous
 * component's range, so components are disjoint; equal offsets make them overlap (same keys, and — since
 * sizes are drawn per key — the same sizes).
 */
import { z } from 'zod';
import { BATCH_SIZE } from '../api.ts';
import type { GeneratorEntry } from '../registry.ts';
import { hotsetKind } from './hotset.ts';
import { loopKind } from './loop.ts';
import { type KeyPattern, kindSchema } from './pattern.ts';
import { type Rng, Streams } from './rng.ts';
import { scanKind } from './scan.ts';
import { generatedSource } from './source.ts';
import {
  crossCheck,
  MAX_OBJECTS,
  type Problem,
  parseSpec,
  requestFields,
  ttlProblems,
  ttlReads,
} from './spec.ts';
import { uniformKind } from './uniform.ts';
import { zipfKind } from './zipf.ts';

const comment = { comment: z.string().optional() };

const component = z.strictObject({
  spec: z.discriminatedUnion('generator', [
    kindSchema(zipfKind, comment),
    kindSchema(uniformKind, comment),
    kindSchema(scanKind, comment),
    kindSchema(loopKind, comment),
    kindSchema(hotsetKind, comment),
  ]),
  weight: z.number().min(0).optional(),
  offset: z.number().int().min(0).max(MAX_OBJECTS).optional(),
});

const phase = z.strictObject({
  requests: requestFields.requests,
  weights: z.array(z.number().min(0)).min(1),
  comment: z.string().optional(),
});

const fields = z.strictObject({
  generator: z.literal('mix'),
  ...requestFields,
  requests: requestFields.requests.optional(),
  components: z.array(component).min(1).max(64),
  phases: z.array(phase).min(1).optional(),
});
type MixSpec = z.output<typeof fields>;
type Component = z.output<typeof component>;

/** Where each component's keys start: its own offset, or the end of the previous range. */
function offsets(components: readonly Component[]): number[] {
  let end = 0;
  return components.map((c) => {
    const start = c.offset ?? end;
    end = start + c.spec.objects;
    return start;
  });
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Checks of the components' sizes, and of their weights when there are no phases. */
function componentProblems(m: MixSpec): Problem[] {
  const out: Problem[] = [];
  const cs = m.components;
  const total = sum(cs.map((c) => c.spec.objects));
  if (total > MAX_OBJECTS) {
    out.push({
      path: ['components'],
      message: `expected at most ${MAX_OBJECTS} objects in all, got ${total}`,
    });
  }
  cs.forEach((c, i) => {
    if (m.phases === undefined && c.weight === undefined) {
      out.push({
        path: ['components', i, 'weight'],
        message: 'expected a weight (there are no phases), got nothing',
      });
    }
    if (m.phases !== undefined && c.weight !== undefined) {
      out.push({
        path: ['components', i, 'weight'],
        message: `expected no weight (phases give them), got ${c.weight}`,
      });
    }
  });
  if (
    m.phases === undefined &&
    cs.every((c) => c.weight !== undefined) &&
    sum(cs.map((c) => c.weight ?? 0)) <= 0
  ) {
    out.push({ path: ['components'], message: 'expected a positive weight somewhere, got all 0' });
  }
  return out;
}

/** Checks of the request count and the phases; only the number of components is read from them. */
function phaseProblems(m: MixSpec): Problem[] {
  if (m.phases === undefined) {
    return m.requests === undefined
      ? [{ path: ['requests'], message: 'expected an integer, got nothing' }]
      : [];
  }
  const out: Problem[] = [];
  // Components may be invalid here (this check does not wait for them); their count is still known.
  const count = Array.isArray(m.components) ? m.components.length : null;
  m.phases.forEach((p, i) => {
    if (count !== null && p.weights.length !== count) {
      const message = `expected ${count} weights (one per component), got ${p.weights.length}`;
      out.push({ path: ['phases', i, 'weights'], message });
    } else if (sum(p.weights) <= 0) {
      out.push({
        path: ['phases', i, 'weights'],
        message: 'expected a positive weight somewhere, got all 0',
      });
    }
  });
  const total = sum(m.phases.map((p) => p.requests));
  if (m.requests !== undefined && m.requests !== total) {
    out.push({
      path: ['requests'],
      message: `expected the phases' total ${total} (or nothing), got ${m.requests}`,
    });
  }
  return out;
}

const schema = crossCheck(
  crossCheck(crossCheck(fields, ttlReads, ttlProblems), ['components', 'phases'], componentProblems),
  ['requests', 'phases'],
  phaseProblems,
);

/** One phase: how many requests, and the cumulative component weights. */
interface Phase {
  requests: number;
  cumulative: Float64Array;
}

function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w;
    c[i] = acc;
  });
  return c;
}

/**
 * Slots of the mix: component c's slots follow those of the components before it (from slotBase[c]), so
 * they never collide even where key ranges overlap; object numbers are shifted by the component's offset.
 */
class MixPattern implements KeyPattern {
  readonly objects: number;
  private readonly parts: KeyPattern[];
  private readonly starts: number[];
  private readonly slotBase: number[];
  private readonly phases: Phase[];
  private readonly rng: Rng;
  private phase = 0;
  private left: number;
  private choice = new Uint8Array(BATCH_SIZE);
  private readonly scratch: Uint32Array[];
  private readonly counts: Uint32Array;

  constructor(parts: KeyPattern[], starts: number[], phases: Phase[], rng: Rng) {
    this.parts = parts;
    this.starts = starts;
    this.phases = phases;
    this.rng = rng;
    this.left = phases[0].requests;
    let slots = 0;
    this.slotBase = parts.map((p) => {
      slots += p.objects;
      return slots - p.objects;
    });
    this.objects = slots;
    this.scratch = parts.map(() => new Uint32Array(BATCH_SIZE));
    this.counts = new Uint32Array(parts.length);
  }

  fill(out: Uint32Array, from: number, n: number): void {
    if (this.choice.length < n) {
      this.choice = new Uint8Array(n);
      for (let c = 0; c < this.scratch.length; c++) this.scratch[c] = new Uint32Array(n);
    }
    const { choice, counts, rng, scratch, slotBase } = this;
    counts.fill(0);
    let cum = this.phases[this.phase].cumulative;
    for (let i = 0; i < n; i++) {
      if (this.left === 0) {
        this.phase++;
        this.left = this.phases[this.phase].requests;
        cum = this.phases[this.phase].cumulative;
      }
      this.left--;
      const u = rng() * cum[cum.length - 1];
      let c = 0;
      while (cum[c] <= u) c++;
      choice[i] = c;
      counts[c]++;
    }
    for (let c = 0; c < this.parts.length; c++)
      if (counts[c] > 0) this.parts[c].fill(scratch[c], 0, counts[c]);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = choice[i];
      out[from + i] = scratch[c][counts[c]++] + slotBase[c];
    }
  }

  /** Component ranges may overlap (offsets), so slots of different components can be one object. */
  readonly sharesObjects = true;

  objectOf(slot: number): number {
    let c = this.parts.length - 1;
    while (this.slotBase[c] > slot) c--;
    return this.starts[c] + this.parts[c].objectOf(slot - this.slotBase[c]);
  }
}

/** The pattern of one component; its draws come from the component's own streams. */
function createPart(spec: Component['spec'], streams: Streams): KeyPattern {
  switch (spec.generator) {
    case 'zipf':
      return zipfKind.create(spec, streams);
    case 'uniform':
      return uniformKind.create(spec, streams);
    case 'scan':
      return scanKind.create(spec, streams);
    case 'loop':
      return loopKind.create(spec, streams);
    case 'hotset':
      return hotsetKind.create(spec, streams);
  }
}

export const mixGenerator: GeneratorEntry = {
  name: 'mix',
  description: 'weighted per-request mixture of key patterns, optionally in phases with their own weights',
  open(raw, seed, where) {
    const m = parseSpec(schema, raw, where);
    const streams = new Streams(seed);
    const parts = m.components.map((c, i) => createPart(c.spec, streams.sub(`components/${i}`)));
    const phases: Phase[] = m.phases
      ? m.phases.map((p) => ({ requests: p.requests, cumulative: cumulative(p.weights) }))
      : [
          {
            requests: Number.POSITIVE_INFINITY,
            cumulative: cumulative(m.components.map((c) => c.weight ?? 0)),
          },
        ];
    const requests = m.requests ?? sum(phases.map((p) => p.requests));
    const pattern = new MixPattern(parts, offsets(m.components), phases, streams.get('mix'));
    return generatedSource('mix', raw, seed, { ...m, requests }, pattern, streams);
  },
};
