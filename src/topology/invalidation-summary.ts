/**
 * The `invalidations` block of a run whose invalidations go by the write path itself (`via` "direct", or
 * "ideal"): the DELETEs and UPDATEs it sent after each commit, how many took effect on a node, and the lag
 * from the commit of the version each carried to its execution — the window in which a read could return
 * the old value. The Kafka bus reports the same block its own way (kafka/summary.ts).
 */
import type { NodeShared } from './cache-node.ts';
import type { RequestPath } from './request-path.ts';
import type { ResultMetrics } from './result.ts';
import type { WritesConfig } from './schema.ts';
import { staleAgeSummary } from './summarize.ts';

export function addDirectInvalidations(
  m: ResultMetrics,
  via: 'direct' | 'ideal',
  writes: WritesConfig,
  path: RequestPath,
  shared: NodeShared,
): void {
  const published = path.invalidationsSent;
  const applied = shared.invalidationsApplied;
  m.invalidations = {
    via,
    apply: writes.policy === 'update' ? 'update' : 'delete',
    partitions: 0,
    published,
    batches: 0,
    applied,
    duplicates: 0,
    // Refused at a node's connection limit, lost in a crash or across a partition, or still on the way
    // when the run stopped.
    lost: published - applied,
    pending: 0,
    lagMs: staleAgeSummary(shared.invalidationLag),
    peakLag: 0,
    peakLagByPartition: [],
    stops: 0,
  };
}
