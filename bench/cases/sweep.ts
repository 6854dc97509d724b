/**
 * Bench group `sweep` (issue 6): parallel efficiency of `cachetopo run` on a sweep. Eight cells of the
 * seed topology (Memcached capacity × 2 seeds) run into a fresh results folder with 2 worker threads, and
 * with 1 worker (on the main thread) as the baseline, alternately in the same process; the speed-up is
 * the ratio of cells per second (target ≥ 1.8× on 2 cores). Worker start-up (tsx and the simulator loading
 * again in each thread, 0.5–2 s) is part of the 2-worker time, as it is for a user; hence cells of 1M
 * requests (~2 s each), so that start-up is a small part of the run, as in a real sweep.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planExperiment } from '../../src/experiment/plan.ts';
import { runPlan } from '../../src/experiment/run.ts';
import { repoRoot } from '../child.ts';
import { count, type Group, type GroupContext, prepareAndRun } from '../group.ts';
import { collect, figure, type Measurement, peakRssMiB, type Rate, rate } from '../measure.ts';

const GROUP = 'sweep';
const TARGET = 1.8;

interface Args {
  /** Requests per cell. */
  readonly requests: number;
  readonly runs: number;
}

const FULL: Args = { requests: 1_000_000, runs: 1 };
const QUICK: Args = { requests: 40_000, runs: 1 };

/** Times `fn`; the rate counts simulated requests (all cells'), so the table's M/s columns read sensibly. */
async function timed(what: string, requests: number, fn: () => Promise<unknown>): Promise<Rate> {
  collect();
  const t0 = process.hrtime.bigint();
  await fn();
  return rate(what, requests, Number(process.hrtime.bigint() - t0) / 1e9);
}

async function sweepCase(raw: unknown): Promise<Measurement> {
  const a = raw as Args;
  const dir = mkdtempSync(join(tmpdir(), 'cachetopo-bench-sweep-'));
  try {
    const config = join(dir, 'sweep.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(repoRoot, 'experiments/seed-topology.json'),
        name: 'bench-sweep',
        sweep: { grid: { 'tiers.memcached.capacity': ['4MiB', '8MiB', '16MiB', '32MiB'] } },
        seeds: 2,
      }),
    );
    const plan = planExperiment(config, { scale: a.requests / 1_000_000 });
    const cells = plan.cells.length;
    const once = async (workers: number): Promise<Rate> => {
      const out = join(dir, `out-${workers}`);
      rmSync(out, { recursive: true, force: true });
      return timed(`${workers} worker${workers > 1 ? 's' : ''}`, cells * a.requests, () =>
        runPlan(plan, { out, workers }),
      );
    };
    let best1: Rate | null = null;
    let best2: Rate | null = null;
    for (let r = 0; r < a.runs; r++) {
      const one = await once(1);
      const two = await once(2);
      if (best1 === null || one.seconds < best1.seconds) best1 = one;
      if (best2 === null || two.seconds < best2.seconds) best2 = two;
    }
    if (best1 === null || best2 === null) throw new Error('runs must be at least 1');
    const speedup = best2.perSecond / best1.perSecond;
    return {
      throughput: { subject: best2, baseline: best1, ratio: speedup },
      figures: [
        figure('parallel speed-up, 2 workers vs 1', speedup, '×', {
          text: `≥ ${TARGET}`,
          met: speedup >= TARGET,
        }),
        figure('cells/s with 2 workers', cells / best2.seconds, 'cells/s'),
      ],
      peakRssMiB: peakRssMiB(),
      values: { cells, speedup, secondsOneWorker: best1.seconds, secondsTwoWorkers: best2.seconds },
      note: `${cells} cells of ${count(a.requests)} requests; ${best1.seconds.toFixed(2)} s vs ${best2.seconds.toFixed(2)} s`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(ctx: GroupContext): void {
  const a = ctx.quick ? QUICK : FULL;
  prepareAndRun(
    ctx,
    GROUP,
    `seed topology sweep, 8 cells of ${count(a.requests)} requests`,
    'parallel',
    () => a,
  );
}

export const sweepGroup: Group = {
  name: GROUP,
  description: 'a sweep of 8 seed-topology cells on 2 worker threads vs 1: parallel efficiency (issue 6)',
  run,
  runners: { parallel: sweepCase },
};
