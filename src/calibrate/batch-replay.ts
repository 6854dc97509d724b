/**
 * The client loop both real-server replays share (workload.ts says why batches are safe): per batch, all
 * its GETs at once, then one SET for each miss, so at most one batch is ever outstanding. It records the
 * wall-clock time each batch was sent (the models run on that clock, simulate.ts) and the misses the client
 * saw, which a server's own counters should match unless someone else used it.
 */
import { type CalibrationWorkload, keyNames, maxSize } from './workload.ts';

/** What a server's client does with one batch. */
export interface BatchClient {
  /** GETs the keys at once; resolves with each one's value in order, null for a miss. */
  get(keys: readonly string[]): Promise<readonly unknown[]>;
  /** SETs each key to its value, at once. */
  set(keys: readonly string[], values: readonly Buffer[]): Promise<void>;
}

export interface BatchReplay {
  /** Unix time (µs) at which each batch was sent. */
  readonly batchTimes: Float64Array;
  readonly clientMisses: number;
  /** Wall-clock seconds of the whole loop. */
  readonly seconds: number;
}

export async function replayBatches(
  w: CalibrationWorkload,
  client: BatchClient,
  onProgress?: (done: number, total: number) => void,
): Promise<BatchReplay> {
  const names = keyNames(w);
  const value = Buffer.alloc(maxSize(w), 'v');
  const starts = w.starts;
  const batches = starts.length - 1;
  const batchTimes = new Float64Array(batches);
  // Reused across batches: the network, not these arrays, sets the pace, but there is no need to churn.
  const keys: string[] = [];
  const missKeys: string[] = [];
  const missValues: Buffer[] = [];
  let clientMisses = 0;
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    batchTimes[b] = Date.now() * 1000;
    const from = starts[b];
    const to = starts[b + 1];
    keys.length = 0;
    for (let i = from; i < to; i++) keys.push(names[w.keys[i]]);
    const got = await client.get(keys);
    missKeys.length = 0;
    missValues.length = 0;
    for (let j = 0; j < got.length; j++) {
      if (got[j] !== null) continue;
      missKeys.push(keys[j]);
      missValues.push(value.subarray(0, w.sizes[from + j]));
    }
    if (missKeys.length > 0) await client.set(missKeys, missValues);
    clientMisses += missKeys.length;
    if (onProgress && (b & 63) === 0) onProgress(to, w.requests);
  }
  return { batchTimes, clientMisses, seconds: (performance.now() - t0) / 1000 };
}
