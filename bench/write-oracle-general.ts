/**
 * Writes a request source as a libCacheSim oracleGeneral file, so the bench can feed our readers and
 * libCacheSim's `cachesim` the very same bytes. Records are 24 bytes, little-endian:
 *   u32 clock_time (s) · u64 obj_id · u32 obj_size · i64 next_access_vtime
 * with next_access_vtime the 1-based position of the next request to the object, or -1 for never
 * (../shared/traces/README.md). Next accesses come from computeNextAccess over a first read of the source,
 * then a second read writes the records: `open` must give the same requests each time (a seeded generator).
 *
 * Object ids are the 64-bit hash of the source's key (two rounds of the murmur3 finaliser, one per half),
 * so the file looks like a production trace with hashed keys: the low half alone is a bijection of the
 * key, so distinct keys stay distinct, and both halves exercise the 64-bit id mapping.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { computeNextAccess } from '../src/replay/next-access.ts';
import type { RequestSource } from '../src/trace/api.ts';

const RECORD_WORDS = 6;

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Writes `path` (via a temporary file renamed into place) and returns the number of records. */
export function writeOracleGeneral(open: () => RequestSource, path: string): number {
  if (endianness() !== 'LE') throw new Error('writeOracleGeneral: a little-endian machine is required');
  const first = open();
  let nextOf: Int32Array;
  try {
    nextOf = computeNextAccess(first);
  } finally {
    first.close();
  }
  const tmp = `${path}.partial-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const src = open();
  let pos = 0;
  let complete = false;
  try {
    let idLo = new Uint32Array(1 << 16);
    let idHi = new Uint32Array(1 << 16);
    let known = 0;
    let words = new Uint32Array(0);
    for (let b = src.next(); b !== null; b = src.next()) {
      const n = b.length;
      if (pos + n > nextOf.length)
        throw new Error(`${path}: the source gave more requests on its second read`);
      const keys = src.keys;
      if (keys.size > idLo.length) {
        const lo = new Uint32Array(Math.max(keys.size, idLo.length * 2));
        const hi = new Uint32Array(lo.length);
        lo.set(idLo);
        hi.set(idHi);
        idLo = lo;
        idHi = hi;
      }
      for (; known < keys.size; known++) {
        const [lo, hi] = keys.halves(known);
        idLo[known] = fmix32(fmix32(lo) ^ hi);
        idHi[known] = fmix32(fmix32(hi ^ 0x9e3779b9) ^ lo);
      }
      if (words.length < n * RECORD_WORDS) words = new Uint32Array(n * RECORD_WORDS);
      const { key, size, time } = b;
      for (let i = 0; i < n; i++) {
        const o = i * RECORD_WORDS;
        const k = key[i];
        const nx = nextOf[pos + i];
        words[o] = Math.floor(time[i] / 1e6);
        words[o + 1] = idLo[k];
        words[o + 2] = idHi[k];
        words[o + 3] = size[i];
        words[o + 4] = nx < 0 ? 0xffffffff : nx + 1;
        words[o + 5] = nx < 0 ? 0xffffffff : 0;
      }
      writeSync(fd, new Uint8Array(words.buffer, 0, n * RECORD_WORDS * 4));
      pos += n;
    }
    if (pos !== nextOf.length) throw new Error(`${path}: the source gave fewer requests on its second read`);
    complete = true;
  } finally {
    closeSync(fd);
    src.close();
    if (!complete) unlinkSync(tmp);
  }
  renameSync(tmp, path);
  return pos;
}
