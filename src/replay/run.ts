/**
 * The replay job behind `cachetopo replay`: opens the workload, measures its footprint, resolves policies
 * and sizes, and runs every (policy, size) cell plus the Belady bound at each size — spread over worker
 * threads when there are several cells, each worker reading the trace once.
 */
import { InputError } from '../errors.ts';
import { policies, resolvePolicy } from '../policies/registry.ts';
import type { ReaderOptions } from '../trace/registry.ts';
import { openWorkload } from '../trace/workload.ts';
import type { CellPlan } from './execute.ts';
import { type Footprint, footprint } from './footprint.ts';
import { executeParallel, workerCount } from './parallel.ts';
import type { CellResult, WindowCounts } from './replay.ts';
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
  /** Worker threads (0: one per core, at most one per cell). */
  readonly workers?: number;
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

/** Request-cells (requests × cells) below which an automatic run stays on one thread. */
const AUTO_PARALLEL_WORK = 20e6;

function parseWarmup(text: string, requests: number): number {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) return Math.floor((Number(pct[1]) / 100) * requests);
  if (/^\d+$/.test(t)) return Number(t);
  throw new InputError(`--warmup: expected a request count or a percentage, got "${text}"`);
}

export async function runReplay(job: ReplayJob): Promise<ReplayReport> {
  const specs = splitList(job.policies).map((p) => resolvePolicy(p));
  if (specs.length === 0) throw new InputError('--policy: expected at least one policy');
  const sizeSpecs = parseSizeList(job.sizes, job.byteMode);

  // A first pass measures the footprint (for relative sizes, the warmup and the window length).
  const first = openWorkload(job.trace, { ...job.reader, seed: job.seed });
  const info = first.info;
  let fp: Footprint;
  try {
    fp = footprint(first);
  } finally {
    first.close();
  }
  const warmup = parseWarmup(job.warmup, fp.requests);
  const capacities = sizeSpecs.map((s) => resolveSize(s, job.byteMode ? fp.uniqueBytes : fp.uniqueObjects));

  const withBelady = job.bounds && policies.some((p) => p.name === 'belady');
  const cells: CellPlan[] = capacities.flatMap((capacity) =>
    specs.map((s) => ({ policy: s.label, capacity })),
  );
  const beladyCells: CellPlan[] = withBelady
    ? capacities.map((capacity) => ({ policy: 'belady', capacity }))
    : [];
  const all = [...cells, ...beladyCells];
  const input = {
    trace: job.trace,
    reader: job.reader,
    seed: job.seed,
    byteMode: job.byteMode,
    honorOps: job.honorOps,
    warmupRequests: warmup,
    windowRequests: job.windows > 0 ? Math.max(1, Math.ceil((fp.requests - warmup) / job.windows)) : 0,
    keySpace: fp.uniqueObjects,
    withNext: all.some((c) => resolvePolicy(c.policy).entry.needsNext === true),
    cells: all,
  };
  // Starting a worker costs ~0.5 s of module loading: below a few tens of millions of request-cells one
  // thread is faster, unless the user asked for workers.
  const auto = job.workers === undefined || job.workers === 0;
  const workers =
    auto && fp.requests * all.length < AUTO_PARALLEL_WORK ? 1 : workerCount(all.length, job.workers);
  const out = await executeParallel(input, workers, job.onProgress);

  const compulsory = out.requests > 0 ? out.compulsoryMisses / out.requests : 0;
  const beladyAt = new Map<number, CellResult>();
  for (const r of out.results.slice(cells.length)) beladyAt.set(r.size, r);
  const rows = out.results.slice(0, cells.length).map(
    (r, i): ReplayResultRow => ({
      policy: r.policy,
      size: r.size,
      sizeText: sizeSpecs[Math.floor(i / specs.length)].text,
      sizeUnit: r.sizeUnit,
      requests: r.requests,
      misses: r.misses,
      missRatio: r.missRatio,
      bytesMissed: r.bytesMissed,
      byteMissRatio: r.byteMissRatio,
      compulsoryMissRatio: compulsory,
      beladyMissRatio: beladyAt.get(r.size)?.missRatio ?? null,
      windows: r.windows,
    }),
  );
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
