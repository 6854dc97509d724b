/**
 * The failure schedule at run time: a component that starts and ends each fault at its times (events
 * scheduled when the model is built, so a fault at t pops before the requests arriving at t), keeps the
 * counters each fault affected, and after the run sums up what happened: per fault what it hit and how
 * many requests met it, the health checks' marks, the keys each rerouting moved, and the markers the time
 * series carries (one per fault, one per node marked down, from the mark to the mark up).
 */
import type { FaultMarker } from '../../experiment/contract.ts';
import type { Component, Engine } from '../../sim/engine.ts';
import { NS_PER_SEC } from '../../sim/time.ts';
import type { CacheNode } from '../cache-node.ts';
import type { Network } from '../network.ts';
import type { Origin } from '../origin.ts';
import type { FaultsResult, HealthCheckResult, ReroutingResult, ResultMetrics } from '../result.ts';
import type { Sharder } from '../sharding/api.ts';
import { movedFraction } from '../sharding/skew.ts';
import type { FaultAction, FaultSpec } from './api.ts';
import type { HealthChecker } from './health-check.ts';
import type { Rerouting } from './rerouting.ts';

const START = 0;
const END = 1;

/** What the summary needs besides the schedule. */
export interface ScheduleParts {
  readonly engine: Engine;
  readonly nodes: readonly CacheNode[];
  readonly network: Network;
  readonly origin: Origin;
  readonly rerouting: Rerouting;
  readonly checker: HealthChecker | null;
}

export class FaultSchedule implements Component {
  readonly id: number;
  /** Each fault's counter when it started and when it ended (NaN: not yet). */
  private readonly base: Float64Array;
  private readonly final: Float64Array;

  constructor(
    private readonly specs: readonly FaultSpec[],
    private readonly actions: readonly FaultAction[],
    private readonly parts: ScheduleParts,
  ) {
    const engine = parts.engine;
    this.id = engine.register(this, 'faults');
    this.base = new Float64Array(specs.length).fill(Number.NaN);
    this.final = new Float64Array(specs.length).fill(Number.NaN);
    specs.forEach((s, i) => {
      engine.scheduleAt(s.at, this.id, START, i, 0);
      if (s.until !== undefined) engine.scheduleAt(s.until, this.id, END, i, 0);
    });
  }

  handle(kind: number, i: number): void {
    const a = this.actions[i];
    if (kind === START) {
      this.base[i] = a.count();
      a.start(this.parts.engine.now);
    } else {
      a.end(this.parts.engine.now);
      this.final[i] = a.count();
    }
  }

  /** Adds the `faults` block and the series' markers to a run's metrics; `keys`: keys the run used. */
  addTo(metrics: ResultMetrics, keys: number): void {
    const { result, markers } = this.summary(keys);
    metrics.faults = result;
    metrics.series.faults = markers;
  }

  /** The result's `faults` block and the series' markers, after the run; `keys`: keys the run used. */
  summary(keys: number): { result: FaultsResult; markers: FaultMarker[] } {
    const p = this.parts;
    const secs = (ns: number) => ns / NS_PER_SEC;
    const schedule = this.specs.map((s, i) => {
      const a = this.actions[i];
      const started = !Number.isNaN(this.base[i]);
      const end = Number.isNaN(this.final[i]) ? a.count() : this.final[i];
      return {
        kind: s.kind,
        label: a.label,
        at: secs(s.at),
        until: s.until === undefined ? null : secs(s.until),
        hit: [...a.targets],
        affected: started ? end - this.base[i] : 0,
      };
    });
    const markers: FaultMarker[] = schedule.map((f) => ({
      t: f.at,
      ...(f.until === null ? {} : { until: f.until }),
      kind: f.kind,
      label: f.label,
    }));
    const healthChecks = this.healthChecks();
    healthChecks.forEach((h, i) => {
      if (!h.down) return;
      const up = healthChecks.find((x, j) => j > i && !x.down && x.node === h.node);
      markers.push({
        t: h.t,
        ...(up === undefined ? {} : { until: up.t }),
        kind: 'marked-down',
        label: `${h.node} marked down by ${h.gateways} gateway${h.gateways === 1 ? '' : 's'}`,
      });
    });
    markers.sort((x, y) => x.t - y.t);
    const rerouting: Record<string, ReroutingResult> = {};
    for (const c of p.rerouting.changes) {
      const name = c.tier.name;
      if (rerouting[name] === undefined) rerouting[name] = { changes: [], rerouted: c.tier.rerouted };
      const full = c.tier.sharder as Sharder;
      const share = keys > 0 ? movedFraction(full, c.sharder, keys) : 0;
      rerouting[name].changes.push({ t: secs(c.t), down: [...c.down], movedKeyShare: share });
    }
    const result: FaultsResult = {
      schedule,
      cacheTimeouts: p.nodes.reduce((a, n) => a + n.errors + n.unreachable, 0),
      lostCommands: p.nodes.reduce((a, n) => a + n.lost, p.network.lost),
      originUnreachable: p.origin.unreachable,
      healthChecks,
      rerouting,
      keys,
    };
    return { result, markers };
  }

  /** The gateways' marks, those of one instant, node and direction merged. */
  private healthChecks(): HealthCheckResult[] {
    const out: HealthCheckResult[] = [];
    for (const e of this.parts.checker?.events ?? []) {
      const t = e.t / NS_PER_SEC;
      let same: HealthCheckResult | undefined;
      for (let k = out.length - 1; k >= 0 && out[k].t === t && same === undefined; k--) {
        if (out[k].node === e.node && out[k].down === e.down) same = out[k];
      }
      if (same === undefined) out.push({ t, node: e.node, down: e.down, gateways: 1 });
      else same.gateways++;
    }
    return out;
  }
}
