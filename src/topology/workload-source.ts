/**
 * Opens the workload a topology config names: a trace file (relative to the config's directory), a
 * generator spec written inline, or a generator preset by name. A generator without a seed of its own is
 * seeded by the run's seed, so replications with other seeds see other samples of the same workload.
 */
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import type { RequestSource } from '../trace/api.ts';
import { presets } from '../trace/generators/presets.ts';
import { openTrace } from '../trace/registry.ts';
import { type GeneratorSpecFile, openGenerator } from '../trace/workload.ts';
import type { WorkloadConfig } from './schema.ts';

/** Where a config came from, for messages and relative paths. */
export interface ConfigOrigin {
  /** The config file (or another name for it) that messages start with. */
  readonly where: string;
  /** Directory that relative trace paths are read from. */
  readonly baseDir: string;
}

export function openWorkloadSource(w: WorkloadConfig, origin: ConfigOrigin, seed: number): RequestSource {
  if ('generator' in w) {
    const spec = w as GeneratorSpecFile;
    return openGenerator(spec, `${origin.where}: /workload`, spec.seed ?? seed);
  }
  if ('trace' in w) {
    const path = isAbsolute(w.trace) ? w.trace : join(origin.baseDir, w.trace);
    return openTrace(path, { format: w.format });
  }
  if (!Object.hasOwn(presets, w.preset)) {
    throw new InputError(
      `${origin.where}: /workload/preset: unknown preset "${w.preset}"; expected one of ${Object.keys(presets).join(', ')}`,
    );
  }
  const spec = presets[w.preset];
  return openGenerator(spec, `preset ${w.preset}`, spec.seed ?? seed);
}
