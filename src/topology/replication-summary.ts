/**
 * The result's `replication` block: one entry per replicated tier (replication.ts), added to a summarised
 * run after the fact so a run without replication keeps its result byte for byte. Its lost writes join
 * the run's `lostWrites`.
 */
import type { ReplicationResult, ResultMetrics } from './result.ts';
import { staleAgeSummary } from './summarize.ts';
import type { Tier } from './tier.ts';

export function addReplicationMetrics(metrics: ResultMetrics, tiers: readonly Tier[]): void {
  const out: Record<string, ReplicationResult> = {};
  let any = false;
  for (const t of tiers) {
    if (t.replication === null) continue;
    const s = t.replication.stats();
    out[t.name] = {
      mode: s.mode,
      replicas: s.replicas,
      readFrom: s.readFrom,
      replicated: s.replicated,
      lagMs: staleAgeSummary(s.lag),
      promotions: s.promotions,
      lostWrites: s.lostWrites,
      lostFills: s.lostFills,
      staleReads: s.staleReads,
      writesToDownPrimary: s.writesToDownPrimary,
      ...(s.rejections === null ? {} : s.rejections),
      ...(s.partition === null ? {} : { partition: s.partition }),
    };
    metrics.lostWrites += s.lostWrites;
    any = true;
  }
  if (any) metrics.replication = out;
}
