/**
 * The expiry block's line in `cachetopo run`'s table (result.ts ExpiryResult): what expired, what the
 * mitigations did, and how far the origin's busiest window stood above its mean. Empty without TTLs.
 */
import type { ResultMetrics } from './result.ts';

export function expiryLines(m: ResultMetrics): string[] {
  const e = m.expiry;
  if (e === undefined) return [];
  const ratio = e.originPeakOverMean === null ? '-' : e.originPeakOverMean.toFixed(2);
  return [
    `expiry: ${e.expirations} expirations, ${e.earlyRefreshes} early refreshes (xfetch), ${e.swrServed} ` +
      `served stale-while-revalidate, ${e.backgroundRefreshes} background refreshes ` +
      `(${e.failedRefreshes} failed), ${e.preloaded} keys preloaded; origin peak/mean ${ratio}`,
  ];
}
