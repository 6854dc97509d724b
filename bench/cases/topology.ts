/**
 * Bench group `topology` (issue 4): the whole request path on experiments/seed-topology.json.
 *
 * - Simulated requests per second of wall time at 1M requests (target ≥ 500k/s): build, run and
 *   summarise, as `cachetopo run` does. The baseline, in the same process, is producing the same workload
 *   with no simulation at all: the part of the cost that is not the topology.
 * - Peak RSS at 1M and at 3M requests. On the seed workload (Zipf over 200k objects) the 3M run sees more
 *   distinct keys and caches more objects, and per-key state and cache contents are allowed to grow; so
 *   the flatness check runs the same topology with the key space cut to 20k objects, all seen and cached
 *   long before 1M requests: there, memory must not grow with the number of requests at all, since
 *   requests live in a pool of slots reused as they end, and histograms have a fixed size.
 */
import { join } from 'node:path';
import { resolveConfig, validateConfig } from '../../src/config/load.ts';
import { applyOverrides } from '../../src/topology/overrides.ts';
import type { ResultDocument } from '../../src/topology/result.ts';
import { runTopology } from '../../src/topology/run.ts';
import { type TopologyConfig, topologySchema } from '../../src/topology/schema.ts';
import { type GeneratorSpecFile, openGenerator } from '../../src/trace/workload.ts';
import { repoRoot } from '../child.ts';
import { count, type Group, type GroupContext, prepareAndRun } from '../group.ts';
import { compare, figure, type Measurement, minRate, peakRssMiB, sink } from '../measure.ts';

const GROUP = 'topology';
const TARGET = 500e3;
/** Peak RSS at the larger run may exceed the smaller's by this fraction and still count as flat. */
const MEMORY_SLACK = 0.1;
const CONFIG = 'experiments/seed-topology.json';

interface Scale {
  readonly requests: number;
  readonly memoryRequests: number;
  readonly runs: number;
}

const FULL: Scale = { requests: 1_000_000, memoryRequests: 3_000_000, runs: 3 };
const QUICK: Scale = { requests: 100_000, memoryRequests: 300_000, runs: 1 };

interface Args {
  readonly requests: number;
  readonly runs: number;
  /** Replaces the workload's object count. */
  readonly objects?: number;
}

const FIXED_OBJECTS = 20_000;

function load(a: Args): { config: TopologyConfig; raw: unknown } {
  const path = join(repoRoot, CONFIG);
  const resolved = resolveConfig(path);
  const raw = applyOverrides(resolved.raw, { scale: a.requests / 1_000_000 }, path) as Record<
    string,
    unknown
  >;
  if (a.objects !== undefined) raw.workload = { ...(raw.workload as object), objects: a.objects };
  return { config: validateConfig({ raw, files: resolved.files }, topologySchema), raw };
}

/** Reads the workload alone: what producing the requests costs without simulating anything. */
function workloadOnly(config: TopologyConfig): number {
  const src = openGenerator(config.workload as GeneratorSpecFile, CONFIG, config.seed);
  let n = 0;
  for (let b = src.next(); b !== null; b = src.next()) {
    n += b.length;
    sink.value += b.key[0];
  }
  return n;
}

function seedCase(raw: unknown): Measurement {
  const a = raw as Args;
  const { config, raw: json } = load(a);
  let last: ResultDocument | null = null;
  const t = compare(
    {
      what: 'seed topology (build, run, summarise)',
      run: () => {
        last = runTopology(config, config.seed, { raw: json, origin: { where: CONFIG, baseDir: repoRoot } });
        return last.metrics.requests;
      },
    },
    { what: 'its workload generated, no simulation', run: () => workloadOnly(config) },
    a.runs,
  );
  const m = (last as ResultDocument | null)?.metrics;
  if (m === undefined) throw new Error('no run finished');
  const events = m.simulation.events;
  return {
    throughput: t,
    figures: [
      minRate('simulated requests/s', t.subject.perSecond, TARGET),
      minRate('events/s', (events / t.subject.items) * t.subject.perSecond, null),
      figure('hit ratio', m.hitRatio ?? 0, ''),
      figure('p99 latency', m.latencyMs.p99 ?? 0, 'ms'),
    ],
    peakRssMiB: peakRssMiB(),
    values: {
      events,
      hitRatio: m.hitRatio ?? 0,
      peakInFlight: m.simulation.peakInFlight,
      keys: m.simulation.keys,
      cachedObjects: m.nodes.reduce((n, x) => n + x.objects, 0),
    },
    note: `${(events / m.requests).toFixed(2)} events per request; ${m.simulation.simulatedSeconds.toFixed(1)} s simulated`,
  };
}

function run(ctx: GroupContext): void {
  const s = ctx.quick ? QUICK : FULL;
  const size = (n: number) => `${count(n)} requests`;
  prepareAndRun(ctx, GROUP, `seed topology, ${size(s.requests)}`, 'seed', () => ({
    requests: s.requests,
    runs: s.runs,
  }));
  prepareAndRun(ctx, GROUP, `seed topology, ${size(s.memoryRequests)}`, 'seed', () => ({
    requests: s.memoryRequests,
    runs: 1,
  }));
  const fixed = `seed topology over ${count(FIXED_OBJECTS)} objects`;
  const small = prepareAndRun(ctx, GROUP, `${fixed}, ${size(s.requests)}`, 'seed', () => ({
    requests: s.requests,
    runs: 1,
    objects: FIXED_OBJECTS,
  }));
  const large = prepareAndRun(ctx, GROUP, `${fixed}, ${size(s.memoryRequests)}`, 'seed', () => ({
    requests: s.memoryRequests,
    runs: 1,
    objects: FIXED_OBJECTS,
  }));
  if (small.ok && large.ok) {
    const a = small.measurement;
    const b = large.measurement;
    const grew = b.peakRssMiB / a.peakRssMiB - 1;
    ctx.check({
      group: GROUP,
      name: `peak RSS at ${size(s.requests)} vs ${size(s.memoryRequests)}, same keys and cache contents`,
      text:
        `${a.peakRssMiB.toFixed(0)} MiB vs ${b.peakRssMiB.toFixed(0)} MiB (${(grew * 100).toFixed(1)}%; keys ` +
        `${a.values?.keys} vs ${b.values?.keys}, cached objects ${a.values?.cachedObjects} vs ` +
        `${b.values?.cachedObjects}); target: within ${MEMORY_SLACK * 100}%`,
      met: grew <= MEMORY_SLACK,
    });
  } else {
    ctx.check({
      group: GROUP,
      name: 'topology memory check',
      text: 'not measured: a case failed',
      met: null,
    });
  }
}

export const topologyGroup: Group = {
  name: GROUP,
  description:
    'the seed topology end to end: simulated requests per second, memory flat in requests (issue 4)',
  run,
  runners: { seed: seedCase },
};
