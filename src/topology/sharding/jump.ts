/**
 * Jump consistent hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014,
 * arXiv:1406.2294). A key jumps forward through bucket numbers: from bucket b it draws the next bucket j at
 * which it would move if the bucket count grew to j + 1, using a 64-bit LCG seeded with the key
 * (key ← key · 2862933555777941757 + 1 mod 2^64; j = ⌊(b + 1) · 2^31 / ((key >> 33) + 1)⌋), until j passes
 * the bucket count. Growing from n to n + 1 buckets moves exactly the keys that land on the new bucket,
 * 1/(n + 1) of them, with perfect balance, no memory and O(ln n) steps.
 *
 * Buckets are positions, not names: bucket i is nodes[i], so only adding or removing the LAST node is
 * minimal; removing a node in the middle renumbers the ones after it and moves their keys too.
 *
 * JavaScript has no 64-bit integer arithmetic short of BigInt (which allocates), so the LCG runs on the
 * key's two 32-bit halves: the low half of the product by Math.imul, its carry into the high half from
 * products of 16-bit pieces, all in 32-bit integer operations (a BigInt version measured 3–4× slower). The
 * division is done in doubles exactly as the paper's C++ does, so results equal the reference bit for bit
 * (tested against a BigInt transcription and Guava's golden values). The sharder feeds it keyHash(key) as a 64-bit key with a zero high half.
 */
import type { SchemeEntry, Sharder } from './api.ts';
import { keyHash } from './key-hash.ts';

/** 2862933555777941757 = 0x27BB2EE6_87B0B0FD, the paper's LCG multiplier, in halves. */
const A_HI = 0x27bb2ee6;
const A_LO = 0x87b0b0fd;
/** The low half in 16-bit pieces, for the high 32 bits of a 32 × 32-bit product. */
const A_LO_0 = A_LO & 0xffff;
const A_LO_1 = A_LO >>> 16;
const TWO_31 = 0x80000000;

/** The bucket in [0, buckets) of the 64-bit key hi · 2^32 + lo, as JumpConsistentHash; buckets < 2^31. */
export function jumpHash(lo: number, hi: number, buckets: number): number {
  let kLo = lo | 0;
  let kHi = hi | 0;
  let b = -1;
  let j = 0;
  for (;;) {
    b = j;
    // key · A mod 2^64 = kLo · A_LO + ((kHi · A_LO + kLo · A_HI) mod 2^32) · 2^32. The high half of
    // kLo · A_LO is summed from 16 × 16-bit products, each exact in 32 bits.
    const x0 = kLo & 0xffff;
    const x1 = kLo >>> 16;
    const p00 = Math.imul(x0, A_LO_0) >>> 0;
    const p01 = Math.imul(x0, A_LO_1) >>> 0;
    const p10 = Math.imul(x1, A_LO_0) >>> 0;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    const carry = (Math.imul(x1, A_LO_1) >>> 0) + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
    const nextLo = (Math.imul(kLo, A_LO) + 1) | 0;
    kHi = (carry + Math.imul(kHi, A_LO) + Math.imul(kLo, A_HI) + (nextLo === 0 ? 1 : 0)) | 0;
    kLo = nextLo;
    // The paper's double arithmetic, operation for operation, so the truncation matches it exactly.
    const next = (b + 1) * (TWO_31 / ((kHi >>> 1) + 1));
    if (!(next < buckets)) return b;
    j = next | 0;
  }
}

export class JumpSharder implements Sharder {
  readonly scheme = 'jump';
  readonly nodes: readonly string[];
  private readonly n: number;

  constructor(nodes: readonly string[]) {
    this.nodes = nodes;
    this.n = nodes.length;
  }

  shardOf(key: number): number {
    return jumpHash(keyHash(key), 0, this.n);
  }
}

export const jumpScheme: SchemeEntry = {
  kind: 'jump',
  description: 'jump consistent hash (Lamping & Veach 2014): minimal moves when the LAST node changes',
  create: (_spec, nodes) => new JumpSharder(nodes),
};
