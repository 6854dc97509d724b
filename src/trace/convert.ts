/** Copies any request source into a writer, batch by batch; the output appears only when complete. */
import type { RequestSource } from './api.ts';
import type { TraceWriter } from './registry.ts';

export function copyTrace(
  src: RequestSource,
  out: TraceWriter,
  onProgress?: (done: number, total: number) => void,
): number {
  let n = 0;
  try {
    for (let b = src.next(); b !== null; b = src.next()) {
      out.write(b, src.keys);
      n += b.length;
      if (onProgress) {
        const p = src.progress();
        onProgress(p.done, p.total);
      }
    }
    out.finish();
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    src.close();
  }
  return n;
}
