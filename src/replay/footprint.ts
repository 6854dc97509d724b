/**
 * A cheap first pass over a trace: requests, unique objects and unique bytes (each object's size at its
 * first request, as libCacheSim counts the working set). Dense ids appear in increasing order, so a key is
 * new exactly when its id equals the count of keys seen so far: no per-key state is needed.
 */
import { forEachBatch, type ProgressFn, type RequestSource } from '../trace/api.ts';

export interface Footprint {
  readonly requests: number;
  readonly uniqueObjects: number;
  readonly uniqueBytes: number;
  readonly totalBytes: number;
}

export function footprint(src: RequestSource, onProgress?: ProgressFn): Footprint {
  let requests = 0;
  let uniq = 0;
  let uniqueBytes = 0;
  let totalBytes = 0;
  forEachBatch(
    src,
    (b) => {
      // Locals in the loop: the closure's captured variables would be context slots, slower per request.
      const { key, size } = b;
      let u = uniq;
      let ub = 0;
      let tb = 0;
      for (let i = 0; i < b.length; i++) {
        const s = size[i];
        tb += s;
        if (key[i] === u) {
          u++;
          ub += s;
        }
      }
      uniq = u;
      uniqueBytes += ub;
      totalBytes += tb;
      requests += b.length;
    },
    onProgress,
  );
  return { requests, uniqueObjects: uniq, uniqueBytes, totalBytes };
}
