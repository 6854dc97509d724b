/**
 * Trace characterisation (`cachetopo trace inspect`): one streaming pass over a source, batch by batch,
 * with memory O(distinct keys) (plus one counter per distinct request size), giving the numbers that
 * describe a cache workload:
 * - volume: requests, unique objects, bytes requested, and the working set in bytes counting each object
 *   at its FIRST request's size (as libCacheSim's cachesim sizes fractional caches);
 * - mix: gets/sets/deletes, read/write ratio (gets per set), share of requests carrying a TTL;
 * - popularity: one-hit wonders (objects requested exactly once) and a fitted Zipf alpha: the negated
 *   least-squares slope of ln(frequency) against ln(rank), objects ranked 1…M by decreasing frequency
 *   (ties get consecutive ranks), over the head of the curve (see fitZipf);
 * - locality: exact LRU stack (reuse) distance percentiles over re-accesses (first accesses excluded),
 *   from analysis/stack-distance.ts; every request counts as an access, whatever its op;
 * - sizes: percentiles over requests and over unique objects (first size);
 * - time: span, mean request rate and requests per window over time (analysis/time-windows.ts).
 * Percentiles use the nearest-rank method (the smallest value with at least ⌈p·n/100⌉ values at or below
 * it), so each is a value that occurs. Undefined quantities are null, so the stats are plain JSON, and
 * the same input always gives the same JSON.
 */

import { DistanceHistogram, StackDistance } from '../analysis/stack-distance.ts';
import { TimeWindows } from '../analysis/time-windows.ts';
import { columns } from '../columns.ts';
import { grown } from '../policies/arrays.ts';
import { OP_DELETE, OP_GET, OP_SET, type RequestSource } from './api.ts';

const PERCENTILES = [10, 25, 50, 75, 90, 99] as const;

export interface Percentiles {
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  p99: number;
}

/** A distribution's extremes, percentiles and mean (sizes, reuse distances). */
export interface SizeStats extends Percentiles {
  min: number;
  max: number;
  mean: number;
}

export interface RateOverTime {
  /** Start of the first window in seconds (windows are aligned to multiples of their width). */
  startSeconds: number;
  windowSeconds: number;
  /** Requests in each window. */
  requests: number[];
  /** Requests per second in each window (over the whole window width). */
  perSecond: number[];
}

export interface TraceStats {
  name: string;
  format: string;
  hasTime: boolean;
  hasSize: boolean;
  hasOp: boolean;
  hasTtl: boolean;
  requests: number;
  uniqueObjects: number;
  /** Sum of the sizes of all requests. */
  totalBytes: number;
  /** Sum over objects of the size at the object's first request. */
  uniqueBytes: number;
  gets: number;
  sets: number;
  deletes: number;
  /** Gets per set; null when there are no sets. */
  readWriteRatio: number | null;
  /** Objects requested exactly once. */
  oneHitWonders: number;
  /** oneHitWonders / uniqueObjects; null without objects. */
  oneHitWonderRatio: number | null;
  /** Fitted Zipf exponent (see the module comment); null with fewer than two objects. */
  zipfAlpha: number | null;
  /** Requests that re-access an object (those with a finite stack distance). */
  reuses: number;
  /** LRU stack distances of re-accesses (distinct objects in between); null without re-accesses. */
  reuseDistance: SizeStats | null;
  /** Size percentiles over requests; null without requests. */
  sizePerRequest: SizeStats | null;
  /** Size percentiles over unique objects (first size); null without requests. */
  sizePerObject: SizeStats | null;
  /** Earliest and latest timestamps in seconds; null without timestamps or requests. */
  firstSeconds: number | null;
  lastSeconds: number | null;
  /** lastSeconds − firstSeconds; null without timestamps or requests. */
  durationSeconds: number | null;
  /** requests / durationSeconds; null when the duration is unknown or zero. */
  requestsPerSecond: number | null;
  /** Requests over time in equal windows; null when the duration is unknown or zero. */
  rateOverTime: RateOverTime | null;
  /** Requests with a TTL (> 0). */
  requestsWithTtl: number;
  /** requestsWithTtl / requests; null without requests. */
  ttlShare: number | null;
}

/** Nearest-rank percentiles of values given in increasing order with their counts. */
function percentilesOf(values: ArrayLike<number>, counts: ArrayLike<number> | null, n: number): Percentiles {
  const out: number[] = [];
  let i = 0;
  let seen = counts === null ? 1 : counts[0];
  for (const p of PERCENTILES) {
    const rank = Math.max(1, Math.ceil((p * n) / 100));
    while (seen < rank) {
      i++;
      seen += counts === null ? 1 : counts[i];
    }
    out.push(values[i]);
  }
  const [p10, p25, p50, p75, p90, p99] = out;
  return { p10, p25, p50, p75, p90, p99 };
}

/** Size statistics over distinct values (increasing) with their counts. */
function sizeStats(
  values: ArrayLike<number>,
  counts: ArrayLike<number> | null,
  n: number,
  sum: number,
): SizeStats {
  return {
    min: values[0],
    ...percentilesOf(values, counts, n),
    max: values[values.length - 1],
    mean: sum / n,
  };
}

function reuseStats(h: DistanceHistogram): SizeStats {
  const [p10, p25, p50, p75, p90, p99] = PERCENTILES.map((p) => h.percentile(p)!);
  let min = -1;
  let sum = 0;
  for (let d = 0; d <= h.maxDistance; d++) {
    const c = h.count(d);
    if (c > 0 && min < 0) min = d;
    sum += c * d;
  }
  return { min, p10, p25, p50, p75, p90, p99, max: h.maxDistance, mean: sum / h.finite };
}

/** Negated least-squares slope of ln(frequency) on ln(rank), frequencies sorted in decreasing order. */
/**
 * Least-squares slope of ln(frequency) on ln(rank) over the head of the popularity curve: the objects
 * requested at least `minCount` times, for the largest minCount in FIT_THRESHOLDS that leaves ≥ 10 points.
 * Rare objects' counts are dominated by sampling noise (a count cannot fall below 1), which flattens a fit
 * over the whole tail: on Zipf(0.9) traces of 1M requests over 1M objects the whole-curve fit gives 0.69,
 * the head (count ≥ 20) 0.89; for alpha 0.6 and 1.2 the head gives 0.59 and 1.19.
 */
const FIT_THRESHOLDS = [20, 10, 5, 2, 1] as const;
const FIT_MIN_POINTS = 10;

function fitZipf(freqDesc: ArrayLike<number>): number | null {
  let m = 0;
  for (const t of FIT_THRESHOLDS) {
    m = 0;
    while (m < freqDesc.length && freqDesc[m] >= t) m++;
    if (m >= FIT_MIN_POINTS) break;
  }
  if (m < 2) return null;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let r = 1; r <= m; r++) {
    const x = Math.log(r);
    const y = Math.log(freqDesc[r - 1]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const den = m * sxx - sx * sx;
  return den === 0 ? null : -(m * sxy - sx * sy) / den;
}

export function inspectTrace(
  src: RequestSource,
  onProgress?: (done: number, total: number) => void,
): TraceStats {
  const info = src.info;
  let freq = new Float64Array(1024);
  let firstSize = new Uint32Array(1024);
  const sizeCounts = new Map<number, number>();
  const opCounts = new Float64Array(3);
  const sd = new StackDistance();
  const reuse = new DistanceHistogram();
  const windows = new TimeWindows();
  let requests = 0;
  let totalBytes = 0;
  let uniqueBytes = 0;
  let withTtl = 0;
  let tMin = Number.POSITIVE_INFINITY;
  let tMax = Number.NEGATIVE_INFINITY;

  for (let batch = src.next(); batch !== null; batch = src.next()) {
    const keySpace = src.keys.size;
    freq = grown(freq, keySpace, 0);
    firstSize = grown(firstSize, keySpace, 0);
    sd.reserve(keySpace);
    const { key, size, op, ttl, time } = batch;
    for (let i = 0; i < batch.length; i++) {
      const k = key[i];
      const s = size[i];
      if (freq[k] === 0) {
        firstSize[k] = s;
        uniqueBytes += s;
      }
      freq[k]++;
      totalBytes += s;
      sizeCounts.set(s, (sizeCounts.get(s) ?? 0) + 1);
      opCounts[op[i]]++;
      if (ttl[i] > 0) withTtl++;
      const t = time[i];
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
      windows.add(t);
      reuse.add(sd.access(k, s));
    }
    requests += batch.length;
    if (onProgress) {
      const p = src.progress();
      onProgress(p.done, p.total);
    }
  }

  // Per-object arrays, compacted to the requested objects.
  let objects = 0;
  let oneHit = 0;
  for (let k = 0; k < freq.length; k++) {
    if (freq[k] > 0) objects++;
    if (freq[k] === 1) oneHit++;
  }
  const objFreq = new Float64Array(objects);
  const objSize = new Uint32Array(objects);
  for (let k = 0, j = 0; k < freq.length; k++) {
    if (freq[k] > 0) {
      objFreq[j] = freq[k];
      objSize[j] = firstSize[k];
      j++;
    }
  }
  objFreq.sort().reverse();
  objSize.sort();

  const distinctSizes = Float64Array.from(sizeCounts.keys()).sort();
  const sizeCountsSorted = distinctSizes.map((s) => sizeCounts.get(s) ?? 0);

  const timed = info.hasTime && requests > 0;
  const duration = timed ? (tMax - tMin) / 1e6 : null;
  const w = windows.result();
  const rateOverTime: RateOverTime | null =
    duration !== null && duration > 0
      ? {
          startSeconds: w.startUs / 1e6,
          windowSeconds: w.widthUs / 1e6,
          requests: w.counts,
          perSecond: w.counts.map((c) => (c * 1e6) / w.widthUs),
        }
      : null;

  const gets = opCounts[OP_GET];
  const sets = opCounts[OP_SET];
  return {
    name: info.name,
    format: info.format,
    hasTime: info.hasTime,
    hasSize: info.hasSize,
    hasOp: info.hasOp,
    hasTtl: info.hasTtl,
    requests,
    uniqueObjects: objects,
    totalBytes,
    uniqueBytes,
    gets,
    sets,
    deletes: opCounts[OP_DELETE],
    readWriteRatio: sets > 0 ? gets / sets : null,
    oneHitWonders: oneHit,
    oneHitWonderRatio: objects > 0 ? oneHit / objects : null,
    zipfAlpha: fitZipf(objFreq),
    reuses: reuse.finite,
    reuseDistance: reuse.finite > 0 ? reuseStats(reuse) : null,
    sizePerRequest: requests > 0 ? sizeStats(distinctSizes, sizeCountsSorted, requests, totalBytes) : null,
    sizePerObject: objects > 0 ? sizeStats(objSize, null, objects, uniqueBytes) : null,
    firstSeconds: timed ? tMin / 1e6 : null,
    lastSeconds: timed ? tMax / 1e6 : null,
    durationSeconds: duration,
    requestsPerSecond: duration !== null && duration > 0 ? requests / duration : null,
    rateOverTime,
    requestsWithTtl: withTtl,
    ttlShare: requests > 0 ? withTtl / requests : null,
  };
}

/** 1234567 → "1,234,567" (fixed format, independent of the locale). */
function int(n: number): string {
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}

/** A number with thousands separators and `digits` decimals. */
function num(n: number, digits = 2): string {
  const [whole, frac] = Math.abs(n).toFixed(digits).split('.');
  return `${n < 0 ? '-' : ''}${int(Number(whole))}.${frac}`;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${int(n)} B` : `${int(n)} B (${v.toFixed(2)} ${units[u]})`;
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(2)}%` : '-';
}

/** Seconds with up to 6 decimals (µs), trailing zeros dropped. */
function secs(n: number): string {
  const [whole, frac] = Math.abs(n).toFixed(6).split('.');
  const f = frac.replace(/0+$/, '');
  return `${n < 0 ? '-' : ''}${int(Number(whole))}${f === '' ? '' : `.${f}`}`;
}

const BAR_WIDTH = 40;

/** The stats as a readable text table (ending with a newline). */
export function formatStatsTable(st: TraceStats): string {
  const absent = ['time', 'size', 'op', 'ttl'].filter(
    (_, i) => ![st.hasTime, st.hasSize, st.hasOp, st.hasTtl][i],
  );
  const summary: string[][] = [
    ['trace', st.name],
    ['format', absent.length > 0 ? `${st.format} (no ${absent.join(', ')} in the trace)` : st.format],
    ['requests', int(st.requests)],
    ['unique objects', int(st.uniqueObjects)],
    ['bytes requested', bytes(st.totalBytes)],
    ['working set', `${bytes(st.uniqueBytes)}, first size of each object`],
    ['gets / sets / deletes', `${int(st.gets)} / ${int(st.sets)} / ${int(st.deletes)}`],
    [
      'read/write ratio',
      st.readWriteRatio === null ? '- (no sets)' : `${num(st.readWriteRatio, 3)} gets per set`,
    ],
    ['one-hit wonders', `${int(st.oneHitWonders)} (${pct(st.oneHitWonders, st.uniqueObjects)} of objects)`],
    ['Zipf alpha (fit)', st.zipfAlpha === null ? '-' : st.zipfAlpha.toFixed(4)],
    ['requests with TTL', `${int(st.requestsWithTtl)} (${pct(st.requestsWithTtl, st.requests)})`],
    [
      'time span',
      st.firstSeconds === null || st.lastSeconds === null || st.durationSeconds === null
        ? '-'
        : `${secs(st.firstSeconds)} s to ${secs(st.lastSeconds)} s (${secs(st.durationSeconds)} s)`,
    ],
    ['mean request rate', st.requestsPerSecond === null ? '-' : `${num(st.requestsPerSecond)} req/s`],
    ['re-accesses', `${int(st.reuses)} (${pct(st.reuses, st.requests)} of requests)`],
  ];
  const lines = columns(summary, { align: 'll' });

  const dist: string[][] = [['', 'min', 'p10', 'p25', 'p50', 'p75', 'p90', 'p99', 'max', 'mean']];
  const keys = ['p10', 'p25', 'p50', 'p75', 'p90', 'p99'] as const;
  for (const [label, s] of [
    ['reuse distance (objects)', st.reuseDistance],
    ['size per request (bytes)', st.sizePerRequest],
    ['size per object (bytes)', st.sizePerObject],
  ] as const) {
    dist.push(
      s === null
        ? [label, '-', '-', '-', '-', '-', '-', '-', '-', '-']
        : [label, int(s.min), ...keys.map((k) => int(s[k])), int(s.max), num(s.mean, 1)],
    );
  }
  lines.push('', ...columns(dist, { align: 'l' }));

  const r = st.rateOverTime;
  if (r !== null) {
    lines.push('', `requests over time (${r.requests.length} windows of ${secs(r.windowSeconds)} s):`);
    const peak = Math.max(...r.requests);
    const rows: string[][] = [['  start (s)', 'requests', 'req/s', '']];
    r.requests.forEach((c, i) => {
      const bar = '#'.repeat(peak > 0 ? Math.round((BAR_WIDTH * c) / peak) : 0);
      rows.push([`  ${secs(r.startSeconds + i * r.windowSeconds)}`, int(c), num(r.perSecond[i]), bar]);
    });
    lines.push(...columns(rows, { align: 'rrrl' }));
  }
  return `${lines.join('\n')}\n`;
}
