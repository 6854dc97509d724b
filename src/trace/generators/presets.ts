/**
 * Named generator specs, usable wherever a spec file is (`cachetopo trace gen zipf-small -o t.ctt`).
 * They are starting points with round numbers, not fits to any particular trace.
 */
import type { GeneratorSpecFile } from '../workload.ts';

export const presets: Record<string, GeneratorSpecFile> = {
  'zipf-small': {
    generator: 'zipf',
    comment: 'the default workload: 100k requests over 10k objects, Zipf alpha 0.9',
    requests: 100_000,
    objects: 10_000,
    alpha: 0.9,
  },
  'zipf-1m': {
    generator: 'zipf',
    comment: '1M requests over 100k objects, Zipf alpha 0.9',
    requests: 1_000_000,
    objects: 100_000,
    alpha: 0.9,
  },
  'scan-loop-mix': {
    generator: 'mix',
    comment:
      'a Zipf core disturbed by a long scan, then by a loop larger than a 2k-object cache: the patterns ' +
      'that separate scan-resistant and loop-resistant policies from LRU',
    components: [
      { spec: { generator: 'zipf', objects: 10_000, alpha: 0.9 } },
      { spec: { generator: 'scan', objects: 100_000 } },
      { spec: { generator: 'loop', objects: 2_500 } },
    ],
    phases: [
      { requests: 100_000, weights: [1, 0, 0], comment: 'warm-up: Zipf only' },
      { requests: 100_000, weights: [1, 1, 0], comment: 'half the requests are a scan' },
      { requests: 100_000, weights: [1, 0, 1], comment: 'half the requests loop over 2,500 objects' },
    ],
  },
  'diurnal-zipf': {
    generator: 'zipf',
    comment: 'Zipf 0.9 over 100k objects with a daily cycle: 10 requests/s on average, ±60%, over ~28 hours',
    requests: 1_000_000,
    objects: 100_000,
    alpha: 0.9,
    arrivals: { process: 'diurnal', rate: 10, period: 86_400, amplitude: 0.6 },
  },
  'twitter-like': {
    generator: 'zipf',
    comment:
      'the shape of a Twitter in-memory cache cluster (Yang, Yue & Rashmi, "A large scale analysis of ' +
      'hundreds of in-memory cache clusters at Twitter", OSDI 2020): skewed popularity, small values, a ' +
      'write share, TTLs on every set; the numbers are illustrative, not fitted',
    requests: 1_000_000,
    objects: 200_000,
    alpha: 1.0,
    sizes: { dist: 'lognormal', mu: 5.5, sigma: 1.0, max: 1_048_576 },
    ops: { get: 0.8, set: 0.19, delete: 0.01 },
    ttl: { dist: 'lognormal', mu: 8.2, sigma: 1.5, max: 604_800 },
    arrivals: { process: 'poisson', rate: 10_000 },
  },
};
