/**
 * Bench group `replay` (issue 3): the replay loop beside libCacheSim, the memory a cached object costs, and
 * the exact LRU miss-ratio curve.
 *
 * - Replay loop: requests/s of replay() with one cell, per policy, in object and byte mode, at 10% of the
 *   footprint, on the largest sample trace (../shared) and on a 20M-request Zipf trace (alpha 1.0, 1M
 *   objects) written as oracleGeneral. The in-process baseline is a read pass of the same file (the
 *   footprint count): the ratio is the share of reading speed the policy keeps. Beside it, libCacheSim's
 *   cachesim on the same file, policy and size (when LIBCACHESIM_CACHESIM is set): its own loop
 *   throughput, and both whole processes timed, start-up included (ours is `cachetopo replay … --no-bounds
 *   --windows 0 --json`). On a trace the CLI reads in a second thread when a core is free (a large
 *   file: threaded-source.ts threadedByDefault), the loop is also timed so, and the goal is judged on that
 *   path; the one-thread figure stays beside it. The machine is shared, so each case runs in rounds (our loop, our whole process,
 *   cachesim, back to back) and each figure keeps its fastest round; on small traces the loop case also
 *   replays several times in its process (JIT warm-up), which the whole-process figure does not hide.
 * - Memory: RSS growth per cached object for LRU holding 1M objects, on pre-mapped dense ids (so no reader
 *   or key map grows beside it), taken while the cache is alive (at replay's last progress call).
 * - The exact LRU MRC (Mattson stack distances, src/analysis/stack-distance.ts) of the 20M-request trace,
 *   reading included, against the same read pass; its miss ratio at 10% is checked against LRU's replay.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { DistanceHistogram, StackDistance } from '../../src/analysis/stack-distance.ts';
import { policies, resolvePolicy } from '../../src/policies/registry.ts';
import { type Footprint, footprint } from '../../src/replay/footprint.ts';
import { openWithNextAccess } from '../../src/replay/next-access.ts';
import { type ReplayOutput, replay } from '../../src/replay/replay.ts';
import type { KeyCounter, RequestSource } from '../../src/trace/api.ts';
import { openTrace } from '../../src/trace/registry.ts';
import { openThreaded, threadedByDefault } from '../../src/trace/threaded-source.ts';
import { type CaseOutcome, type ProcessRun, repoRoot, timeProcess } from '../child.ts';
import type { ZipfTrace } from '../data.ts';
import { DenseSource } from '../dense-source.ts';
import {
  count,
  type Group,
  type GroupContext,
  oneLine,
  prepareAndRun,
  type ReplayComparison,
  type ReplaySide,
  type Row,
} from '../group.ts';
import { type CachesimResult, runCachesim } from '../libcachesim.ts';
import { collect, compare, figure, type Measurement, minRate, peakRssMiB, sink } from '../measure.ts';

const GROUP = 'replay';

/** The policies of issue 3's speed goal, with the multiple of libCacheSim's loop throughput it asks for. */
const POLICIES: readonly { name: string; goal: number }[] = [
  { name: 'fifo', goal: 3 },
  { name: 'lru', goal: 3 },
  { name: 'sieve', goal: 3 },
  { name: 's3fifo', goal: 3 },
  { name: 'arc', goal: 3 },
  { name: 'wtinylfu', goal: 1.5 },
  { name: 'lirs', goal: 1.5 },
  { name: 'belady', goal: 1.5 },
];

/** Cache size: this fraction of the footprint (objects or bytes), rounded down on both sides. */
const FRACTION = 0.1;
const MEMORY_TARGET_BYTES = 64;
const MRC_TARGET_SECONDS = 5;
/** Traces below this many requests are timed several times (JIT warm-up and timer noise dominate). */
const SMALL_TRACE = 2_000_000;
/** Seconds of a whole run beyond which a side is not run again in later rounds. */
const LONG_RUN = 60;

interface Scale {
  readonly zipf: ZipfTrace;
  readonly memoryObjects: number;
  /** Rounds of (our loop, our whole process, libCacheSim), interleaved; each side keeps its fastest. */
  readonly rounds: number;
  /** Replays per loop case on small traces (large ones replay once per round). */
  readonly smallRuns: number;
  readonly timeoutSeconds: number;
}

const FULL: Scale = {
  zipf: { requests: 20_000_000, objects: 1_000_000, alpha: 1, seed: 42 },
  memoryObjects: 1_000_000,
  rounds: 3,
  smallRuns: 5,
  timeoutSeconds: 600,
};
const QUICK: Scale = {
  zipf: { requests: 200_000, objects: 20_000, alpha: 1, seed: 42 },
  memoryObjects: 50_000,
  rounds: 1,
  smallRuns: 1,
  timeoutSeconds: 120,
};

interface LoopArgs {
  readonly trace: string;
  readonly policy: string;
  readonly byteMode: boolean;
  readonly fraction: number;
  readonly runs: number;
  /** Read the trace in a second thread, as the CLI does for a large file when a core is free. */
  readonly threaded: boolean;
}

function readFootprint(open: () => RequestSource): Footprint {
  const src = open();
  try {
    return footprint(src);
  } finally {
    src.close();
  }
}

function replayLoop(raw: unknown): Measurement {
  const a = raw as LoopArgs;
  const spec = resolvePolicy(a.policy);
  const open = (): RequestSource => openTrace(a.trace);
  // An untimed first pass sizes the cache (as the CLI does) and warms the reader and the page cache.
  const fp = readFootprint(open);
  const capacity = Math.floor(a.fraction * (a.byteMode ? fp.uniqueBytes : fp.uniqueObjects));
  const cells = [{ policy: spec, capacity }];
  const openLoop: () => RequestSource<KeyCounter> = a.threaded ? () => openThreaded(a.trace) : open;
  const openForReplay = spec.entry.needsNext === true ? () => openWithNextAccess(openLoop) : openLoop;
  const last: { out: ReplayOutput | null } = { out: null };
  const t = compare(
    {
      what: `replay() ${spec.label}, 1 cell${a.threaded ? ', reader thread' : ''}`,
      run: () => {
        const src = openForReplay();
        try {
          last.out = replay(src, cells, { byteMode: a.byteMode, keySpace: fp.uniqueObjects });
        } finally {
          src.close();
        }
        return last.out.requests;
      },
    },
    { what: 'read pass (footprint)', run: () => readFootprint(open).requests },
    a.runs,
  );
  if (last.out === null) throw new Error('replay did not run');
  const r = last.out.results[0];
  const unit = a.byteMode ? 'bytes' : 'objects';
  return {
    throughput: t,
    figures: [minRate('throughput', t.subject.perSecond, null), figure('miss ratio', r.missRatio, '')],
    peakRssMiB: peakRssMiB(),
    values: {
      capacity,
      requests: r.requests,
      misses: r.misses,
      missRatio: r.missRatio,
      byteMissRatio: r.byteMissRatio,
      uniqueObjects: fp.uniqueObjects,
      uniqueBytes: fp.uniqueBytes,
    },
    note: `${capacity} ${unit}${a.runs > 1 ? `; best of ${a.runs}` : ''}`,
  };
}

interface MemoryArgs {
  readonly objects: number;
}

/**
 * LRU's RSS per cached object: n first requests to n distinct ids fill a cache of n objects, then n
 * uniformly random hits keep it full. RSS is read before the replay and at its last progress call, with the
 * cache still alive, each after a full GC. The replay is then timed against a pass over the same ids.
 */
function lruMemory(raw: unknown): Measurement {
  const { objects: n } = raw as MemoryArgs;
  const ids = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) ids[i] = i;
  const rng = seedrandom.alea('bench/lru-memory');
  for (let i = n; i < 2 * n; i++) ids[i] = Math.floor(rng() * n);
  const cells = [{ policy: resolvePolicy('lru'), capacity: n }];
  const source = (): DenseSource => new DenseSource(`dense ids, ${n} objects`, ids);

  const src = source();
  collect();
  const before = process.memoryUsage().rss;
  let during = 0;
  const out = replay(src, cells, {
    byteMode: false,
    keySpace: n,
    onProgress: (done, total) => {
      if (done !== total) return;
      collect();
      during = process.memoryUsage().rss;
    },
  });
  const r = out.results[0];
  if (r.misses !== n || r.requests !== 2 * n) {
    throw new Error(
      `expected ${n} misses of ${2 * n} requests (a full cache), got ${r.misses} of ${r.requests}`,
    );
  }
  const perObject = (during - before) / n;

  const t = compare(
    {
      what: 'replay() lru, pre-mapped ids',
      run: () => replay(source(), cells, { byteMode: false, keySpace: n }).requests,
    },
    {
      what: 'pass over the same ids',
      run: () => {
        const s = source();
        let sum = 0;
        for (let b = s.next(); b !== null; b = s.next()) for (let i = 0; i < b.length; i++) sum += b.key[i];
        sink.value += sum;
        return 2 * n;
      },
    },
    3,
  );
  return {
    throughput: t,
    figures: [
      figure('RSS growth', perObject, 'B/object', {
        text: `< ${MEMORY_TARGET_BYTES}`,
        met: perObject < MEMORY_TARGET_BYTES,
      }),
    ],
    peakRssMiB: peakRssMiB(),
    values: { objects: n, rssBefore: before, rssWithCache: during, bytesPerObject: perObject },
    note: `RSS ${(before / 2 ** 20).toFixed(0)} → ${(during / 2 ** 20).toFixed(0)} MiB with ${n} objects cached`,
  };
}

interface MrcArgs {
  readonly trace: string;
  readonly fraction: number;
}

/** Exact LRU MRC of a whole trace (reading included) at 100 sizes, plus the size the replay cases use. */
function lruMrc(raw: unknown): Measurement {
  const a = raw as MrcArgs;
  const open = (): RequestSource => openTrace(a.trace);
  const fp = readFootprint(open);
  const at = Math.floor(a.fraction * fp.uniqueObjects);
  const sizes = [
    at,
    ...Array.from({ length: 100 }, (_, i) => Math.max(1, Math.floor(((i + 1) * fp.uniqueObjects) / 100))),
  ];
  let curve: number[] = [];
  const t = compare(
    {
      what: 'stack distances + histogram → curve',
      run: () => {
        const src = open();
        const sd = new StackDistance();
        sd.reserve(fp.uniqueObjects);
        const hist = new DistanceHistogram();
        let n = 0;
        try {
          for (let b = src.next(); b !== null; b = src.next()) {
            const key = b.key;
            for (let i = 0; i < b.length; i++) hist.add(sd.access(key[i], 1));
            n += b.length;
          }
        } finally {
          src.close();
        }
        curve = hist.missRatioCurve(sizes);
        return n;
      },
    },
    { what: 'read pass (footprint)', run: () => readFootprint(open).requests },
    1,
  );
  return {
    throughput: t,
    figures: [
      figure('time', t.subject.seconds, 's', {
        text: `< ${MRC_TARGET_SECONDS}`,
        met: t.subject.seconds < MRC_TARGET_SECONDS,
      }),
    ],
    peakRssMiB: peakRssMiB(),
    values: { requests: t.subject.items, capacityAtFraction: at, missRatioAtFraction: curve[0] },
    note: `${sizes.length - 1} sizes; miss ratio at ${at} objects: ${curve[0].toFixed(6)}`,
  };
}

/** Our whole process, as a user runs it. */
function oursWhole(trace: string, policy: string, byteMode: boolean, timeoutSeconds: number): ProcessRun {
  return timeProcess(
    process.execPath,
    [
      join(repoRoot, 'bin/cachetopo.js'),
      'replay',
      trace,
      '--policy',
      policy,
      '--size',
      `${FRACTION * 100}%`,
      byteMode ? '--bytes' : '--objects',
      '--no-bounds',
      '--windows',
      '0',
      '--json',
    ],
    { cwd: repoRoot, timeoutSeconds },
  );
}

/** The result our CLI printed: capacity and miss ratio of its one cell. */
function cliResult(run: ProcessRun): { size: number; missRatio: number } {
  const rep = JSON.parse(run.stdout) as { results: { size: number; missRatio: number }[] };
  return rep.results[0];
}

/** The measurement of higher throughput. */
function faster(best: Measurement | null, m: Measurement): Measurement {
  const rate = (x: Measurement): number => x.throughput?.subject.perSecond ?? 0;
  return best === null || rate(m) > rate(best) ? m : best;
}

/**
 * Fastest figures over several rounds. A round runs our loop case, our whole process and cachesim back to
 * back, so both sides meet the same load on a shared machine; the first failure of a side ends its runs.
 */
class Rounds {
  loop: Measurement | null = null;
  loopError: string | null = null;
  threaded: Measurement | null = null;
  threadedError: string | null = null;
  whole: ProcessRun | null = null;
  wholeError: string | null = null;
  cli: { size: number; missRatio: number } | null = null;
  lcs: CachesimResult | null = null;
  lcsLoop: number | null = null;
  lcsWhole: ProcessRun | null = null;
  lcsError: string | null = null;

  addLoop(o: CaseOutcome): void {
    if (!o.ok) this.loopError = o.error;
    else this.loop = faster(this.loop, o.measurement);
  }

  addThreaded(o: CaseOutcome): void {
    if (!o.ok) this.threadedError = o.error;
    else this.threaded = faster(this.threaded, o.measurement);
  }

  addWhole(r: ProcessRun): void {
    if (!r.ok) {
      this.wholeError = r.error;
      return;
    }
    try {
      this.cli = cliResult(r);
    } catch (e) {
      this.wholeError = `unreadable JSON: ${oneLine(e)}`;
      return;
    }
    if (this.whole === null || r.seconds < this.whole.seconds) this.whole = r;
  }

  addLcs(r: CachesimResult): void {
    this.lcs = r;
    if (r.error !== null) {
      this.lcsError = r.error;
      return;
    }
    if (r.loopPerSecond !== null && r.loopPerSecond > (this.lcsLoop ?? -1)) this.lcsLoop = r.loopPerSecond;
    if (this.lcsWhole === null || r.run.seconds < this.lcsWhole.seconds) this.lcsWhole = r.run;
  }

  get oursFailed(): boolean {
    return this.loopError !== null || this.wholeError !== null || this.threadedError !== null;
  }

  ours(): ReplaySide {
    const error = this.loopError ?? this.threadedError ?? this.wholeError;
    const which = this.loopError !== null ? 'loop' : this.threadedError !== null ? 'threaded loop' : 'whole';
    return {
      loopPerSecond: this.loopError === null ? (this.loop?.throughput?.subject.perSecond ?? null) : null,
      threadedLoopPerSecond:
        this.threadedError === null ? (this.threaded?.throughput?.subject.perSecond ?? null) : null,
      wholeSeconds: this.wholeError === null ? (this.whole?.seconds ?? null) : null,
      missRatio: this.cli?.missRatio ?? this.loop?.values?.missRatio ?? null,
      peakRssMiB: this.whole?.peakRssMiB ?? null,
      error: error === null ? null : `${which}: ${error}`,
    };
  }

  libcachesim(): ReplaySide {
    const ok = this.lcsError === null;
    return {
      loopPerSecond: ok ? this.lcsLoop : null,
      threadedLoopPerSecond: null,
      wholeSeconds: ok ? (this.lcsWhole?.seconds ?? null) : null,
      missRatio: this.lcs?.missRatio ?? null,
      peakRssMiB: this.lcsWhole?.peakRssMiB ?? null,
      error: this.lcsError,
    };
  }
}

interface TraceChoice {
  readonly label: string;
  readonly path: () => string;
}

function replayRow(
  ctx: GroupContext,
  trace: TraceChoice,
  byteMode: boolean,
  p: { name: string; goal: number },
  s: Scale,
): Row {
  const mode = byteMode ? 'bytes' : 'objects';
  const name = `${trace.label}, ${mode}, ${p.name}`;
  let path: string;
  try {
    path = trace.path();
  } catch (e) {
    return { group: GROUP, case: name, status: 'failed', error: `preparing data: ${oneLine(e)}` };
  }
  const requests = Math.floor(statSync(path).size / 24);
  const small = requests < SMALL_TRACE;
  const args: LoopArgs = {
    trace: path,
    policy: p.name,
    byteMode,
    fraction: FRACTION,
    runs: small ? s.smallRuns : 1,
    threaded: false,
  };
  const threaded = threadedByDefault(path);
  const r = new Rounds();
  for (let i = 0; i < s.rounds && !r.oursFailed && (r.whole?.seconds ?? 0) < LONG_RUN; i++) {
    ctx.log(`${GROUP}: ${name}: round ${i + 1} of ${s.rounds}`);
    r.addLoop(ctx.runCase('loop', args));
    if (threaded) r.addThreaded(ctx.runCase('loop', { ...args, threaded: true }));
    r.addWhole(oursWhole(path, p.name, byteMode, s.timeoutSeconds));
    // A side that needs minutes a run is measured once: noise is small beside it, and rounds would take hours.
    if (
      ctx.libcachesim !== null &&
      r.lcsError === null &&
      (i === 0 || (r.lcsWhole?.seconds ?? 0) < LONG_RUN)
    ) {
      r.addLcs(
        runCachesim(ctx.libcachesim, path, p.name, String(FRACTION), byteMode, {
          scratchDir: join(ctx.outDir, 'libcachesim-cwd'),
          timeoutSeconds: s.timeoutSeconds,
        }),
      );
    }
  }

  const notes: string[] = [];
  const capacity = r.loop?.values?.capacity ?? null;
  if (r.cli !== null && capacity !== null && r.cli.size !== capacity)
    notes.push(`CLI size ${r.cli.size} ≠ loop case ${capacity}`);
  const ours = r.ours();
  const lcs = ctx.libcachesim === null ? null : r.libcachesim();
  if (r.lcs !== null) {
    if (r.lcs.cacheName !== null) notes.push(`libCacheSim: ${r.lcs.cacheName}`);
    if (!byteMode && r.lcs.cacheSize !== null && capacity !== null && String(capacity) !== r.lcs.cacheSize)
      notes.push(`libCacheSim size ${r.lcs.cacheSize} ≠ ours ${capacity}`);
    if (
      ours.missRatio !== null &&
      r.lcs.missRatio !== null &&
      Math.abs(ours.missRatio - r.lcs.missRatio) > 5e-5
    )
      notes.push(`miss ratio differs: ${ours.missRatio.toFixed(4)} vs ${r.lcs.missRatio.toFixed(4)}`);
  }
  const loopRatio =
    ours.loopPerSecond !== null && lcs?.loopPerSecond != null ? ours.loopPerSecond / lcs.loopPerSecond : null;
  const threadedLoopRatio =
    ours.threadedLoopPerSecond !== null && lcs?.loopPerSecond != null
      ? ours.threadedLoopPerSecond / lcs.loopPerSecond
      : null;
  const cliRatio = threaded ? threadedLoopRatio : loopRatio;
  const wholeRatio =
    ours.wholeSeconds !== null && lcs?.wholeSeconds != null ? lcs.wholeSeconds / ours.wholeSeconds : null;
  const comparison: ReplayComparison = {
    trace: trace.label,
    mode,
    policy: p.name,
    capacity,
    requests,
    ours,
    libcachesim: lcs,
    loopRatio,
    threadedLoopRatio,
    wholeRatio,
    goal: p.goal,
    met: cliRatio === null ? null : cliRatio >= p.goal,
    runs: s.rounds,
  };
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  if (r.loop === null || r.loopError !== null || r.threadedError !== null) {
    return {
      group: GROUP,
      case: name,
      status: 'failed',
      error: r.loopError ?? (r.threadedError !== null ? `reader thread: ${r.threadedError}` : 'no result'),
      comparison,
      note,
    };
  }
  return { group: GROUP, case: name, status: 'ok', measurement: r.loop, comparison, note };
}

function run(ctx: GroupContext): void {
  const s = ctx.quick ? QUICK : FULL;
  const registered = new Set(policies.map((p) => p.name));
  const traces: TraceChoice[] = [];
  const sample = resolve(repoRoot, '../shared/traces/cloudPhysicsIO.oracleGeneral.bin');
  if (existsSync(sample)) traces.push({ label: 'cloudPhysicsIO', path: () => sample });
  else {
    ctx.record({
      group: GROUP,
      case: 'cloudPhysicsIO',
      status: 'skipped',
      note: `${sample} is absent (../shared is not beside the clone)`,
    });
  }
  const zipfLabel = `zipf ${count(s.zipf.requests)}`;
  traces.push({ label: zipfLabel, path: () => ctx.data.oracleGeneral(s.zipf) });

  let lruZipf: Row | null = null;
  for (const trace of traces) {
    for (const byteMode of [false, true]) {
      for (const p of POLICIES) {
        if (!registered.has(p.name)) {
          ctx.record({
            group: GROUP,
            case: `${trace.label}, ${byteMode ? 'bytes' : 'objects'}, ${p.name}`,
            status: 'skipped',
            note: `${p.name} is not in src/policies/registry.ts`,
          });
          continue;
        }
        const row = replayRow(ctx, trace, byteMode, p, s);
        if (trace.label === zipfLabel && !byteMode && p.name === 'lru') lruZipf = row;
        ctx.record(row);
      }
    }
  }

  prepareAndRun(ctx, GROUP, `LRU memory, ${count(s.memoryObjects)} objects cached`, 'lruMemory', () => ({
    objects: s.memoryObjects,
  }));

  const mrc = prepareAndRun(ctx, GROUP, `exact LRU MRC, ${zipfLabel}`, 'mrc', () => ({
    trace: ctx.data.oracleGeneral(s.zipf),
    fraction: FRACTION,
  }));
  const replayed = lruZipf?.measurement?.values?.missRatio;
  const curve = mrc.ok ? mrc.measurement.values?.missRatioAtFraction : undefined;
  ctx.check({
    group: GROUP,
    name: `LRU MRC at ${FRACTION * 100}% vs LRU replay (${zipfLabel}, objects)`,
    text:
      replayed !== undefined && curve !== undefined
        ? `${curve.toFixed(6)} vs ${replayed.toFixed(6)}`
        : 'not compared: a case failed or was skipped',
    met: replayed !== undefined && curve !== undefined ? Math.abs(curve - replayed) < 1e-12 : null,
  });
}

export const replayGroup: Group = {
  name: GROUP,
  description: 'replay loop beside libCacheSim, LRU memory per object, exact LRU MRC (issue 3)',
  run,
  runners: { loop: replayLoop, lruMemory, mrc: lruMrc },
};
