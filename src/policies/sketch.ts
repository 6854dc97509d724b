/**
 * Frequency sketches over integer keys, for TinyLFU admission (Einziger, Friedman & Manes, "TinyLFU: A highly
 * efficient cache admission policy", ACM ToS 2017) and one-hit-wonder filters.
 *
 * FrequencySketch is a counting Bloom filter read as a count-min sketch: `depth` counters per key in ONE
 * shared array of `width` counters, as libCacheSim's minimalIncrementCBF lays it out. Adding a key raises all
 * its counters (each saturating at 2^bits − 1: the paper's 4-bit counters are bits = 4); the estimate is the
 * smallest of them, which never undercounts. Sized like a Bloom filter for `entries` keys at false-positive
 * rate `error` with libCacheSim's formulas: bpe = −ln(error)/ln²2 counters per key, depth = ⌈ln 2 · bpe⌉
 * (0.001 gives 14.38 counters per key and 10 hashes), width = entries · bpe rounded to the NEAREST power of
 * two (libCacheSim: ⌈entries · bpe⌉). A power of two lets a position be a mask, not a division, and with
 * double hashing (position i = (a + i·b) mod width, b odd; Kirsch & Mitzenmacher) a key's positions are
 * then all distinct. `age()` halves every counter, the paper's reset that lets old popularity fade.
 *
 * The optional doorkeeper (the paper's §3.4.2) is a plain Bloom filter in front of the counters: a key's
 * first sighting since the last reset only sets its doorkeeper bits, later ones reach the counters, and the
 * estimate adds one for a key the doorkeeper holds. One-time keys then never occupy counters.
 *
 * Hashing mixes the dense key id with Math.imul (the MurmurHash3 finaliser, two seeds), not libCacheSim's
 * XXH64 of the original 64-bit id, so which keys collide differs from libCacheSim, and the width differs by
 * up to √2 either way: collisions are as rare on average, not the same ones. The finaliser is the key
 * map's (keymap.ts), the one integer mixer of the code base.
 */
import { fmix32 } from '../trace/keymap.ts';

const SEED_A = 0x9e3779b9;
const SEED_B = 0x7f4a7c15;

/** First hash of a key. */
function hashA(key: number): number {
  return fmix32(key ^ SEED_A) >>> 0;
}

/** Step between a key's positions: odd, so it is never 0 modulo a power of two. */
function hashB(key: number): number {
  return (fmix32(Math.imul(key, 0x2545f491) ^ SEED_B) | 1) >>> 0;
}

/** Largest table: positions must stay below 2^31 for the int32 mask. */
const MAX_WIDTH = 2 ** 30;

/** The power of two nearest to n in log scale (at least 1, at most MAX_WIDTH). */
function nearestPowerOfTwo(n: number): number {
  return Math.min(MAX_WIDTH, 2 ** Math.max(0, Math.round(Math.log2(Math.max(1, n)))));
}

/** The smallest power of two ≥ n (at most MAX_WIDTH). */
function powerOfTwoAtLeast(n: number): number {
  return Math.min(MAX_WIDTH, 2 ** Math.max(0, Math.ceil(Math.log2(Math.max(1, n)))));
}

/** Counters per key for a false-positive rate (the Bloom-filter optimum). */
function perKey(error: number): number {
  return -Math.log(error) / (Math.LN2 * Math.LN2);
}

/**
 * A Bloom filter over integer keys: bits in 32-bit words, `hashes` positions per key by double hashing, the
 * bit count rounded up to a power of two (so the false-positive rate is at most the one asked for).
 */
export class BloomFilter {
  readonly bits: number;
  readonly hashes: number;
  private readonly words: Uint32Array;
  /** Keys added since the last clear (a key added twice counts twice). */
  added = 0;

  constructor(entries: number, error: number) {
    const bpe = perKey(error);
    this.bits = powerOfTwoAtLeast(Math.max(64, Math.ceil(bpe * Math.max(1, entries))));
    this.hashes = Math.max(1, Math.round(Math.LN2 * bpe));
    this.words = new Uint32Array(Math.ceil(this.bits / 32));
  }

  has(key: number): boolean {
    const b = hashB(key);
    const n = this.bits - 1;
    let h = hashA(key);
    for (let i = 0; i < this.hashes; i++) {
      const x = h & n;
      if ((this.words[x >>> 5] & (1 << (x & 31))) === 0) return false;
      h = (h + b) >>> 0;
    }
    return true;
  }

  add(key: number): void {
    const b = hashB(key);
    const n = this.bits - 1;
    let h = hashA(key);
    for (let i = 0; i < this.hashes; i++) {
      const x = h & n;
      this.words[x >>> 5] |= 1 << (x & 31);
      h = (h + b) >>> 0;
    }
    this.added++;
  }

  clear(): void {
    this.words.fill(0);
    this.added = 0;
  }
}

export interface SketchOptions {
  /** Keys the sketch is sized for. */
  readonly entries: number;
  /** False-positive rate the size aims at (libCacheSim: 0.001). */
  readonly error: number;
  /** Bits per counter, 1..32: counters saturate at 2^bits − 1. */
  readonly counterBits: number;
  /** Put a doorkeeper Bloom filter (sized for `doorkeeperEntries` keys) in front of the counters. */
  readonly doorkeeper: boolean;
  readonly doorkeeperEntries?: number;
}

export class FrequencySketch {
  readonly width: number;
  readonly depth: number;
  readonly maxCount: number;
  private readonly counters: Uint32Array;
  readonly doorkeeper: BloomFilter | null;

  constructor(o: SketchOptions) {
    const bpe = perKey(o.error);
    this.depth = Math.ceil(Math.LN2 * bpe);
    // At least two counters per hash, as libCacheSim keeps for tiny caches.
    this.width = Math.max(nearestPowerOfTwo(bpe * Math.max(1, o.entries)), powerOfTwoAtLeast(2 * this.depth));
    this.maxCount = o.counterBits >= 32 ? 0xffffffff : 2 ** o.counterBits - 1;
    this.counters = new Uint32Array(this.width);
    this.doorkeeper = o.doorkeeper ? new BloomFilter(o.doorkeeperEntries ?? o.entries, o.error) : null;
  }

  /** Records one occurrence of `key`. */
  add(key: number): void {
    const dk = this.doorkeeper;
    if (dk !== null && !dk.has(key)) {
      dk.add(key);
      return;
    }
    const c = this.counters;
    const w = this.width - 1;
    const max = this.maxCount;
    const b = hashB(key);
    let h = hashA(key);
    for (let i = 0; i < this.depth; i++) {
      const x = h & w;
      if (c[x] < max) c[x]++;
      h = (h + b) >>> 0;
    }
  }

  /** Estimated occurrences of `key` since the sketch began, halved at each `age()`; never an undercount. */
  estimate(key: number): number {
    const c = this.counters;
    const w = this.width - 1;
    const b = hashB(key);
    let h = hashA(key);
    let min = 0xffffffff;
    for (let i = 0; i < this.depth; i++) {
      const v = c[h & w];
      if (v < min) min = v;
      h = (h + b) >>> 0;
    }
    const dk = this.doorkeeper;
    return dk?.has(key) ? min + 1 : min;
  }

  /** The reset: halves every counter and empties the doorkeeper. */
  age(): void {
    const c = this.counters;
    for (let i = 0; i < c.length; i++) c[i] >>>= 1;
    if (this.doorkeeper !== null) this.doorkeeper.clear();
  }
}
