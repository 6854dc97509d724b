import { describe, expect, it } from 'vitest';
import type { Baseline, BaselineEntry } from '../../src/experiment/contract.ts';
import { allowance, compare, judge, regressions } from '../../src/regress/compare.ts';

function entry(values: (number | null)[], over: Partial<BaselineEntry> = {}): BaselineEntry {
  return {
    metric: 'missRatio',
    direction: 'lower',
    tolerance: { abs: 0.005 },
    params: { 'replay.policy': 'lru' },
    seeds: values.map((_, i) => i + 1),
    values,
    ...over,
  };
}

function baseline(entries: BaselineEntry[], over: Partial<Baseline> = {}): Baseline {
  return {
    format: 'cachetopo-baseline/1',
    experiment: 'x',
    codeVersion: 'v1',
    configHash: 'aaaa',
    traceHash: 'tttt',
    entries,
    ...over,
  };
}

/** The run on seeds the baseline did not use: independent samples, Welch's test. */
const OTHER_SEEDS: Partial<BaselineEntry> = { seeds: [4, 5, 6] };

describe('allowance', () => {
  it('is the larger bound present, 0 without any', () => {
    expect(allowance({ abs: 0.1, rel: 0.05 }, 4)).toBe(0.2); // 5% of 4 beats 0.1
    expect(allowance({ abs: 0.1, rel: 0.05 }, 1)).toBe(0.1); // 5% of 1 is 0.05
    expect(allowance({ rel: 0.1 }, -3)).toBeCloseTo(0.3, 12);
    expect(allowance({}, 7)).toBe(0);
  });
});

describe('judge', () => {
  it('passes identical values', () => {
    const r = judge(entry([0.3, 0.32, 0.34]), entry([0.3, 0.32, 0.34]));
    expect(r.verdict).toBe('pass');
    expect(r.delta).toBe(0);
    expect(r.reason).toBe('missRatio [replay.policy=lru] unchanged');
  });

  it('with one seed, fails a worse move beyond tolerance and passes one within', () => {
    const bad = judge(entry([0.3]), entry([0.306]));
    expect(bad.verdict).toBe('regression');
    expect(bad.p).toBeNull();
    expect(bad.reason).toBe(
      'missRatio [replay.policy=lru] rose by 0.006, beyond its tolerance 0.005 (no test with one seed)',
    );
    expect(judge(entry([0.3]), entry([0.304])).verdict).toBe('pass');
    expect(judge(entry([0.3]), entry([0.29])).verdict).toBe('improvement');
  });

  it('reads the direction: a higher-is-better metric that falls regresses', () => {
    const e = (v: number) => entry([v], { metric: 'hitRatio', direction: 'higher' });
    expect(judge(e(0.7), e(0.69)).verdict).toBe('regression');
    expect(judge(e(0.7), e(0.71)).verdict).toBe('improvement');
  });

  it('passes a move beyond tolerance that the seeds cannot tell from noise (Welch: other seeds)', () => {
    // means 0.32 → 0.33, sample variance 0.0004 on both sides: se = sqrt(2 × 0.0004 / 3) = 0.01633,
    // t = 0.6124 on 4 df, two-sided p = 0.5734
    const r = judge(entry([0.3, 0.32, 0.34]), entry([0.31, 0.35, 0.33], OTHER_SEEDS));
    expect(r.delta).toBeCloseTo(0.01, 12);
    expect(r.test).toBe('welch');
    expect(r.p).toBeCloseTo(0.5734, 3);
    expect(r.verdict).toBe('pass');
    expect(r.reason).toMatch(/beyond its tolerance 0\.005 but within noise \(p = 0\.573/);
  });

  it('pairs the same move on the same seeds: differences 0.01, 0.03, −0.01 are still noise', () => {
    // d mean 0.01, sd 0.02: t = 0.01 / (0.02 / √3) = 0.8660 on 2 df, p = 1 − t / √(2 + t²) = 0.4778
    const r = judge(entry([0.3, 0.32, 0.34]), entry([0.31, 0.35, 0.33]));
    expect(r.test).toBe('paired');
    expect(r.p).toBeCloseTo(0.4778, 4);
    expect(r.verdict).toBe('pass');
    expect(r.reason).toMatch(/but within noise \(paired p = 0\.4778\)$/);
  });

  it('fails the same move when the seeds agree', () => {
    // variance 1e-6 per side: se = sqrt(2e-6 / 3) = 0.000816, t = 0.01 / se = 12.25 on 4 df, p = 0.000255
    const r = judge(entry([0.3, 0.301, 0.302]), entry([0.31, 0.311, 0.312], OTHER_SEEDS));
    expect(r.verdict).toBe('regression');
    expect(r.p).toBeCloseTo(0.000255, 6);
  });

  it('catches a small shift every seed shows, which Welch cannot tell from the seeds’ spread', () => {
    // d = 0.006, 0.007, 0.005: mean 0.006, sd 0.001, t = √108 = 10.392 on 2 df,
    // p = 1 − √108 / √110 = 0.009133. Welch on the same values: t = 0.006 / 0.016135 = 0.372, p ≈ 0.73.
    const before = entry([0.3, 0.32, 0.34]);
    const values = [0.306, 0.327, 0.345];
    const paired = judge(before, entry(values));
    expect(paired.test).toBe('paired');
    expect(paired.p).toBeCloseTo(0.009133, 5);
    expect(paired.verdict).toBe('regression');
    expect(paired.reason).toBe(
      'missRatio [replay.policy=lru] rose by 0.006, beyond its tolerance 0.005 (paired p = 0.009133)',
    );
    const welch = judge(before, entry(values, OTHER_SEEDS));
    expect(welch.test).toBe('welch');
    expect(welch.p).toBeGreaterThan(0.7);
    expect(welch.verdict).toBe('pass');
  });

  it('fails a move beyond tolerance when nothing varies (the difference is exact)', () => {
    const welch = judge(entry([0.3, 0.3, 0.3]), entry([0.31, 0.31, 0.31], OTHER_SEEDS));
    expect(welch.p).toBeNull();
    expect(welch.verdict).toBe('regression');
    expect(welch.reason).toMatch(/no variance on either side/);
    // Same seeds: the differences 0.5, 0.5 have no variance and a non-zero mean.
    const paired = judge(entry([1, 2], { tolerance: {} }), entry([1.5, 2.5], { tolerance: {} }));
    expect(paired.p).toBe(0);
    expect(paired.verdict).toBe('regression');
    expect(paired.reason).toBe(
      'missRatio [replay.policy=lru] rose by 0.5, beyond its tolerance 0 (the same shift on all 2 seeds)',
    );
  });

  it('pairs only the same seeds measured on both sides, else falls back to Welch', () => {
    expect(judge(entry([1, 2, 3]), entry([1, 2, 4], { seeds: [1, 2, 4] })).test).toBe('welch');
    expect(judge(entry([1, 2, 3]), entry([1, 2, 4], { seeds: [3, 2, 1] })).test).toBe('welch');
    expect(judge(entry([1, 2, null]), entry([1, 2.5, 4])).test).toBe('welch');
    const nulls = judge(entry([1, 2, null]), entry([1.5, 2.5, null]));
    expect(nulls.test).toBe('paired');
    expect(nulls.p).toBe(0);
    expect(judge(entry([1]), entry([2])).test).toBeNull();
  });

  it('passes a significant move within tolerance', () => {
    expect(judge(entry([0.3, 0.3001, 0.3002]), entry([0.304, 0.3041, 0.3042])).verdict).toBe('pass');
  });

  it('leaves out null values, and fails a group that measures nothing now', () => {
    const r = judge(entry([4, 4.2, null], { tolerance: { abs: 0.1 } }), entry([4, 4.2, 4.1]));
    expect(r.baseline.values).toEqual([4, 4.2]);
    expect(r.baseline.mean).toBeCloseTo(4.1, 12);
    expect(judge(entry([1, 2]), entry([null, null])).verdict).toBe('regression');
    expect(judge(entry([null]), entry([null])).verdict).toBe('pass');
  });
});

describe('compare', () => {
  const two = [entry([0.3]), entry([0.5], { params: { 'replay.policy': 'sieve' } })];

  it('judges every entry and only notes a changed config or code version', () => {
    const now = baseline([entry([0.31]), entry([0.5], { params: { 'replay.policy': 'sieve' } })], {
      configHash: 'bbbb',
      codeVersion: 'v2',
    });
    const c = compare(baseline(two), now);
    expect(c.problems).toEqual([]);
    expect(c.rows.map((r) => r.verdict)).toEqual(['regression', 'pass']);
    expect(regressions(c).map((r) => r.metric)).toEqual(['missRatio']);
    expect(c.notes).toEqual([
      'the config changed since the baseline (configHash aaaa…)',
      'the code changed since the baseline (v1 → v2)',
    ]);
  });

  it('applies the run’s tolerance and notes that it changed', () => {
    const now = baseline([entry([0.31], { tolerance: { abs: 0.02 } }), two[1]]);
    const c = compare(baseline(two), now);
    expect(c.rows[0].verdict).toBe('pass');
    expect(c.notes).toEqual(["missRatio: tolerance changed since the baseline; the run's applies"]);
  });

  it('refuses another trace, another experiment, another metric set, other groups, another direction', () => {
    const base = baseline(two);
    expect(compare(base, baseline(two, { traceHash: 'uuuu' })).problems).toEqual([
      'traceHash: the baseline was measured on another trace (tttt…, now uuuu…)',
    ]);
    expect(compare(base, baseline(two, { experiment: 'y' })).problems).toEqual([
      'experiment: the baseline is of "x", the run of "y"',
    ]);
    const extra = baseline([...two, entry([1], { metric: 'byteMissRatio' })]);
    expect(compare(base, extra).problems).toEqual(['metrics: "byteMissRatio" is in the run only']);
    const fewer = baseline([two[0]]);
    expect(compare(base, fewer).problems).toEqual([
      'parameter groups: [replay.policy=sieve] is in the baseline only',
    ]);
    const flipped = baseline(two.map((e) => ({ ...e, direction: 'higher' as const })));
    expect(compare(base, flipped).problems[0]).toBe(
      'missRatio: direction: the baseline has "lower" is better, the run "higher" is better',
    );
    expect(compare(base, flipped).rows).toEqual([]);
  });

  it('matches groups whatever the key order of their params', () => {
    const a = entry([0.3], { params: { a: 1, b: 'x' } });
    const b = entry([0.3], { params: { b: 'x', a: 1 } });
    expect(compare(baseline([a]), baseline([b])).problems).toEqual([]);
  });
});
