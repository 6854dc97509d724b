/** The committed experiments: each loads as an experiment, and experiments/schema.json is current. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/schema-cli.ts';
import { planExperiment } from '../../src/experiment/plan.ts';
import { experimentSchema } from '../../src/experiment/schema.ts';
import { repoRoot } from '../helpers/shared.ts';

const dir = join(repoRoot, 'experiments');

/** Experiment files: JSON files with a "$schema" line (generator specs beside them have none). */
function experiments(): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => join(dir, f))
    .filter((f) => Object.hasOwn(JSON.parse(readFileSync(f, 'utf8')), '$schema'));
}

describe('experiments/', () => {
  it('holds the schema `cachetopo schema` prints (regenerate: npx cachetopo schema > experiments/schema.json)', () => {
    const committed = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
    expect(committed).toEqual(configJsonSchema(experimentSchema, 'experiment'));
  });

  it('has experiments that each plan without error, with a $schema pointing at that schema', () => {
    const files = experiments();
    expect(files.map((f) => relative(dir, f))).toEqual(
      expect.arrayContaining(['seed-topology.json', 'seed-capacity-sweep.json', 'validation/mm1.json']),
    );
    for (const f of files) {
      const ref = JSON.parse(readFileSync(f, 'utf8')).$schema as string;
      expect(join(dir, relative(dir, f), '..', ref), f).toBe(join(dir, 'schema.json'));
      expect(planExperiment(f).cells.length, f).toBeGreaterThan(0);
    }
    expect(planExperiment(join(dir, 'seed-capacity-sweep.json')).cells).toHaveLength(36);
  });
});
