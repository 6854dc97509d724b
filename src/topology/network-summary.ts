/**
 * The network block's line in `cachetopo run`'s table (result.ts NetworkResult): messages and value bytes
 * between placed instances, and the share of the bytes that crossed zones — what cross-zone transfer is
 * billed on (report/cost.ts prices it).
 */
import { formatCount, formatPercent } from '../report/format.ts';
import { formatBytes } from '../units.ts';
import type { ResultMetrics } from './result.ts';

export function networkLines(m: ResultMetrics): string[] {
  const { messages, bytes } = m.network;
  const sent = messages.sameHost + messages.sameZone + messages.crossZone;
  const total = bytes.sameHost + bytes.sameZone + bytes.crossZone;
  const share = total > 0 ? `${formatPercent(bytes.crossZone / total)} of bytes` : 'no bytes';
  return [
    `network: ${formatCount(sent)} messages, ${formatBytes(total)}; cross-zone ${share} ` +
      `(${formatBytes(bytes.crossZone)} in ${formatCount(messages.crossZone)} messages)`,
  ];
}
