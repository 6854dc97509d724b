/**
 * The manifest's `faults` (contract.ts FaultMarker): the failure schedule of a topology experiment as the
 * markers its time-series charts draw, known before any cell has run. Labels name the target the way the
 * run's own markers do (each kind's label in src/topology/faults/<kind>.ts; test/experiment/faults.test.ts
 * holds the two in step), so a report reads the same whether it takes them from here or from a cell.
 * The health checks' marks depend on the run and are only in the cells' series.
 */
import { NS_PER_SEC } from '../sim/time.ts';
import type { FaultMarker } from './contract.ts';

/** A parsed fault spec (topology/faults/api.ts FaultSpec) with the fields its kind's label reads. */
interface ParsedFault {
  kind: string;
  at: number;
  until?: number;
  [field: string]: unknown;
}

function labelOf(f: ParsedFault): string {
  switch (f.kind) {
    case 'node-crash': {
      if (f.until === undefined) return `${f.node} crashes`;
      return `${f.node} crashes, back ${f.from === undefined ? f.restart : `warm from ${f.from}`}`;
    }
    case 'tier-restart':
      return `${f.tier} restarts ${f.restart}`;
    case 'partition': {
      const [a, b] = f.zones as [string, string];
      return `${a} | ${b} partitioned`;
    }
    case 'latency-spike': {
      const ms = `+${(f.delay as number) / 1e6} ms`;
      if (f.link !== undefined) return `${f.link} links ${ms}`;
      const [a, b] = f.zones as [string, string];
      return `${a} – ${b} ${ms}`;
    }
    case 'origin-slowdown':
      return `origin ×${f.factor}`;
    case 'consumer-stall':
      return `${f.group} consumers stall`;
    case 'consumer-restart':
      return `${f.group} consumers restart`;
    default:
      return f.kind;
  }
}

/** One marker per fault, in the order of the run's own (by start time, then as written). */
export function faultMarkers(faults: readonly ParsedFault[]): FaultMarker[] {
  return faults
    .map((f) => ({
      t: f.at / NS_PER_SEC,
      ...(f.until === undefined ? {} : { until: f.until / NS_PER_SEC }),
      kind: f.kind,
      label: labelOf(f),
    }))
    .sort((x, y) => x.t - y.t);
}
