/**
 * Encoders for the binary trace formats we read (oracleGeneral, vscsi v1/v2), so tests and the fixture
 * script build their inputs from readable records. 64-bit fields are bigints: ids above 2^53 stay exact.
 */

export interface OracleRecord {
  /** Seconds. */
  time: number;
  id: bigint;
  size: number;
  /** Absolute 1-based index of the next request to the same id; -1n or INT64_MAX for never. */
  next: bigint;
}

export const INT64_MAX = (1n << 63n) - 1n;

export function encodeOracleGeneral(records: readonly OracleRecord[]): Buffer {
  const buf = Buffer.alloc(records.length * 24);
  records.forEach((r, i) => {
    const o = i * 24;
    buf.writeUInt32LE(r.time, o);
    buf.writeBigUInt64LE(r.id, o + 4);
    buf.writeUInt32LE(r.size, o + 12);
    buf.writeBigInt64LE(r.next, o + 16);
  });
  return buf;
}

export interface VscsiRecord {
  /** Microseconds. */
  ts: bigint;
  lbn: bigint;
  len: number;
  cmd: number;
}

/** Encodes records as vscsi v1 (32 bytes each) or v2 (40 bytes each); `ver` overrides the version field. */
export function encodeVscsi(version: 1 | 2, records: readonly VscsiRecord[], ver = version << 8): Buffer {
  const size = version === 1 ? 32 : 40;
  const buf = Buffer.alloc(records.length * size);
  records.forEach((r, i) => {
    const o = i * size;
    if (version === 1) {
      buf.writeUInt32LE(0x80000000 + i, o); // sn
      buf.writeUInt32LE(r.len, o + 4);
      buf.writeUInt32LE(1, o + 8); // nSG
      buf.writeUInt16LE(r.cmd, o + 12);
      buf.writeUInt16LE(ver, o + 14);
    } else {
      buf.writeUInt16LE(r.cmd, o);
      buf.writeUInt16LE(ver, o + 2);
      buf.writeUInt32LE(0x80000000 + i, o + 4); // sn
      buf.writeUInt32LE(r.len, o + 8);
      buf.writeUInt32LE(1, o + 12); // nSG
      buf.writeBigUInt64LE(r.ts + 250n, o + 32); // rt: response time, unused
    }
    buf.writeBigUInt64LE(r.lbn, o + 16);
    buf.writeBigUInt64LE(r.ts, o + 24);
  });
  return buf;
}

/**
 * The TINY oracleGeneral trace (also committed as test/fixtures/tiny.oracleGeneral.bin and .bin.zst):
 * ids above 2^53 that differ only in the last bit, both never-again markers, a size-0 request and the
 * largest u64 id.
 */
export const TINY: readonly OracleRecord[] = [
  { time: 100, id: 42n, size: 512, next: 3n },
  { time: 100, id: (1n << 63n) + 1n, size: 4096, next: 5n },
  { time: 101, id: 42n, size: 512, next: -1n },
  { time: 102, id: (1n << 63n) + 2n, size: 100, next: INT64_MAX },
  { time: 105, id: (1n << 63n) + 1n, size: 4096, next: -1n },
  { time: 105, id: 0n, size: 0, next: -1n },
  { time: 106, id: (1n << 64n) - 1n, size: 1, next: -1n },
];

/**
 * The LOOP oracleGeneral trace (committed as test/fixtures/loop.oracleGeneral.zst in two zstd frames):
 * `n` requests cycling over `period` ids, so request i is followed by request i + period.
 */
export function loopTrace(n: number, period: number): OracleRecord[] {
  const out: OracleRecord[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % period;
    out.push({
      time: Math.floor(i / 100),
      id: 1_000_000n + BigInt(k),
      size: 512 * (1 + (k % 4)),
      next: i + period < n ? BigInt(i + period + 1) : -1n,
    });
  }
  return out;
}

export const LOOP_N = 3_000;
export const LOOP_PERIOD = 100;
/** Records in the first of the LOOP fixture's two zstd frames. */
export const LOOP_SPLIT = 1_234;
