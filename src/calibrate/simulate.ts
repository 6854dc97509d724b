/**
 * Runs the simulator's model of a server on exactly what the real server saw: the same keys and value
 * sizes, the same memory limit, the parameters measured on the server (key length, baseline memory,
 * sampling and LFU settings), the same command order and the replay's wall-clock time.
 *
 * Command order: the client sends a batch's GETs, then a SET for each miss. So the model first looks up
 * every request of the batch (a hit touches the key as a GET would) and only then admits the misses, in
 * order. Time: every request of a batch runs at the unix time (µs) the batch was sent, which the Redis model
 * turns into its LRU clock (seconds) and LFU minutes exactly as the server does.
 */
import seedrandom from 'seedrandom';
import type { EvictionPolicy, ParamValue } from '../policies/api.ts';
import { resolvePolicy } from '../policies/registry.ts';
import { type CalibrationWorkload, largestBatch } from './workload.ts';

export interface SimRun {
  readonly hits: number;
  readonly misses: number;
  /** The model's memory at the end (Redis: baseBytes + dataset; memcached: total_malloced). */
  readonly memoryBytes: number;
  /** Keys cached at the end. */
  readonly objects: number;
}

/**
 * Replays `w` through `policy` (a registry name) at `capacity` bytes. Parameters the policy does not take
 * are ignored, so one set of measured parameters serves every Redis policy.
 */
export function simulate(
  w: CalibrationWorkload,
  batchTimes: Float64Array,
  policy: string,
  capacity: number,
  params: Readonly<Record<string, ParamValue>>,
  seed: number,
): SimRun {
  const bare = resolvePolicy(policy);
  const own = Object.fromEntries(Object.entries(params).filter(([k]) => Object.hasOwn(bare.params, k)));
  const spec = resolvePolicy(policy, own);
  const p: EvictionPolicy = spec.entry.create({
    capacity,
    keySpace: w.objects,
    random: seedrandom.alea(`${seed}/calibrate/${spec.label}/${capacity}`),
    params: spec.params,
    byteMode: true,
  });
  p.reserve(w.objects);
  const { keys, sizes, starts } = w;
  const missed = new Uint32Array(largestBatch(starts));
  let hits = 0;
  let misses = 0;
  for (let b = 0; b + 1 < starts.length; b++) {
    const now = batchTimes[b];
    let m = 0;
    for (let i = starts[b]; i < starts[b + 1]; i++) {
      if (p.contains(keys[i])) {
        p.access(keys[i], sizes[i], now, -1);
        hits++;
      } else missed[m++] = i;
    }
    for (let j = 0; j < m; j++) p.access(keys[missed[j]], sizes[missed[j]], now, -1);
    misses += m;
  }
  const base = typeof spec.params.baseBytes === 'number' ? spec.params.baseBytes : 0;
  return { hits, misses, memoryBytes: p.used + base, objects: p.count };
}
