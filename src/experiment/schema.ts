/**
 * The experiment config: what `cachetopo run` reads. A topology experiment is a topology config
 * (topology/schema.ts, extended here rather than copied, so blocks other modules add to it stay valid)
 * plus the experiment's own keys; a replay experiment (`"model": "replay"`) names a workload and one
 * replay cell (policy, size, byte mode, warmup). Both may add:
 *
 * - `sweep`: `grid` (cartesian product over dotted config paths) and/or `zip` (lists taken together);
 * - `seeds`: a count N (seeds `seed`…`seed`+N−1) or an explicit list of replication seeds;
 * - `metrics`: the MetricSpecs reports and the regression gate use (experiment/contract.ts);
 * - `questions` and `cost` for the report;
 * - `ideal` (topology only): also run the ideal configuration once per seed, as the reports' reference.
 *
 * A topology config already has `metrics: {window}`; an experiment's `metrics` is either that object or a
 * list of MetricSpecs (then the window is the default). Every expanded cell is validated again by the cell
 * schema (topologySchema, or replayCellSchema), so a sweep value is checked like a written one.
 */
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { resolvePolicy } from '../policies/registry.ts';
import { parseSize } from '../replay/sizes.ts';
import { topologySchema } from '../topology/schema.ts';

const name = z.string().min(1);
const json: z.ZodType<unknown> = z.json();

const tolerance = z.strictObject({
  abs: z.number().min(0).optional().meta({ description: 'absolute change allowed in the worse direction' }),
  rel: z.number().min(0).optional().meta({ description: 'relative change allowed (0.02 = 2%)' }),
});

export const metricSpecSchema = z.strictObject({
  name: name.meta({ description: 'dotted path into a cell result’s metrics, e.g. "latencyMs.p99"' }),
  label: name.optional(),
  direction: z.enum(['lower', 'higher']).meta({ description: 'which way is better' }),
  unit: name.optional(),
  tolerance: tolerance.optional(),
});

const question = z.strictObject({
  title: name,
  metrics: z.array(name).min(1),
  axis: name.meta({ description: 'a sweep axis (its dotted config path)' }),
  series: name.optional().meta({ description: 'another sweep axis drawn as separate series' }),
});

const axisValues = z.array(json).min(1);

const sweep = z
  .strictObject({
    grid: z
      .record(name, axisValues)
      .optional()
      .meta({ description: 'dotted config path → values; every combination is a cell' }),
    zip: z
      .record(name, axisValues)
      .optional()
      .meta({ description: 'dotted config path → values; lists of equal length taken together' }),
  })
  .meta({ description: 'the cells of the experiment: grid axes first (the first varies slowest), then zip' });

const seeds = z
  .union([z.number().int().min(1), z.array(z.number().int()).min(1)])
  .meta({ description: 'replications: a count N (seeds seed…seed+N−1) or the list of seeds' });

const cost = z
  .strictObject({
    cacheGbHour: z.number().min(0).optional(),
    nodeHour: z.number().min(0).optional(),
    originPerMillionQueries: z.number().min(0).optional(),
    crossZonePerGb: z.number().min(0).optional().meta({
      description:
        'per GB of value bytes sent across zones, each direction counted (AWS: 0.01 out + 0.01 in)',
    }),
  })
  .meta({ description: 'prices for weighing designs by cost ($)' });

/** Keys an experiment adds to its cell config; removed from each cell before the cell schema sees it. */
export const EXPERIMENT_KEYS = ['model', 'sweep', 'seeds', 'questions', 'cost', 'ideal'] as const;

const experimentKeys = {
  sweep: sweep.optional(),
  seeds: seeds.optional(),
  questions: z.array(question).optional(),
  cost: cost.optional(),
};

export const topologyExperimentSchema = topologySchema.extend({
  model: z.literal('topology').optional().meta({ description: 'the discrete-event topology (default)' }),
  metrics: z
    .union([z.array(metricSpecSchema), topologySchema.shape.metrics])
    .optional()
    .meta({ description: 'MetricSpecs of the experiment, or the topology’s {window}' }),
  ideal: z.boolean().optional().meta({
    description:
      'also run, once per seed, the ideal configuration as a reference: every tier capacity "infinite", replicated tiers in replication mode "ideal", invalidation "ideal" (no stale read); the rest as configured (faults stay, but for Kafka consumer faults: there is no bus). Reports draw it as a dashed line',
  }),
  ...experimentKeys,
});

/** One replay cell: a workload through one policy at one size. */
export const replayCellSchema = z.strictObject({
  name,
  model: z.literal('replay'),
  seed: z.number().int().default(1),
  workload: topologySchema.shape.workload,
  replay: z
    .strictObject({
      policy: name.meta({
        description: 'a policy as `cachetopo replay --policy` reads it, e.g. "s3fifo(small=0.2)"',
      }),
      size: z.union([name, z.number().gt(0)]).meta({
        description: 'cache size: objects, bytes ("64MiB" with byteMode) or a share of the footprint ("1%")',
      }),
      byteMode: z.boolean().default(false).meta({ description: 'capacity counts bytes' }),
      warmup: z
        .union([name, z.number().int().min(0)])
        .default('0')
        .meta({ description: 'requests excluded from counting: a count or a percentage' }),
      honorOps: z.boolean().default(false).meta({ description: 'sets write, deletes remove, TTLs expire' }),
      windows: z.number().int().min(0).default(0).meta({ description: 'windows of the miss-ratio series' }),
    })
    // The replay engine's own parsers, so a bad policy or size is reported with the file and JSON
    // pointer, and with the config's other mistakes, rather than when the cell runs.
    .superRefine((r, ctx) => {
      const check = (field: 'policy' | 'size', parse: () => unknown): void => {
        try {
          parse();
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          ctx.addIssue({ code: 'custom', path: [field], message: e.message.replace(/^--[a-z]+: /, '') });
        }
      };
      check('policy', () => resolvePolicy(r.policy));
      check('size', () => parseSize(String(r.size), r.byteMode));
    }),
});

export const replayExperimentSchema = replayCellSchema.extend({
  metrics: z.array(metricSpecSchema).optional(),
  ...experimentKeys,
});

/** Either kind, for `cachetopo schema` (the loader picks by `model`). */
export const experimentSchema = z.union([topologyExperimentSchema, replayExperimentSchema]);

export type MetricSpecConfig = z.output<typeof metricSpecSchema>;
export type TopologyExperiment = z.output<typeof topologyExperimentSchema>;
export type ReplayExperiment = z.output<typeof replayExperimentSchema>;
export type ReplayCellConfig = z.output<typeof replayCellSchema>;
export type SweepConfig = z.output<typeof sweep>;
