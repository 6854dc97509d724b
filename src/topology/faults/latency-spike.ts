/**
 * A latency spike: from `at` to `until`, every message of a link class (same host, same zone, cross
 * zone) or between two zones (either way) takes `delay` longer. What it affected: the messages delayed
 * (a request crosses several links, so this counts legs, not requests).
 */
import { z } from 'zod';
import { durationField } from '../../config/fields.ts';
import { InputError } from '../../errors.ts';
import { CROSS_ZONE, SAME_HOST, SAME_ZONE } from '../network.ts';
import { defineFault, type FaultSpec, faultTimes, zoneNamed } from './api.ts';

const CLASSES = { sameHost: SAME_HOST, sameZone: SAME_ZONE, crossZone: CROSS_ZONE } as const;

const schema = z.strictObject({
  kind: z.literal('latency-spike'),
  ...faultTimes,
  link: z.enum(['sameHost', 'sameZone', 'crossZone']).optional().meta({ description: 'a link class' }),
  zones: z
    .tuple([z.string().min(1), z.string().min(1)])
    .optional()
    .meta({ description: 'or a zone pair (the same zone twice: links inside it)' }),
  delay: durationField.meta({ description: 'added to each message’s one-way latency' }),
});

type Spec = z.output<typeof schema> & FaultSpec;

export const latencySpike = defineFault<Spec>({
  kind: 'latency-spike',
  schema,
  prepare(spec, ctx, where) {
    const net = ctx.network;
    const base = { count: () => net.delayed };
    if ((spec.link === undefined) === (spec.zones === undefined)) {
      throw new InputError(`${where}: a latency spike needs exactly one of "link" or "zones"`);
    }
    const ms = `+${spec.delay / 1e6} ms`;
    if (spec.link !== undefined) {
      const cls = CLASSES[spec.link];
      return {
        ...base,
        targets: [spec.link],
        label: `${spec.link} links ${ms}`,
        start: () => net.spikeClass(cls, spec.delay),
        end: () => net.spikeClass(cls, -spec.delay),
      };
    }
    const [za, zb] = spec.zones as [string, string];
    const a = zoneNamed(ctx, za, `${where}/zones/0`);
    const b = zoneNamed(ctx, zb, `${where}/zones/1`);
    return {
      ...base,
      targets: [za, zb],
      label: `${za} – ${zb} ${ms}`,
      start: () => net.spikePair(a, b, spec.delay),
      end: () => net.spikePair(a, b, -spec.delay),
    };
  },
});
