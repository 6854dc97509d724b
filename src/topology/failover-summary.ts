/**
 * The lines `cachetopo run`'s table gives the failure schedule and the replication (result.ts
 * FaultsResult, ReplicationResult): per replicated tier what the replicas cost and lost, per fault what
 * it hit, when the health checks marked nodes down, and the share of keys each rerouting moved — the
 * figures experiments/node-failure.json and experiments/replication.json are read by. Empty when the run
 * has neither.
 */
import type { ResultMetrics } from './result.ts';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const secs = (t: number): string => `${Number(t.toFixed(3))} s`;
const ms = (x: number | null): string => (x === null ? '-' : `${Number(x.toFixed(3))} ms`);

export function failoverLines(m: ResultMetrics): string[] {
  const out: string[] = [];
  for (const [tier, r] of Object.entries(m.replication ?? {})) {
    out.push(
      `replication ${tier} (${r.mode}, ${r.replicas} replica${r.replicas === 1 ? '' : 's'}, reads from ` +
        `${r.readFrom}): ${int(r.replicated)} writes replicated, lag p50 ${ms(r.lagMs.p50)} p99 ` +
        `${ms(r.lagMs.p99)}; ${int(r.promotions)} promotions, ${int(r.lostWrites)} writes and ` +
        `${int(r.lostFills)} fills lost, ${int(r.staleReads)} reads from lagging copies, ` +
        `${int(r.writesToDownPrimary)} writes sent to a dead primary` +
        (r.writesRejected === undefined
          ? ''
          : `; at a primary marked down: ${int(r.writesRejected)} SETs failed, ${int(r.writesWithheld ?? 0)} writes not sent`),
    );
    const p = r.partition;
    if (p !== undefined) {
      out.push(
        `  partitions: ${int(p.heldWrites)} writes held, ${int(p.writesBlocked)} SETs blocked ` +
          `(${int(p.writesTimedOut)} timed out), ${int(p.partialResyncs)} partial and ${int(p.fullResyncs)} full resyncs`,
      );
    }
  }
  const f = m.faults;
  if (f === undefined) return out;
  for (const s of f.schedule) {
    const until = s.until === null ? '' : ` → ${secs(s.until)}`;
    out.push(`fault at ${secs(s.at)}${until}: ${s.label}; ${int(s.affected)} affected`);
  }
  for (const h of f.healthChecks) {
    out.push(`  ${secs(h.t)}: ${h.node} marked ${h.down ? 'down' : 'up'} by ${h.gateways} gateway(s)`);
  }
  for (const [tier, r] of Object.entries(f.rerouting)) {
    for (const c of r.changes) {
      out.push(
        `  ${secs(c.t)}: ${tier} routed around ${c.down.join(', ')}: ${pct(c.movedKeyShare)} of ${int(f.keys)} keys moved`,
      );
    }
  }
  out.push(
    `faults: ${int(f.cacheTimeouts)} cache timeouts, ${int(f.lostCommands)} commands lost, ` +
      `${int(f.originUnreachable)} origin queries unreachable`,
  );
  return out;
}
