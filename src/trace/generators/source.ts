/**
 * Turns a key pattern and the request fields of a spec into a RequestSource. Per batch: the pattern writes
 * slots, which are mapped to dense ids through a flat slot → id table; the key map sees each object once,
 * at its slot's first request, and the object's size is drawn then, from a keyed hash of the object
 * number, and kept by id, so an object always has one size. Ops, TTLs and arrival times follow from their
 * own streams. Nothing is allocated per request.
 */
import {
  allocBatch,
  BATCH_SIZE,
  OP_GET,
  type RequestBatch,
  type RequestSource,
  type TraceInfo,
} from '../api.ts';
import { KeyMap } from '../keymap.ts';
import { type ArrivalFill, arrivalFill } from './arrivals.ts';
import { valueDraw } from './distributions.ts';
import { opFill, ttlFill } from './ops.ts';
import type { KeyPattern } from './pattern.ts';
import { KeyedUniform, type Streams } from './rng.ts';
import type { RequestSpec } from './spec.ts';

class GeneratedSource implements RequestSource {
  readonly info: TraceInfo;
  readonly keys = new KeyMap('u64');
  private readonly batch: RequestBatch = allocBatch(BATCH_SIZE);
  private readonly total: number;
  private done = 0;
  private readonly pattern: KeyPattern;
  /** id + 1 of each slot, 0 before its first request. */
  private readonly idOf: Uint32Array;
  private readonly sizeById: Uint32Array | null;
  private readonly sizeOf: ((obj: number) => number) | null;
  private readonly ops: ((op: Uint8Array, n: number) => void) | null;
  private readonly ttls: ((ttl: Uint32Array, op: Uint8Array, n: number) => void) | null;
  private readonly arrivals: ArrivalFill | null;
  /** Objects first seen in the current batch, appended to the key map in one go (they are new by construction). */
  private readonly newLo = new Uint32Array(BATCH_SIZE);
  private readonly newHi = new Uint32Array(BATCH_SIZE);

  constructor(
    name: string,
    rawSpec: unknown,
    seed: number,
    spec: RequestSpec,
    pattern: KeyPattern,
    streams: Streams,
  ) {
    this.pattern = pattern;
    this.total = spec.requests;
    this.idOf = new Uint32Array(pattern.objects);
    if (spec.sizes) {
      const draw = valueDraw(spec.sizes);
      const u = new KeyedUniform(streams.get('sizes'), 2);
      this.sizeOf = (obj) => draw(u.draw(obj, 0), u.draw(obj, 1));
      this.sizeById = new Uint32Array(pattern.objects);
    } else {
      this.sizeOf = null;
      this.sizeById = null;
    }
    this.ops = spec.ops ? opFill(spec.ops, streams.get('ops')) : null;
    this.ttls = spec.ttl ? ttlFill(spec.ttl, streams.get('ttl')) : null;
    this.arrivals = spec.arrivals ? arrivalFill(spec.arrivals, streams.get('arrivals')) : null;
    this.info = {
      format: name,
      name,
      hasTime: spec.arrivals !== undefined,
      hasSize: spec.sizes !== undefined,
      hasOp: spec.ops !== undefined,
      hasTtl: spec.ttl !== undefined,
      hasNext: false,
      keyKind: 'u64',
      provenance: { kind: 'generator', spec: rawSpec, seed },
      requests: spec.requests,
    };
  }

  next(): RequestBatch | null {
    const n = Math.min(BATCH_SIZE, this.total - this.done);
    if (n <= 0) return null;
    const b = this.batch;
    const key = b.key;
    this.pattern.fill(key, 0, n);
    const { idOf, sizeById, sizeOf, keys, newLo, newHi } = this;
    const base = keys.size;
    let fresh = 0;
    for (let i = 0; i < n; i++) {
      const slot = key[i];
      let id = idOf[slot] - 1;
      if (id < 0) {
        const obj = this.pattern.objectOf(slot);
        if (this.pattern.sharesObjects) {
          id = keys.idOfNumber(obj);
        } else {
          id = base + fresh;
          newLo[fresh] = obj % 4294967296;
          newHi[fresh] = Math.floor(obj / 4294967296);
          fresh++;
        }
        idOf[slot] = id + 1;
        if (sizeById !== null && sizeOf !== null) sizeById[id] = sizeOf(obj);
      }
      key[i] = id;
    }
    if (fresh > 0) keys.appendU64(newLo, newHi, fresh);
    if (sizeById !== null) for (let i = 0; i < n; i++) b.size[i] = sizeById[key[i]];
    else b.size.fill(1, 0, n);
    if (this.ops) this.ops(b.op, n);
    else b.op.fill(OP_GET, 0, n);
    if (this.ttls) this.ttls(b.ttl, b.op, n);
    else b.ttl.fill(0, 0, n);
    if (this.arrivals) this.arrivals(b.time, n);
    else b.time.fill(0, 0, n);
    b.length = n;
    this.done += n;
    return b;
  }

  progress(): { done: number; total: number } {
    return { done: this.done, total: this.total };
  }

  /** Ends the stream early; the tables go with the source. */
  close(): void {
    this.done = this.total;
  }
}

/**
 * The source of a parsed spec. `name` is the generator's registry name; `rawSpec` is kept as given for the
 * trace's provenance. Without arrivals every time is 0; without sizes every size is 1; without ops every
 * request is a get.
 */
export function generatedSource(
  name: string,
  rawSpec: unknown,
  seed: number,
  spec: RequestSpec,
  pattern: KeyPattern,
  streams: Streams,
): RequestSource {
  return new GeneratedSource(name, rawSpec, seed, spec, pattern, streams);
}
