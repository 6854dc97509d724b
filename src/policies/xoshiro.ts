/**
 * xoshiro128** (Blackman and Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021): a
 * 32-bit generator with 128 bits of state, period 2^128 − 1, built from shifts, rotations and two integer
 * multiplications.
 *
 * Why a second generator beside the cell's seeded stream (ctx.random, seedrandom's Alea): policies that
 * sample many keys per eviction (Hyperbolic draws 64) spent more time in Alea (~11 ns a draw: its state is
 * three doubles in object properties) than in evicting. This one keeps its state in four int32 fields and
 * draws in batches (~2 ns a draw). It is seeded from four draws of ctx.random, so results still depend on
 * the replay seed alone and are reproducible.
 */
import type { Random } from './api.ts';

const TWO_TO_32 = 4294967296;
const TWO_TO_MINUS_32 = 1 / TWO_TO_32;

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seedFrom: Random) {
    this.s0 = (seedFrom() * TWO_TO_32) | 0;
    this.s1 = (seedFrom() * TWO_TO_32) | 0;
    this.s2 = (seedFrom() * TWO_TO_32) | 0;
    this.s3 = (seedFrom() * TWO_TO_32) | 0;
    // The all-zero state is the generator's one fixed point.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * Fills out[0 .. count) with uniform indexes in [0, n), for 1 ≤ n ≤ 2^31: ⌊x·n / 2^32⌋ of 32-bit draws x,
   * as ⌊random()·n⌋ is for a 32-bit random() such as Alea's. Drawing a batch keeps the state in registers.
   */
  indexes(out: Int32Array, count: number, n: number): void {
    const scale = n * TWO_TO_MINUS_32;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < count; i++) {
      const m = Math.imul(s1, 5);
      const x = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = ((x >>> 0) * scale) | 0;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}
