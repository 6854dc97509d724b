/**
 * Bench group `engine` (issue 4): the discrete-event engine's raw speed.
 *
 * - Hold model (the classic event-set benchmark): 1,000 pending events; each, when handled, schedules
 *   itself again after an Exp(1 ms) delay. Through Engine with its real dispatch (a component's handle()),
 *   against a bare typed-array binary heap (times and one int payload, no tie order, no dispatch) running
 *   the same model on the same draws in the same process: the ceiling for this model in Node.
 * - M/M/1 (λ = 0.9, μ = 1 per ms) built from QueueServer, in customers/s, against Lindley's recursion
 *   W(n+1) = max(0, W(n) + S(n) − A(n+1)) on the same draws: the least work any M/M/1 simulation does.
 * - The same two models in SimPy 3 (bench/simpy_models.py), when a python3 with simpy is found
 *   (Debian: python3-simpy3); checks report our speed as a multiple of SimPy's.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeSampler, type Sampler } from '../../src/sim/distributions.ts';
import { type Component, Engine } from '../../src/sim/engine.ts';
import { QueueServer } from '../../src/sim/queue-server.ts';
import { streams } from '../../src/sim/rng.ts';
import { ms } from '../../src/sim/time.ts';
import { benchDir, repoRoot } from '../child.ts';
import { count, type Group, type GroupContext, oneLine, prepareAndRun } from '../group.ts';
import { compare, figure, type Measurement, minRate, peakRssMiB, rate, sink } from '../measure.ts';

const GROUP = 'engine';
const ENGINE_TARGET = 10e6;
const PENDING = 1000;

interface Scale {
  readonly events: number;
  readonly customers: number;
  readonly simpyEvents: number;
  readonly simpyCustomers: number;
  readonly runs: number;
}

const FULL: Scale = {
  events: 20_000_000,
  customers: 5_000_000,
  simpyEvents: 2_000_000,
  simpyCustomers: 500_000,
  runs: 3,
};
const QUICK: Scale = {
  events: 200_000,
  customers: 100_000,
  simpyEvents: 50_000,
  simpyCustomers: 20_000,
  runs: 1,
};

interface Args {
  readonly n: number;
  readonly runs: number;
}

function exponential(meanMs: number, stream: string, seed = 1): Sampler {
  return makeSampler({ dist: 'exponential', mean: ms(meanMs) }, streams(seed).get(stream));
}

/** Each event reschedules itself (same payload) an exponential delay later. */
class Hold implements Component {
  readonly id: number;
  constructor(
    private readonly engine: Engine,
    private readonly delay: Sampler,
  ) {
    this.id = engine.register(this, 'hold');
  }
  handle(kind: number, a: number): void {
    this.engine.schedule(this.delay.sample(), this.id, kind, a, 0);
  }
}

function holdEngine(n: number): number {
  const engine = new Engine();
  const hold = new Hold(engine, exponential(1, 'hold'));
  const delay = exponential(1, 'start');
  for (let i = 0; i < PENDING; i++) engine.schedule(delay.sample(), hold.id, 0, i, 0);
  engine.run({ maxEvents: n });
  sink.value += engine.now;
  return engine.eventsHandled;
}

/** A minimal binary heap of (time, payload) pairs: no tie order, no slots, no dispatch. */
class BareHeap {
  readonly time = new Float64Array(PENDING + 1);
  readonly payload = new Int32Array(PENDING + 1);
  size = 0;

  push(t: number, p: number): void {
    const time = this.time;
    const payload = this.payload;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (time[parent] <= t) break;
      time[i] = time[parent];
      payload[i] = payload[parent];
      i = parent;
    }
    time[i] = t;
    payload[i] = p;
  }

  /** Removes the root (read it from time[0], payload[0] first). */
  removeRoot(): void {
    const time = this.time;
    const payload = this.payload;
    const n = --this.size;
    const t = time[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && time[c + 1] < time[c]) c++;
      if (t <= time[c]) break;
      time[i] = time[c];
      payload[i] = payload[c];
      i = c;
    }
    time[i] = t;
    payload[i] = payload[n];
  }
}

/** The same model on BareHeap: pop the earliest, push its successor. */
function holdBareHeap(n: number): number {
  const heap = new BareHeap();
  const hold = exponential(1, 'hold');
  const start = exponential(1, 'start');
  for (let i = 0; i < PENDING; i++) heap.push(start.sample(), i);
  let now = 0;
  for (let e = 0; e < n; e++) {
    now = heap.time[0];
    const p = heap.payload[0];
    heap.removeRoot();
    heap.push(now + hold.sample(), p);
  }
  sink.value += now;
  return n;
}

function holdCase(raw: unknown): Measurement {
  const a = raw as Args;
  const t = compare(
    { what: 'Engine, component dispatch', run: () => holdEngine(a.n) },
    { what: 'bare typed-array binary heap', run: () => holdBareHeap(a.n) },
    a.runs,
  );
  return {
    throughput: t,
    figures: [minRate('events/s', t.subject.perSecond, ENGINE_TARGET)],
    peakRssMiB: peakRssMiB(),
    note: `${PENDING} pending events, Exp(1 ms) delays`,
  };
}

/** M/M/1 through QueueServer; returns customers served. */
function mm1Engine(n: number): { served: number; meanWaitMs: number } {
  const engine = new Engine();
  let served = 0;
  const sinkId = engine.register({ handle: () => void served++ }, 'sink');
  const server = new QueueServer(engine, {
    name: 'server',
    servers: 1,
    service: exponential(1, 'service'),
    onDone: { target: sinkId, kind: 0 },
  });
  const gap = exponential(1 / 0.9, 'arrivals');
  let arrived = 0;
  const source = engine.register(
    {
      handle() {
        server.arrive(arrived++, 0);
        if (arrived < n) engine.schedule(gap.sample(), source, 0);
      },
    },
    'source',
  );
  engine.schedule(gap.sample(), source, 0);
  engine.run();
  return { served, meanWaitMs: server.stats().meanWait / ms(1) };
}

function mm1Lindley(n: number): number {
  const service = exponential(1, 'service');
  const gap = exponential(1 / 0.9, 'arrivals');
  let w = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += w;
    w = Math.max(0, w + service.sample() - gap.sample());
  }
  sink.value += sum;
  return n;
}

function mm1Case(raw: unknown): Measurement {
  const a = raw as Args;
  let meanWaitMs = 0;
  const t = compare(
    {
      what: 'QueueServer M/M/1 (customers)',
      run: () => {
        const r = mm1Engine(a.n);
        meanWaitMs = r.meanWaitMs;
        return r.served;
      },
    },
    { what: "Lindley's recursion, same draws", run: () => mm1Lindley(a.n) },
    a.runs,
  );
  return {
    throughput: t,
    figures: [minRate('customers/s', t.subject.perSecond, null), figure('mean wait', meanWaitMs, 'ms')],
    peakRssMiB: peakRssMiB(),
    values: { meanWaitMs },
    note: 'λ = 0.9, μ = 1 per ms (theory: Wq = 9 ms)',
  };
}

interface SimpyResult {
  items: number;
  seconds: number;
  perSecond: number;
  simpy: string;
  peakRssMiB: number;
}

/** A python3 that can import simpy (Debian's python3-simpy3 lives under /usr/bin), or null. */
function findSimpy(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import simpy'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

function runSimpy(python: string, model: 'hold' | 'mm1', n: number): SimpyResult {
  const r = spawnSync(python, [join(benchDir, 'simpy_models.py'), model, String(n)], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0)
    throw new Error(`simpy_models.py ${model} failed: ${(r.stderr ?? '').trim().split('\n').pop()}`);
  return JSON.parse(r.stdout) as SimpyResult;
}

function run(ctx: GroupContext): void {
  const s = ctx.quick ? QUICK : FULL;
  const hold = prepareAndRun(ctx, GROUP, `hold model, ${count(s.events)} events`, 'hold', () => ({
    n: s.events,
    runs: s.runs,
  }));
  const mm1 = prepareAndRun(ctx, GROUP, `M/M/1, ${count(s.customers)} customers`, 'mm1', () => ({
    n: s.customers,
    runs: s.runs,
  }));
  const python = findSimpy();
  const ours = { hold: hold.ok ? hold.measurement : null, mm1: mm1.ok ? mm1.measurement : null };
  for (const [model, n, unit] of [
    ['hold', s.simpyEvents, 'events'],
    ['mm1', s.simpyCustomers, 'customers'],
  ] as const) {
    const name = `${model === 'hold' ? 'hold model' : 'M/M/1'} in SimPy, ${count(n)} ${unit}`;
    if (python === null) {
      ctx.record({
        group: GROUP,
        case: name,
        status: 'skipped',
        note: 'no python3 with simpy (python3-simpy3)',
      });
      continue;
    }
    let result: SimpyResult;
    try {
      ctx.log(`${GROUP}/simpy ${model} running…`);
      result = runSimpy(python, model, n);
    } catch (e) {
      ctx.record({ group: GROUP, case: name, status: 'failed', error: oneLine(e) });
      continue;
    }
    ctx.record({
      group: GROUP,
      case: name,
      status: 'ok',
      measurement: {
        throughput: {
          subject: rate(`SimPy ${result.simpy}`, result.items, result.seconds),
          baseline: null,
          ratio: null,
        },
        figures: [minRate(`${unit}/s`, result.perSecond, null)],
        peakRssMiB: result.peakRssMiB,
        note: `${python}; timed inside Python (env.run only)`,
      },
    });
    const mine = ours[model]?.throughput?.subject.perSecond;
    ctx.check({
      group: GROUP,
      name: `${model === 'hold' ? 'hold model' : 'M/M/1'}: engine vs SimPy ${result.simpy}`,
      text:
        mine === undefined
          ? 'not compared: our case failed'
          : `${(mine / 1e6).toFixed(2)} vs ${(result.perSecond / 1e6).toFixed(3)} M ${unit}/s: ` +
            `×${(mine / result.perSecond).toFixed(1)}`,
      met: null,
    });
  }
}

export const engineGroup: Group = {
  name: GROUP,
  description: 'discrete-event engine: hold model and M/M/1, beside SimPy (issue 4)',
  run,
  runners: { hold: holdCase, mm1: mm1Case },
};
