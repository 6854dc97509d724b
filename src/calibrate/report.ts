/**
 * What a calibration reports: one row per (server, policy, memory) with the real and simulated miss ratios
 * and the gap in percentage points (real − simulated), printed as a table, as the `--json` contract
 * `{"rows": [{server, policy, memory, realMissRatio, simMissRatio, gapPp}]}`, and as a calibration file
 * that a report can chart (real and simulated miss-ratio curves over memory, with the counts behind them).
 */
import { columns } from '../columns.ts';
import { formatPercent } from '../report/format.ts';
import { writeFileAtomic } from '../trace/writers/atomic-file.ts';
import { formatBytes } from '../units.ts';
import type { ServerKind } from './servers.ts';

export interface CalibrationRow {
  readonly server: ServerKind;
  /** The server's name for it: allkeys-lru, allkeys-lfu, allkeys-random; memcached's is segmented-lru. */
  readonly policy: string;
  /** The memory limit, bytes (Redis maxmemory, memcached -m). */
  readonly memory: number;
  readonly realMissRatio: number;
  readonly simMissRatio: number;
  /** (real − simulated) × 100. */
  readonly gapPp: number;
}

export interface CalibrationDetail extends CalibrationRow {
  /** The simulator's policy and the parameters it was given. */
  readonly model: { readonly policy: string; readonly params: Readonly<Record<string, number>> };
  readonly real: {
    readonly hits: number;
    readonly misses: number;
    readonly evictions: number;
    readonly memoryBytes: number;
    readonly objects: number;
    readonly seconds: number;
    readonly server: Readonly<Record<string, string | number>>;
  };
  readonly sim: {
    readonly hits: number;
    readonly misses: number;
    readonly memoryBytes: number;
    readonly objects: number;
  };
}

export interface CalibrationDocument {
  readonly kind: 'cachetopo-calibration';
  readonly version: 1;
  readonly trace: {
    readonly name: string;
    readonly requests: number;
    readonly objects: number;
    readonly keyLength: number;
    readonly valueLimit: number;
    readonly capped: number;
  };
  readonly seed: number;
  readonly rows: readonly CalibrationDetail[];
}

/** The row as the --json contract has it (exactly these fields, in this order). */
export function contractRow(d: CalibrationRow): CalibrationRow {
  return {
    server: d.server,
    policy: d.policy,
    memory: d.memory,
    realMissRatio: d.realMissRatio,
    simMissRatio: d.simMissRatio,
    gapPp: d.gapPp,
  };
}

export function contractJson(doc: CalibrationDocument): string {
  return `${JSON.stringify({ rows: doc.rows.map(contractRow) })}\n`;
}

const pct = (x: number): string => formatPercent(x, 2);

export function formatTable(doc: CalibrationDocument): string {
  const t = doc.trace;
  const head = [
    'server',
    'policy',
    'memory',
    'real miss',
    'sim miss',
    'gap pp',
    'real keys',
    'sim keys',
    'replay',
  ];
  const rows = doc.rows.map((r) => [
    r.server,
    r.policy,
    formatBytes(r.memory),
    pct(r.realMissRatio),
    pct(r.simMissRatio),
    r.gapPp.toFixed(2),
    String(r.real.objects),
    String(r.sim.objects),
    `${r.real.seconds.toFixed(1)} s`,
  ]);
  const capped = t.capped > 0 ? `${t.capped} requests capped` : 'no request was above it';
  return `${[
    `trace ${t.name}: ${t.requests} requests, ${t.objects} objects, keys of ${t.keyLength} bytes`,
    `values capped at ${t.valueLimit} bytes (memcached's 1 MiB item limit): ${capped}`,
    ...columns([head, ...rows], { align: 'll', rule: true }),
  ].join('\n')}\n`;
}

/** Writes the calibration file atomically, creating its directory. */
export function writeCalibration(path: string, doc: CalibrationDocument): void {
  writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`, { mkdir: true });
}
