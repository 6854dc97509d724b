/**
 * The job behind `cachetopo mrc`: picks the method from the policy and the sampling rate, measures what the
 * size grid needs, reads the trace (once per curve), and with `compare` also computes the exact curve at the
 * same sizes and the error between the two.
 *
 * LRU at rate 1 is the exact stack-distance curve; LRU below 1 is SHARDS; LRU with a sample size instead of
 * a rate is fixed-size SHARDS (shards-fixed.ts); any other policy is mini-simulated (at rate 1 that is a
 * full simulation at every size). Its exact reference is the exact LRU curve for LRU,
 * and full replays at every size for other policies, spread over worker threads (parallel.ts).
 *
 * Grids: object curves start at 1 object, or at 1/R objects when sampled (a sampled distance resolves sizes
 * only in steps of 1/R, and a mini-cache needs at least one object; for fixed-size SHARDS, R is the final
 * rate, known after the pass); byte curves start at the largest
 * object (see mrc.ts). Only byte curves and mini-simulations need the measuring pass before the curve's
 * own pass: an object histogram can be read at any size afterwards.
 */
import { InputError } from '../errors.ts';
import { resolvePolicy } from '../policies/registry.ts';
import { openWithNextAccess } from '../replay/next-access.ts';
import { executeParallel, workerCount } from '../replay/parallel.ts';
import { parseSizeList, resolveSize, type SizeSpec, splitList } from '../replay/sizes.ts';
import type { KeyCounter, RequestSource } from '../trace/api.ts';
import type { ReaderOptions } from '../trace/registry.ts';
import { openThreaded, shouldReadThreaded } from '../trace/threaded-source.ts';
import { openWorkload } from '../trace/workload.ts';
import {
  ByteDistances,
  type CurveError,
  type CurvePoint,
  curveError,
  type GridScale,
  type MrcMethod,
  miniSimCurve,
  ObjectDistances,
  type SampleScale,
  type SizeUnit,
  scaleOf,
  sizeGrid,
  type TraceShape,
  traceShape,
} from './mrc.ts';
import { SHARDS_MODULUS, ShardsSource, shardsThreshold } from './shards.ts';
import { FixedSizeShards } from './shards-fixed.ts';

/** Sampling rate of mini-simulations when none is given (the rate the ATC'17 paper calls typical is 0.001
 * for traces of billions of requests; 0.01 keeps thousands of keys in traces of millions). */
const DEFAULT_MINI_SIM_RATE = 0.01;

export interface MrcJob {
  readonly trace: string;
  readonly reader: ReaderOptions & { format?: string };
  /** One policy, optionally with parameters: "lru", "s3fifo(small=0.2)". */
  readonly policy: string;
  /** Sampling rate in (0, 1]; undefined: 1 for LRU, DEFAULT_MINI_SIM_RATE otherwise. */
  readonly sample?: number;
  /** Fixed-size SHARDS instead (LRU only, excludes `sample`): at most this many keys in the sample. */
  readonly sampleSize?: number;
  readonly byteMode: boolean;
  /** Grid: number of sizes and their spacing, up to the footprint… */
  readonly points: number;
  readonly scale: GridScale;
  /** …or an explicit list as `replay --size` takes it. */
  readonly sizes?: string;
  readonly compare: boolean;
  readonly seed: number;
  /** Worker threads for the full replays of --compare (0: one per core). */
  readonly workers?: number;
  /**
   * Read whole-trace passes in a second thread: false never, true whenever the reader maps keys, absent
   * when that pays (threaded-source.ts shouldReadThreaded).
   */
  readonly threadedRead?: boolean;
  /** Progress of each pass, named ("measure", "shards", "exact", …). */
  readonly onProgress?: (pass: string, done: number, total: number) => void;
}

export interface MrcReport {
  readonly trace: string;
  readonly policy: string;
  readonly method: MrcMethod;
  /** The effective rate T / 2^24 (1 for the exact curve; for fixed-size SHARDS, the rate at the end). */
  readonly sampleRate: number;
  /** Fixed-size SHARDS only: s_max, the most keys sampled at once. */
  readonly sampleSize?: number;
  readonly sizeUnit: SizeUnit;
  readonly requests: number;
  /** Requests in the sample (all of them at rate 1). */
  readonly sampledRequests: number;
  readonly uniqueObjects: number;
  /** Unique objects, or unique bytes (each object's first size) in byte mode. */
  readonly footprint: number;
  readonly points: readonly CurvePoint[];
  /** With --compare: the error of `points` against `reference`. */
  readonly error?: CurveError;
  readonly reference?: { readonly method: 'exact' | 'replay'; readonly points: readonly CurvePoint[] };
  /** Caveats about this curve, one sentence each. */
  readonly notes: readonly string[];
}

type Comparison = Pick<MrcReport, 'error' | 'reference'>;

/** Reads a freshly opened source through `fn` and closes it. */
function using<T, K extends KeyCounter>(src: RequestSource<K>, fn: (s: RequestSource<K>) => T): T {
  try {
    return fn(src);
  } finally {
    src.close();
  }
}

export async function runMrc(job: MrcJob): Promise<MrcReport> {
  if (splitList(job.policy).length !== 1)
    throw new InputError(`--policy: one policy per curve, got "${job.policy}"`);
  const policy = resolvePolicy(job.policy);
  const isLru = policy.label === 'lru';
  const fixedSize = job.sampleSize !== undefined;
  if (fixedSize && job.sample !== undefined)
    throw new InputError('--sample and --sample-size exclude each other: give a rate or a number of keys');
  if (fixedSize && !isLru)
    throw new InputError(
      `--sample-size: fixed-size SHARDS gives LRU curves only; for ${policy.label} give --sample <rate>`,
    );
  const requested = job.sample ?? (isLru ? 1 : DEFAULT_MINI_SIM_RATE);
  const rate = shardsThreshold(requested) / SHARDS_MODULUS;
  const method: MrcMethod = fixedSize
    ? 'shards-fixed-size'
    : !isLru
      ? 'mini-sim'
      : rate === 1
        ? 'exact'
        : 'shards';
  if (job.compare && method === 'exact')
    throw new InputError('--compare: at --sample 1 the curve is already exact; give a rate below 1');
  const sizeSpecs = job.sizes === undefined ? null : parseSizeList(job.sizes, job.byteMode);
  const sizeUnit: SizeUnit = job.byteMode ? 'bytes' : 'objects';
  const open = (): RequestSource => openWorkload(job.trace, { ...job.reader, seed: job.seed });
  // Whole-trace passes (the shape, the exact distances) read large files in a second thread, so decoding
  // and key mapping overlap the stack-distance work.
  const threaded = shouldReadThreaded(job.trace, job.reader.format, job.threadedRead);
  const openPass = (): RequestSource<KeyCounter> =>
    threaded ? openThreaded(job.trace, { ...job.reader, seed: job.seed }) : open();
  const progress = (pass: string) =>
    job.onProgress === undefined
      ? undefined
      : (done: number, total: number) => job.onProgress?.(pass, done, total);
  const notes: string[] = [];

  const grid = (footprint: number, lo: number): number[] => {
    if (sizeSpecs !== null) return resolvedSizes(sizeSpecs, footprint);
    if (lo > footprint && !job.byteMode) {
      const opt = fixedSize ? `--sample-size ${job.sampleSize}` : `--sample ${requested}`;
      throw new InputError(
        `${opt}: a sampled curve starts at 1/R = ${lo} objects, above the footprint of ` +
          `${footprint} objects; raise ${opt.split(' ')[0]}`,
      );
    }
    return sizeGrid(Math.min(lo, footprint), footprint, job.points, job.scale);
  };
  const objectLo = Math.ceil(1 / rate);

  const shape: TraceShape | null =
    job.byteMode || method === 'mini-sim'
      ? using(openPass(), (s) => traceShape(s, progress('measure')))
      : null;
  if (shape !== null && job.byteMode) {
    if (shape.resizedKeys > 0)
      notes.push(
        `${shape.resizedKeys} keys change size during the trace: the byte curve assumes each access's ` +
          'latest size, so it is approximate',
      );
    if (sizeSpecs !== null && isLru && resolvedSizes(sizeSpecs, shape.uniqueBytes)[0] < shape.maxSize)
      notes.push(
        `sizes below the largest object (${shape.maxSize} bytes) are approximate: such an object is not ` +
          'admitted, which a stack distance cannot express',
      );
  }
  const footprintOf = (s: TraceShape): number => (job.byteMode ? s.uniqueBytes : s.uniqueObjects);

  const base = {
    trace: job.trace,
    policy: policy.label,
    method,
    sampleRate: rate,
    sizeUnit,
  };

  if (method === 'shards-fixed-size') {
    const opts = { sampleSize: job.sampleSize!, seed: job.seed };
    const pass = (src: RequestSource, byteGrid?: number[]): FixedSizeShards =>
      using(src, () => FixedSizeShards.of(src, { ...opts, byteGrid }, progress('shards')));
    let f: FixedSizeShards;
    let sizes: number[];
    let points: CurvePoint[];
    let compared: Comparison = {};
    if (job.byteMode) {
      sizes = grid(shape!.uniqueBytes, shape!.maxSize);
      f = pass(open(), sizes);
      points = f.byteCurve();
      if (job.compare) {
        const e = using(openPass(), (src) => ByteDistances.of(src, sizes, 1, progress('exact')));
        const reference = e.curve(exactScale(e.requests, e.bytes));
        compared = {
          error: curveError(points, reference),
          reference: { method: 'exact', points: reference },
        };
      }
    } else {
      f = pass(open());
      sizes = grid(f.keysSeen, Math.ceil(1 / f.rate));
      points = f.curve(sizes);
      if (job.compare) {
        const e = using(openPass(), (src) => ObjectDistances.of(src, progress('exact')));
        const reference = e.curve(sizes, exactScale(e.hist.total, e.bytes));
        compared = {
          error: curveError(points, reference),
          reference: { method: 'exact', points: reference },
        };
      }
    }
    return {
      ...base,
      sampleRate: f.rate,
      sampleSize: f.sampleSize,
      requests: f.requestsSeen,
      sampledRequests: f.requestsKept,
      uniqueObjects: f.keysSeen,
      footprint: job.byteMode ? shape!.uniqueBytes : f.keysSeen,
      points,
      ...compared,
      notes,
    };
  }

  if (method === 'mini-sim') {
    const s = shape!;
    const sizes = grid(footprintOf(s), job.byteMode ? s.maxSize : objectLo);
    let sample: ShardsSource | null = null;
    const openSample = (): RequestSource => {
      sample = new ShardsSource(open(), rate, job.seed);
      return sample;
    };
    const points = using(
      policy.entry.needsNext === true ? openWithNextAccess(openSample) : openSample(),
      (src) =>
        miniSimCurve(src, policy, sizes, rate, {
          byteMode: job.byteMode,
          seed: job.seed,
          scaleAfter: () => scaleOf(sample!),
          onProgress: progress('mini-sim'),
        }),
    );
    const sampled = (sample as ShardsSource | null)?.requestsKept ?? 0;
    let compared: Comparison = {};
    if (job.compare) {
      const reference = await fullReplays(job, policy.label, sizes, s, progress('replay'));
      compared = { error: curveError(points, reference), reference: { method: 'replay', points: reference } };
    }
    return {
      ...base,
      requests: s.requests,
      sampledRequests: sampled,
      uniqueObjects: s.uniqueObjects,
      footprint: footprintOf(s),
      points,
      ...compared,
      notes,
    };
  }

  if (job.byteMode) {
    const s = shape!;
    const sizes = grid(s.uniqueBytes, s.maxSize);
    const exactPass = (): ByteDistances =>
      using(openPass(), (src) => ByteDistances.of(src, sizes, 1, progress('exact')));
    let points: CurvePoint[];
    let sampled = s.requests;
    let compared: Comparison = {};
    if (method === 'exact') {
      const d = exactPass();
      points = d.curve(exactScale(d.requests, d.bytes));
    } else {
      const src = new ShardsSource(open(), rate, job.seed);
      const d = using(src, () => ByteDistances.of(src, sizes, rate, progress('shards')));
      points = d.curve(scaleOf(src));
      sampled = src.requestsKept;
      if (job.compare) {
        const e = exactPass();
        const reference = e.curve(exactScale(e.requests, e.bytes));
        compared = {
          error: curveError(points, reference),
          reference: { method: 'exact', points: reference },
        };
      }
    }
    return {
      ...base,
      requests: s.requests,
      sampledRequests: sampled,
      uniqueObjects: s.uniqueObjects,
      footprint: s.uniqueBytes,
      points,
      ...compared,
      notes,
    };
  }

  // Object-mode LRU: no measuring pass; the histogram is read at the grid's sizes afterwards.
  const exactPass = (): ObjectDistances =>
    using(openPass(), (src) => ObjectDistances.of(src, progress('exact')));
  if (method === 'exact') {
    const d = exactPass();
    const sizes = grid(d.keys, 1);
    return {
      ...base,
      requests: d.hist.total,
      sampledRequests: d.hist.total,
      uniqueObjects: d.keys,
      footprint: d.keys,
      points: d.curve(sizes, exactScale(d.hist.total, d.bytes)),
      notes,
    };
  }
  const src = new ShardsSource(open(), rate, job.seed);
  const d = using(src, () => ObjectDistances.of(src, progress('shards')));
  const sizes = grid(src.keysSeen, objectLo);
  const points = d.curve(sizes, scaleOf(src));
  let compared: Comparison = {};
  if (job.compare) {
    const e = exactPass();
    const reference = e.curve(sizes, exactScale(e.hist.total, e.bytes));
    compared = { error: curveError(points, reference), reference: { method: 'exact', points: reference } };
  }
  return {
    ...base,
    requests: src.requestsSeen,
    sampledRequests: src.requestsKept,
    uniqueObjects: src.keysSeen,
    footprint: src.keysSeen,
    points,
    ...compared,
    notes,
  };
}

function exactScale(requests: number, bytes: number): SampleScale {
  return { rate: 1, requests, bytes };
}

/** Explicit sizes resolved against a footprint, ascending and without repeats. */
function resolvedSizes(specs: readonly SizeSpec[], footprint: number): number[] {
  return [...new Set(specs.map((s) => resolveSize(s, footprint)))].sort((a, b) => a - b);
}

/** The policy's true curve: a full replay at every size, over worker threads. */
async function fullReplays(
  job: MrcJob,
  policy: string,
  sizes: readonly number[],
  shape: TraceShape,
  onProgress?: (done: number, total: number) => void,
): Promise<CurvePoint[]> {
  const cells = sizes.map((capacity) => ({ policy, capacity }));
  const out = await executeParallel(
    {
      trace: job.trace,
      reader: job.reader,
      seed: job.seed,
      byteMode: job.byteMode,
      honorOps: false,
      warmupRequests: 0,
      windowRequests: 0,
      keySpace: shape.uniqueObjects,
      withNext: resolvePolicy(policy).entry.needsNext === true,
      cells,
    },
    workerCount(cells.length, job.workers),
    onProgress,
  );
  return out.results.map((r) => ({ size: r.size, missRatio: r.missRatio, byteMissRatio: r.byteMissRatio }));
}
