/**
 * The replay job behind `cachetopo replay`: opens the workload, measures its footprint when sizes or the
 * warmup are relative, resolves policies and sizes, and runs every (policy, size) cell plus the Belady bound
 * at each size in one read of the trace.
 */
import { InputError } from '../errors.ts';
import { policies, type PolicySpec, resolvePolicy } from '../policies/registry.ts';
import type { RequestSource } from '../trace/api.ts';
import type { ReaderOptions } from '../trace/registry.ts';
import { openWorkload } from '../trace/workload.ts';
import { type Footprint, footprint } from './footprint.ts';
import { type CellResult, replay, type WindowCounts } from './replay.ts';
import { parseSizeList, resolveSize, splitList } from './sizes.ts';

export interface ReplayJob {
  readonly trace: string;
  readonly reader: ReaderOptions & { format?: string };
  /** Comma-separated policy names, each optionally with parameters: "lru,s3fifo(small=0.2)". */
  readonly policies: string;
  readonly sizes: string;
  readonly byteMode: boolean;
  /** A request count or a percentage of the trace. */
  readonly warmup: string;
  /** Windows of the miss-ratio-over-time series. */
  readonly windows: number;
  readonly honorOps: boolean;
  readonly bounds: boolean;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ReplayResultRow {
  readonly policy: string;
  readonly size: number;
  readonly sizeText: string;
  readonly sizeUnit: 'objects' | 'bytes';
  readonly requests: number;
  readonly misses: number;
  readonly missRatio: number;
  readonly bytesMissed: number;
  readonly byteMissRatio: number;
  readonly compulsoryMissRatio: number;
  readonly beladyMissRatio: number | null;
  readonly windows: readonly WindowCounts[];
}

export interface ReplayReport {
  readonly trace: string;
  readonly format: string;
  readonly requests: number;
  readonly countedRequests: number;
  readonly uniqueObjects: number;
  readonly footprintBytes: number;
  readonly sizeUnit: 'objects' | 'bytes';
  readonly seed: number;
  readonly compulsoryMissRatio: number;
  readonly compulsoryByteMissRatio: number;
  readonly results: readonly ReplayResultRow[];
}

function parseWarmup(text: string, requests: number): number {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (pct) return Math.floor((Number(pct[1]) / 100) * requests);
  if (/^\d+$/.test(text.trim())) return Number(text);
  throw new InputError(`--warmup: expected a request count or a percentage, got "${text}"`);
}

export function runReplay(job: ReplayJob): ReplayReport {
  const open = (): RequestSource => openWorkload(job.trace, { ...job.reader, seed: job.seed });
  const specs: PolicySpec[] = splitList(job.policies).map((p) => resolvePolicy(p));
  if (specs.length === 0) throw new InputError('--policy: expected at least one policy');
  const sizeSpecs = parseSizeList(job.sizes, job.byteMode);

  // A first pass measures the footprint (for relative sizes, the warmup and the window length).
  const first = open();
  const info = first.info;
  let fp: Footprint;
  try {
    fp = footprint(first);
  } finally {
    first.close();
  }
  const warmup = parseWarmup(job.warmup, fp.requests);
  const capacities = sizeSpecs.map((s) => resolveSize(s, job.byteMode ? fp.uniqueBytes : fp.uniqueObjects));

  const withBelady = job.bounds && policies.some((p) => p.name === 'belady') && info.hasNext;
  const belady = withBelady ? resolvePolicy('belady') : null;
  const cells = capacities.flatMap((capacity) => specs.map((policy) => ({ policy, capacity })));
  const beladyCells = belady ? capacities.map((capacity) => ({ policy: belady, capacity })) : [];

  const src = open();
  const windowRequests = job.windows > 0 ? Math.max(1, Math.ceil((fp.requests - warmup) / job.windows)) : 0;
  let out: ReturnType<typeof replay>;
  try {
    out = replay(src, [...cells, ...beladyCells], {
      byteMode: job.byteMode,
      honorOps: job.honorOps,
      warmupRequests: warmup,
      windowRequests,
      seed: job.seed,
      keySpace: fp.uniqueObjects,
      onProgress: job.onProgress,
    });
  } finally {
    src.close();
  }
  const compulsory = out.requests > 0 ? out.compulsoryMisses / out.requests : 0;
  const beladyAt = new Map<number, CellResult>();
  out.results.slice(cells.length).forEach((r) => beladyAt.set(r.size, r));
  const rows = out.results.slice(0, cells.length).map((r, i): ReplayResultRow => {
    const sizeText = sizeSpecs[Math.floor(i / specs.length)].text;
    return {
      policy: r.policy,
      size: r.size,
      sizeText,
      sizeUnit: r.sizeUnit,
      requests: r.requests,
      misses: r.misses,
      missRatio: r.missRatio,
      bytesMissed: r.bytesMissed,
      byteMissRatio: r.byteMissRatio,
      compulsoryMissRatio: compulsory,
      beladyMissRatio: beladyAt.get(r.size)?.missRatio ?? null,
      windows: r.windows,
    };
  });
  return {
    trace: job.trace,
    format: info.format,
    requests: fp.requests,
    countedRequests: out.requests,
    uniqueObjects: fp.uniqueObjects,
    footprintBytes: fp.uniqueBytes,
    sizeUnit: job.byteMode ? 'bytes' : 'objects',
    seed: job.seed,
    compulsoryMissRatio: compulsory,
    compulsoryByteMissRatio: out.bytesRequested > 0 ? out.compulsoryBytesMissed / out.bytesRequested : 0,
    results: rows,
  };
}
