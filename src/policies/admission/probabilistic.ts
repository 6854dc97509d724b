/**
 * Probabilistic admission: admit each miss with probability `p`, independently (a coin flip from the
 * seeded ctx.random). An object requested k times while absent gets in after about 1/p misses, so popular
 * objects still enter while most one-time objects are kept out, with no per-key state (libCacheSim's
 * `prob` admissioner, default p = 0.5).
 *
 * Parameter: p (0.5).
 */
import type { Random } from '../api.ts';
import { numberParam } from '../param-checks.ts';
import type { AdmissionFilter, FilterEntry } from './api.ts';

export class ProbabilisticFilter implements AdmissionFilter {
  constructor(
    private readonly p: number,
    private readonly random: Random,
  ) {}

  admit(): boolean {
    return this.random() < this.p;
  }

  reserve(): void {}
}

export const probabilisticFilter: FilterEntry = {
  name: 'prob',
  description: 'admit each miss with probability p',
  defaults: { p: 0.5 },
  randomized: true,
  create: (ctx) => new ProbabilisticFilter(numberParam('prob', ctx.params, 'p', 0, 1), ctx.random),
};
