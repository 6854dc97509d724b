/**
 * A cheap first pass over a trace: requests, unique objects and unique bytes (each object's size at its
 * first request, as libCacheSim counts the working set). Dense ids appear in increasing order, so a key is
 * new exactly when its id equals the count of keys seen so far: no per-key state is needed.
 */
import type { RequestSource } from '../trace/api.ts';

export interface Footprint {
  readonly requests: number;
  readonly uniqueObjects: number;
  readonly uniqueBytes: number;
  readonly totalBytes: number;
}

export function footprint(src: RequestSource, onProgress?: (done: number, total: number) => void): Footprint {
  let requests = 0;
  let uniq = 0;
  let uniqueBytes = 0;
  let totalBytes = 0;
  for (let b = src.next(); b !== null; b = src.next()) {
    const { key, size } = b;
    for (let i = 0; i < b.length; i++) {
      const s = size[i];
      totalBytes += s;
      if (key[i] === uniq) {
        uniq++;
        uniqueBytes += s;
      }
    }
    requests += b.length;
    if (onProgress) {
      const p = src.progress();
      onProgress(p.done, p.total);
    }
  }
  return { requests, uniqueObjects: uniq, uniqueBytes, totalBytes };
}
