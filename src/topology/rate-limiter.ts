/**
 * Token buckets, as Kong's rate-limiting plugins and most API gateways apply them: a bucket holds up to
 * `burst` tokens and refills continuously at `rate` tokens a second; a request takes one token, and a
 * request that finds less than one is refused (HTTP 429). Over any interval of length T a bucket admits
 * at most burst + rate·T requests, and a steady stream below the rate is never refused.
 *
 * One bucket for everyone (scope "global", counters shared by all gateway nodes as with Kong's `redis`
 * policy) or one per client id (scope "client"), kept in typed arrays and refilled lazily when asked.
 */

export class TokenBuckets {
  private readonly tokens: Float64Array;
  private readonly last: Float64Array;
  private readonly perNs: number;
  readonly burst: number;

  /** `buckets` buckets, full at time 0; `rate` tokens a second. */
  constructor(buckets: number, rate: number, burst: number) {
    this.tokens = new Float64Array(buckets).fill(burst);
    this.last = new Float64Array(buckets);
    this.perNs = rate / 1e9;
    this.burst = burst;
  }

  /**
   * Takes a token from bucket `b` at time `now` (ns); false if none left. A time before the bucket's last
   * is taken as that last time: a bucket never refills backwards.
   */
  take(b: number, now: number): boolean {
    const last = this.last[b];
    let t = this.tokens[b];
    if (now > last) {
      t += (now - last) * this.perNs;
      if (t > this.burst) t = this.burst;
      this.last[b] = now;
    }
    if (t < 1) {
      this.tokens[b] = t;
      return false;
    }
    this.tokens[b] = t - 1;
    return true;
  }
}
