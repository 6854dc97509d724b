/**
 * Cache on second hit: refuse an object the first time it misses and admit it when it misses again soon
 * after, so one-hit wonders (objects requested once, typically most of a CDN's distinct objects) never
 * displace anything. Akamai's rule, remembered in Bloom filters (Maggs & Sitaraman, "Algorithmic nuggets
 * in content delivery", ACM SIGCOMM CCR 2015; discussed as an admission baseline in Berger, Sitaraman &
 * Harchol-Balter, "AdaptSize", NSDI 2017).
 *
 * "Soon" is a rotating window of two Bloom filters: sightings go into the current one; once it has taken
 * `window` keys it becomes the previous one and the old previous one is cleared to become current. A key
 * counts as seen if either filter holds it, so it is remembered for between `window` and 2·`window`
 * further sightings of other keys. Each filter is sized for `window` keys at false-positive rate `error`;
 * a false positive admits a first sighting. A key seen before is added again, which keeps a recurring key
 * remembered.
 *
 * Parameters: window (1000000 keys), error (0.01).
 */
import { integerParam, numberParam } from '../param-checks.ts';
import { BloomFilter } from '../sketch.ts';
import type { AdmissionFilter, FilterEntry } from './api.ts';

export class SecondHitFilter implements AdmissionFilter {
  private current: BloomFilter;
  private previous: BloomFilter;

  constructor(
    private readonly window: number,
    error: number,
  ) {
    this.current = new BloomFilter(window, error);
    this.previous = new BloomFilter(window, error);
  }

  admit(key: number): boolean {
    const inCurrent = this.current.has(key);
    const seen = inCurrent || this.previous.has(key);
    if (!inCurrent) {
      this.current.add(key);
      if (this.current.added >= this.window) {
        const old = this.previous;
        old.clear();
        this.previous = this.current;
        this.current = old;
      }
    }
    return seen;
  }

  reserve(): void {}
}

export const secondHitFilter: FilterEntry = {
  name: 'bloom',
  description: 'cache on second hit: admit a miss only if the key was seen within the last window keys',
  defaults: { window: 1000000, error: 0.01 },
  create: (ctx) =>
    new SecondHitFilter(
      integerParam('bloom', ctx.params, 'window', 1, 1e9),
      numberParam('bloom', ctx.params, 'error', 1e-9, 0.5),
    ),
};
