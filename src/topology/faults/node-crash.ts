/**
 * A cache node crashes at `at` and, at `until`, restarts cold (empty) or warm: with its own contents as
 * of the crash (`restart: "warm"`, what a Redis restart reloads from its RDB/AOF files) or with a copy of
 * another node's contents (`from`: a replica). What it affected: the GETs and SETs that met the dead node
 * (each waited for the gateway's timeout and was treated as a miss).
 */
import { z } from 'zod';
import { InputError } from '../../errors.ts';
import { defineFault, type FaultSpec, faultTimes, nodeNamed } from './api.ts';

const schema = z.strictObject({
  kind: z.literal('node-crash'),
  ...faultTimes,
  node: z.string().min(1).meta({ description: 'the cache node, e.g. "redis-1"' }),
  restart: z.enum(['cold', 'warm']).default('cold').meta({ description: 'how it comes back at `until`' }),
  from: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'warm: copy this node (a replica); default: its own contents as of the crash' }),
});

type Spec = z.output<typeof schema> & FaultSpec;

export const nodeCrash = defineFault<Spec>({
  kind: 'node-crash',
  schema,
  prepare(spec, ctx, where) {
    const node = nodeNamed(ctx, spec.node, `${where}/node`);
    if (spec.from !== undefined && spec.restart !== 'warm') {
      throw new InputError(`${where}/from: a copy to restart from needs "restart": "warm"`);
    }
    const from = spec.from === undefined ? node : nodeNamed(ctx, spec.from, `${where}/from`);
    const back = spec.from === undefined ? spec.restart : `warm from ${spec.from}`;
    return {
      targets: [node.name],
      label: spec.until === undefined ? `${node.name} crashes` : `${node.name} crashes, back ${back}`,
      start: (now) => node.crash(now),
      end: (now) => node.restart(now, spec.restart === 'cold' ? null : from),
      count: () => node.errors,
    };
  },
});
