/**
 * A request source over key ids that are already dense (0 … n-1), held in memory: what a replay sees once a
 * reader has mapped the keys. The memory case uses it so that the RSS a replay adds is the cache's alone,
 * with no reader buffers or key map growing beside it. Every request is a get of size 1 at time 0.
 */
import {
  allocBatch,
  BATCH_SIZE,
  type RequestBatch,
  type RequestSource,
  type TraceInfo,
} from '../src/trace/api.ts';
import { KeyMap } from '../src/trace/keymap.ts';

export class DenseSource implements RequestSource {
  readonly info: TraceInfo;
  /** Stays empty: the ids need no mapping (the replay is told the key space up front). */
  readonly keys = new KeyMap('u64');
  private readonly ids: Uint32Array;
  private readonly batch: RequestBatch = allocBatch(BATCH_SIZE);
  private done = 0;

  constructor(name: string, ids: Uint32Array) {
    this.ids = ids;
    this.batch.size.fill(1);
    this.info = {
      format: 'dense',
      name,
      hasTime: false,
      hasSize: false,
      hasOp: false,
      hasTtl: false,
      hasNext: false,
      keyKind: 'u64',
      provenance: { kind: 'generator', spec: name, seed: 0 },
      requests: ids.length,
    };
  }

  next(): RequestBatch | null {
    const n = Math.min(BATCH_SIZE, this.ids.length - this.done);
    if (n <= 0) return null;
    this.batch.key.set(this.ids.subarray(this.done, this.done + n));
    this.batch.length = n;
    this.done += n;
    return this.batch;
  }

  progress(): { done: number; total: number } {
    return { done: this.done, total: this.ids.length };
  }

  close(): void {
    this.done = this.ids.length;
  }
}
