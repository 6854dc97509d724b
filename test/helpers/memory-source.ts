/**
 * A RequestSource over a small in-memory list of requests, for round-trip tests of writers and readers:
 * it assigns key ids while handing out batches, as a file reader does, and reuses one batch.
 */
import {
  allocBatch,
  type KeyKind,
  type Op,
  type RequestSource,
  type TraceInfo,
} from '../../src/trace/api.ts';
import { KeyMap } from '../../src/trace/keymap.ts';
import type { WriterEntry } from '../../src/trace/registry.ts';

export interface Req {
  time: number;
  /** A bigint for u64 keys, a string for string keys. */
  key: bigint | string;
  size: number;
  op: Op;
  ttl: number;
  next?: number;
}

type Flags = Pick<TraceInfo, 'hasTime' | 'hasSize' | 'hasOp' | 'hasTtl' | 'hasNext'>;

export function requestSource(
  reqs: readonly Req[],
  keyKind: KeyKind,
  batchSize: number,
  flags?: Flags,
): RequestSource {
  const hasNext = flags ? flags.hasNext : reqs.length > 0 && reqs.every((r) => r.next !== undefined);
  const info: TraceInfo = {
    format: 'memory',
    name: 'in-memory',
    hasTime: true,
    hasSize: true,
    hasOp: true,
    hasTtl: true,
    ...flags,
    hasNext,
    keyKind,
    provenance: { kind: 'generator', spec: { name: 'in-memory' }, seed: 42 },
    requests: reqs.length,
  };
  const keys = new KeyMap(keyKind);
  const batch = allocBatch(batchSize, hasNext);
  let pos = 0;
  return {
    info,
    keys,
    next() {
      if (pos >= reqs.length) return null;
      const n = Math.min(batchSize, reqs.length - pos);
      for (let i = 0; i < n; i++) {
        const r = reqs[pos + i];
        batch.time[i] = r.time;
        batch.key[i] =
          typeof r.key === 'string'
            ? keys.idOfString(r.key)
            : keys.idOfU64(Number(r.key & 0xffffffffn), Number(r.key >> 32n));
        batch.size[i] = r.size;
        batch.op[i] = r.op;
        batch.ttl[i] = r.ttl;
        if (batch.next) batch.next[i] = r.next ?? -1;
      }
      batch.length = n;
      pos += n;
      return batch;
    },
    progress: () => ({ done: pos, total: reqs.length }),
    close() {},
  };
}

/** Copies a source's whole output into plain arrays (batch lengths kept), then closes it. */
export function readAll(src: RequestSource): {
  batchLengths: number[];
  time: number[];
  key: number[];
  size: number[];
  op: number[];
  ttl: number[];
  next: number[] | null;
  keys: string[];
} {
  const out = {
    batchLengths: [] as number[],
    time: [] as number[],
    key: [] as number[],
    size: [] as number[],
    op: [] as number[],
    ttl: [] as number[],
    next: src.info.hasNext ? ([] as number[]) : null,
    keys: [] as string[],
  };
  try {
    for (let b = src.next(); b !== null; b = src.next()) {
      out.batchLengths.push(b.length);
      out.time.push(...b.time.subarray(0, b.length));
      out.key.push(...b.key.subarray(0, b.length));
      out.size.push(...b.size.subarray(0, b.length));
      out.op.push(...b.op.subarray(0, b.length));
      out.ttl.push(...b.ttl.subarray(0, b.length));
      if (out.next && b.next) out.next.push(...b.next.subarray(0, b.length));
    }
  } finally {
    src.close();
  }
  for (let id = 0; id < src.keys.size; id++) out.keys.push(src.keys.keyOf(id));
  return out;
}

/** Writes a whole source with a writer, as `trace convert` does; returns the request count. */
export function writeTrace(writer: WriterEntry, path: string, src: RequestSource): number {
  const out = writer.create(path, src.info);
  let n = 0;
  try {
    for (let b = src.next(); b !== null; b = src.next()) {
      out.write(b, src.keys);
      n += b.length;
    }
    out.finish();
  } catch (e) {
    out.abort();
    throw e;
  }
  return n;
}
