/**
 * Bench group `trace` (issue 2): how fast traces are read and generated, and that reading streams.
 *
 * - oracleGeneral and native reading, in records/s including the mapping of 64-bit ids to dense ids,
 *   against a raw readSync of the same file that sums one 32-bit field per record;
 * - CSV reading in lines/s against counting the file's '\n' bytes in a JS loop over the same chunks;
 * - the Zipf generator in requests/s against as many uniform draws from its own seedrandom stream;
 * - peak RSS reading 10M and 50M requests over the same 1M keys: the two must be close, since readers
 *   stream and only the key map grows, with the keys seen (so its own bytes are left out of the check).
 * Every file is the same Zipf workload (alpha 1.0, 1M objects): the oracleGeneral bytes written from the
 * generator with real next-access positions, then converted to .ctt and .csv by our own writers.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { RequestSource } from '../../src/trace/api.ts';
import { CHUNK_BYTES } from '../../src/trace/byte-reader.ts';
import { Streams } from '../../src/trace/generators/rng.ts';
import { openTrace, type ReaderOptions } from '../../src/trace/registry.ts';
import { type GeneratorSpecFile, openGenerator } from '../../src/trace/workload.ts';
import { type ZipfTrace, zipfSpec } from '../data.ts';
import { count, type Group, type GroupContext, prepareAndRun } from '../group.ts';
import { compare, type Measurement, minRate, peakRssMiB, sink } from '../measure.ts';

const GROUP = 'trace';

/** Targets of issue 2. */
const BINARY_TARGET = 40e6;
const CSV_TARGET = 3e6;
/** Peak RSS at 50M requests may exceed that at 10M by this fraction and still count as streaming. */
const STREAMING_SLACK = 0.2;

interface Scale {
  readonly requests: number;
  readonly memoryRequests: number;
  readonly objects: number;
  readonly runs: number;
}

const FULL: Scale = { requests: 10_000_000, memoryRequests: 50_000_000, objects: 1_000_000, runs: 3 };
const QUICK: Scale = { requests: 200_000, memoryRequests: 1_000_000, objects: 20_000, runs: 1 };

interface FileArgs {
  readonly path: string;
  readonly runs: number;
}

interface GeneratorArgs {
  readonly spec: GeneratorSpecFile;
  readonly seed: number;
  readonly runs: number;
}

/** Reads a source to the end, summing its key ids; returns the request count. */
function readAll(src: RequestSource, keys: { distinct: number; mapBytes: number }): number {
  let n = 0;
  let sum = 0;
  try {
    for (let b = src.next(); b !== null; b = src.next()) {
      const k = b.key;
      for (let i = 0; i < b.length; i++) sum += k[i];
      n += b.length;
    }
    keys.distinct = src.keys.size;
    keys.mapBytes = src.keys.memoryBytes();
  } finally {
    src.close();
  }
  sink.value += sum;
  return n;
}

/** Fills `buf` from `fd` as far as the file allows; returns the bytes read. */
function fillChunk(fd: number, buf: Uint8Array): number {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, null);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * The floor of any binary reader: readSync the file in chunks as the readers do and sum the 32-bit word at
 * `offset` of every `stride` bytes. Returns the number of strides: records, for a fixed-size format.
 */
function rawScan(path: string, stride: number, offset: number): number {
  const chunk = new Uint8Array(stride * Math.floor(CHUNK_BYTES / stride));
  const words = new Uint32Array(chunk.buffer);
  const step = stride >>> 2;
  const fd = openSync(path, 'r');
  let records = 0;
  let sum = 0;
  try {
    for (let got = fillChunk(fd, chunk); got > 0; got = fillChunk(fd, chunk)) {
      const n = Math.floor(got / stride);
      for (let j = 0, w = offset >>> 2; j < n; j++, w += step) sum += words[w];
      records += n;
      if (got < chunk.length) break;
    }
  } finally {
    closeSync(fd);
  }
  sink.value += sum;
  return records;
}

/** The floor of any line reader: the '\n' bytes of the file, counted in a JS loop over readSync chunks. */
function countNewlines(path: string): number {
  const chunk = new Uint8Array(CHUNK_BYTES);
  const fd = openSync(path, 'r');
  let lines = 0;
  try {
    for (let got = fillChunk(fd, chunk); got > 0; got = fillChunk(fd, chunk)) {
      for (let i = 0; i < got; i++) if (chunk[i] === 10) lines++;
      if (got < chunk.length) break;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** A reader timed against a raw scan of the same file. */
function readerCase(
  what: string,
  open: () => RequestSource,
  baseline: { what: string; run: () => number },
  runs: number,
  target: number,
): Measurement {
  const keys = { distinct: 0, mapBytes: 0 };
  const t = compare({ what, run: () => readAll(open(), keys) }, baseline, runs);
  return {
    throughput: t,
    figures: [minRate('throughput', t.subject.perSecond, target)],
    peakRssMiB: peakRssMiB(),
    values: { requests: t.subject.items, distinctKeys: keys.distinct, keyMapMiB: keys.mapBytes / 2 ** 20 },
    note: `${keys.distinct} distinct keys, key map ${(keys.mapBytes / 2 ** 20).toFixed(1)} MiB`,
  };
}

function oracleGeneralRead(raw: unknown): Measurement {
  const a = raw as FileArgs;
  return readerCase(
    'oracleGeneral reader (ids mapped)',
    () => openTrace(a.path),
    { what: 'readSync + sum of obj_size', run: () => rawScan(a.path, 24, 12) },
    a.runs,
    BINARY_TARGET,
  );
}

function nativeRead(raw: unknown): Measurement {
  const a = raw as FileArgs & { requests: number };
  // The native layout is columnar, so the floor is a raw scan summing one word per record's worth of bytes.
  const stride = Math.max(4, 4 * Math.floor(statSync(a.path).size / a.requests / 4));
  return readerCase(
    'native .ctt reader (ids mapped)',
    () => openTrace(a.path),
    {
      what: `readSync + sum of a u32 per ${stride} B`,
      run: () => {
        rawScan(a.path, stride, 0);
        return a.requests;
      },
    },
    a.runs,
    BINARY_TARGET,
  );
}

function csvRead(raw: unknown): Measurement {
  const a = raw as FileArgs;
  const opts: ReaderOptions = { header: true };
  return readerCase(
    'CSV reader (header, ids mapped)',
    () => openTrace(a.path, opts),
    { what: "count '\\n' in a JS loop", run: () => countNewlines(a.path) - 1 },
    a.runs,
    CSV_TARGET,
  );
}

function zipfGenerate(raw: unknown): Measurement {
  const a = raw as GeneratorArgs;
  const keys = { distinct: 0, mapBytes: 0 };
  const requests = a.spec.requests as number;
  const t = compare(
    { what: 'Zipf generator (alias method)', run: () => readAll(openGenerator(a.spec, 'bench zipf'), keys) },
    {
      what: 'rng.double() of its seedrandom stream',
      run: () => {
        // The stream the Zipf pattern draws its popularity ranks from (zipf.ts), one double per request.
        const rng = new Streams(a.seed).get('popularity');
        let sum = 0;
        for (let i = 0; i < requests; i++) sum += rng.double();
        sink.value += sum;
        return requests;
      },
    },
    a.runs,
  );
  return {
    throughput: t,
    figures: [minRate('throughput', t.subject.perSecond, null)],
    peakRssMiB: peakRssMiB(),
    values: { requests, distinctKeys: keys.distinct },
    note: `${a.spec.objects} objects, alpha ${a.spec.alpha}, lognormal sizes`,
  };
}

function run(ctx: GroupContext): void {
  const s = ctx.quick ? QUICK : FULL;
  const base: ZipfTrace = { requests: s.requests, objects: s.objects, alpha: 1, seed: 42 };
  const long: ZipfTrace = { ...base, requests: s.memoryRequests };
  const n = count(s.requests);
  const og = prepareAndRun(ctx, GROUP, `oracleGeneral read, ${n}`, 'oracleGeneral', () => ({
    path: ctx.data.oracleGeneral(base),
    runs: s.runs,
  }));
  prepareAndRun(ctx, GROUP, `native .ctt read, ${n}`, 'native', () => ({
    path: ctx.data.native(base),
    requests: s.requests,
    runs: s.runs,
  }));
  prepareAndRun(ctx, GROUP, `CSV read, ${n} lines`, 'csv', () => ({
    path: ctx.data.csv(base),
    runs: s.runs,
  }));
  prepareAndRun(ctx, GROUP, `Zipf generator, ${n}`, 'zipf', () => ({
    spec: zipfSpec(base),
    seed: base.seed,
    runs: s.runs,
  }));
  const ogLong = prepareAndRun(
    ctx,
    GROUP,
    `oracleGeneral read, ${count(s.memoryRequests)}`,
    'oracleGeneral',
    () => ({
      path: ctx.data.oracleGeneral(long),
      runs: s.runs,
    }),
  );
  if (og.ok && ogLong.ok) {
    const a = og.measurement;
    const b = ogLong.measurement;
    // The key map grows with the keys seen (and doubles its table at thresholds), not with the requests.
    const rest = (m: Measurement): number => m.peakRssMiB - (m.values?.keyMapMiB ?? 0);
    const grew = rest(b) / rest(a) - 1;
    ctx.check({
      group: GROUP,
      name: `peak RSS reading ${n} vs ${count(s.memoryRequests)} requests over ${count(s.objects)} objects`,
      text:
        `${a.peakRssMiB.toFixed(0)} MiB vs ${b.peakRssMiB.toFixed(0)} MiB, ${rest(a).toFixed(0)} vs ` +
        `${rest(b).toFixed(0)} MiB without the key map (${(grew * 100).toFixed(1)}%; keys seen ` +
        `${a.values?.distinctKeys} vs ${b.values?.distinctKeys}); target: within ${STREAMING_SLACK * 100}%`,
      met: grew <= STREAMING_SLACK,
    });
  } else {
    ctx.check({
      group: GROUP,
      name: 'streaming memory check',
      text: 'not measured: a read case failed',
      met: null,
    });
  }
}

export const traceGroup: Group = {
  name: GROUP,
  description: 'trace readers and the Zipf generator (issue 2)',
  run,
  runners: { oracleGeneral: oracleGeneralRead, native: nativeRead, csv: csvRead, zipf: zipfGenerate },
};
