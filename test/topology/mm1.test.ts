/**
 * experiments/validation/mm1.json against queueing theory: a cache node fed by Poisson clients at rate λ
 * with exponential service of mean 1/μ is an M/M/1 queue, so its utilisation is ρ = λ/μ and its mean wait
 * in queue Wq = ρ/(μ − λ). λ and μ are read from the config itself.
 *
 * Tolerance, as in test/sim/queueing-theory.test.ts: over SEEDS seeds, the mean must lie within 4 standard
 * errors (estimated from the spread across seeds) of the closed form, and the standard error must itself
 * be small — under 1.5% of Wq and 0.3% of ρ (measured: 0.63% and 0.14%) — so the test cannot pass by
 * being vague: a bias beyond ~6% in the wait or ~1.2% in utilisation fails. With 8 seeds (Student t,
 * 7 d.f.) a correct simulator fails about once in 200 seed sets; the seeds are fixed, so the test is
 * deterministic.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.ts';
import type { ResultMetrics } from '../../src/topology/result.ts';
import { repoRoot } from '../helpers/shared.ts';
import { run } from './helpers.ts';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const raw = resolveConfig(join(repoRoot, 'experiments/validation/mm1.json')).raw as {
  clients: { rate: number };
  tiers: { cache: { service: { dist: string; mean: string } } };
};

function perSecond(mean: string): number {
  const m = /^(\d+(?:\.\d+)?)us$/.exec(mean);
  if (m === null) throw new Error(`mm1.json: expected the service mean in us, got ${mean}`);
  return 1e6 / Number(m[1]);
}

function meanAndSe(xs: number[]): { mean: number; se: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, se: Math.sqrt(variance / xs.length) };
}

function agrees(label: string, xs: number[], theory: number, maxRelSe: number): void {
  const { mean, se } = meanAndSe(xs);
  const detail = `${label}: ${mean} ± ${se} (SE) vs theory ${theory}`;
  expect(se / theory, detail).toBeLessThan(maxRelSe);
  expect(Math.abs(mean - theory) / se, detail).toBeLessThan(4);
}

describe('experiments/validation/mm1.json is an M/M/1 queue', () => {
  const lambda = raw.clients.rate;
  expect(raw.tiers.cache.service.dist).toBe('exponential');
  const mu = perSecond(raw.tiers.cache.service.mean);
  const rho = lambda / mu;
  let runs: ResultMetrics[] = [];
  beforeAll(() => {
    runs = SEEDS.map((s) => run(raw as unknown as Record<string, unknown>, s).metrics);
  });

  it(`utilisation ρ = λ/μ = ${rho} and mean wait Wq = ρ/(μ − λ) = ${(1e3 * rho) / (mu - lambda)} ms`, () => {
    expect(rho).toBe(0.8);
    agrees(
      'utilisation',
      runs.map((m) => m.nodes[0].utilisation as number),
      rho,
      0.003,
    );
    agrees(
      'Wq (ms)',
      runs.map((m) => m.nodes[0].meanWaitMs as number),
      (1e3 * rho) / (mu - lambda),
      0.015,
    );
  });

  it("Little's law on the node's queue: Lq = λ·Wq", () => {
    for (const m of runs) {
      const node = m.nodes[0];
      const arrivalsPerMs = node.commands / (m.simulation.simulatedSeconds * 1e3);
      const lq = node.meanQueueLength as number;
      // Equal up to the customers inside at the run's two edges: a few waits over ~2.5 s.
      expect(Math.abs(lq - arrivalsPerMs * (node.meanWaitMs as number)) / lq).toBeLessThan(2e-3);
    }
  });
});
