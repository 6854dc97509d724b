/**
 * `cachetopo regress` running a real (small) replay experiment: an honest rerun passes, a copy of the
 * config with a worse policy or a smaller cache fails with exit 1 naming the metric, a baseline of another
 * trace is refused with exit 2. In-process through main(), one worker, so it stays fast.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inProcess } from '../helpers/cli.ts';

const experiment = {
  name: 'gate-test',
  model: 'replay',
  seed: 1,
  workload: { generator: 'zipf', requests: 20000, objects: 2000, alpha: 0.8 },
  replay: { policy: 's3fifo', size: '10%' },
  seeds: 3,
  metrics: [
    { name: 'missRatio', direction: 'lower', tolerance: { abs: 0.002 } },
    { name: 'compulsoryMissRatio', direction: 'lower', tolerance: { abs: 0.002 } },
  ],
};

let dir: string;
let baseline: string;
let out = '';
let err = '';

/** A copy of the experiment with some top-level blocks replaced, in its own file. */
function copy(name: string, over: Partial<typeof experiment> = {}): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...experiment, ...over }));
  return path;
}

async function regress(config: string, ...args: string[]): Promise<number> {
  let code: number;
  ({ code, out, err } = await inProcess(
    'regress',
    config,
    '--baseline',
    baseline,
    '--workers',
    '1',
    '--out',
    join(dir, 'out'),
    ...args,
  ));
  return code;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cachetopo-regress-run-'));
  baseline = join(dir, 'baseline.json');
  expect(await regress(copy('base'), '--update')).toBe(0);
});

describe('cachetopo regress on a real run', () => {
  it('has one entry per metric with every seed', () => {
    const b = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(b.entries.map((e: { metric: string; seeds: number[] }) => [e.metric, e.seeds])).toEqual([
      ['missRatio', [1, 2, 3]],
      ['compulsoryMissRatio', [1, 2, 3]],
    ]);
  });

  it('passes an honest rerun, with byte-identical values', async () => {
    expect(await regress(copy('honest'), '--junit', join(dir, 'j.xml'))).toBe(0);
    expect(out).toMatch(/^regress gate-test: 2 comparisons, no regression\n/);
    expect(out).toMatch(/missRatio +all .* 0 +0.002 +- +pass\n/);
  });

  it('fails a worse policy with exit 1, naming the metric', async () => {
    expect(await regress(copy('fifo', { replay: { ...experiment.replay, policy: 'fifo' } }))).toBe(1);
    expect(err).toMatch(
      /^cachetopo: 1 regression against .*: missRatio \[all\] rose by 0\.\d+, beyond its tolerance 0\.002 \(paired p = /,
    );
    expect(out).toMatch(/note: the config changed since the baseline/);
    expect(out).toMatch(/compulsoryMissRatio +all .* pass\n/);
  });

  it('fails a smaller cache with exit 1, naming the metric', async () => {
    expect(await regress(copy('small', { replay: { ...experiment.replay, size: '5%' } }))).toBe(1);
    expect(err).toMatch(/1 regression .*: missRatio \[all\] rose by/);
  });

  it('reports a bigger cache as an improvement and passes', async () => {
    expect(await regress(copy('big', { replay: { ...experiment.replay, size: '20%' } }))).toBe(0);
    expect(out).toMatch(/missRatio +all .* improvement\n/);
  });

  it('refuses a baseline of another trace with exit 2', async () => {
    expect(await regress(copy('other', { workload: { ...experiment.workload, alpha: 0.9 } }))).toBe(2);
    expect(err).toMatch(
      /^cachetopo: .*baseline\.json: cannot compare with this run: traceHash: the baseline was measured on another trace/,
    );
  });
});
