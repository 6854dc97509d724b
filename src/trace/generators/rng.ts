/**
 * Named random streams for the generators. Every concern (popularity, permutation, ops, TTLs, arrivals,
 * the mix's choices, …) draws from its own seedrandom Alea generator seeded by (seed, name), so changing
 * one part of a spec — say the size distribution — leaves every other sequence as it was. Alea is
 * seedrandom's fastest generator here (≈170M draws/s in Node 20) and passes the usual batteries.
 *
 * Per-object draws (sizes) are not taken from a stream, whose order would depend on the order objects
 * first appear, but from a keyed hash of the object number: the same object always gets the same value.
 */
import seedrandom from 'seedrandom';

export type Rng = seedrandom.PRNG;

/** The streams of one generator (or of one component of a mix: `sub` prefixes the names). */
export class Streams {
  private readonly seed: number;
  private readonly prefix: string;

  constructor(seed: number, prefix = '') {
    this.seed = seed;
    this.prefix = prefix;
  }

  /** A fresh generator for `name`; asking twice for a name gives two identical generators. */
  get(name: string): Rng {
    return seedrandom.alea(`cachetopo/${this.seed}/${this.prefix}${name}`);
  }

  /** The streams of a part (e.g. `components/1`), disjoint from this one's. */
  sub(part: string): Streams {
    return new Streams(this.seed, `${this.prefix}${part}/`);
  }
}

/** The murmur3 32-bit finaliser: a bijection on 32-bit integers with full avalanche. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Uniform numbers in (0, 1) that are a fixed function of a 32-bit key: the j-th draw of key k under the
 * hash's salt. Two rounds of fmix32 around the salt words give 53 random-looking bits per draw.
 */
export class KeyedUniform {
  private readonly salt: Uint32Array;

  /** Salt words come from the named stream, so the values depend on the seed and the stream's name. */
  constructor(rng: Rng, draws: number) {
    this.salt = new Uint32Array(2 * draws + 1);
    for (let i = 0; i < this.salt.length; i++) this.salt[i] = rng.int32() >>> 0;
  }

  /** Draw `j` (0 ≤ j < draws) for key `k`. Never exactly 0 or 1, so logs and powers stay finite. */
  draw(k: number, j: number): number {
    const s = this.salt;
    const base = fmix32((k ^ s[0]) >>> 0);
    const hi = fmix32((base ^ s[2 * j + 1]) >>> 0) >>> 5; // 27 bits
    const lo = fmix32((base + s[2 * j + 2]) >>> 0) >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }
}

/** A draw in (0, 1) — never 0 — from a stream (Alea returns multiples of 2^-32 in [0, 1)). */
export function openUnit(rng: Rng): number {
  return rng() + 1.1641532182693272e-10;
}
