/** Copies any request source into a writer, batch by batch; the output appears only when complete. */
import { forEachBatch, type ProgressFn, type RequestSource } from './api.ts';
import type { TraceWriter } from './registry.ts';

export function copyTrace(src: RequestSource, out: TraceWriter, onProgress?: ProgressFn): number {
  let n = 0;
  try {
    forEachBatch(
      src,
      (b) => {
        out.write(b, src.keys);
        n += b.length;
      },
      onProgress,
    );
    out.finish();
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    src.close();
  }
  return n;
}
