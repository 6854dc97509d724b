/**
 * Command-line overrides of a topology config, applied to the resolved JSON before validation so that the
 * result's `config` is exactly what ran: `--seed` replaces `seed`, `--until` sets `until`, and `--scale X`
 * multiplies the number of requests — the generator's `requests` (a preset is expanded into its spec for
 * that) and the `requests` cap when there is one. A trace file has the length it has: scaling one needs a
 * cap to scale.
 */
import { InputError } from '../errors.ts';
import { presets } from '../trace/generators/presets.ts';

export interface Overrides {
  readonly seed?: number;
  readonly scale?: number;
  /** A duration as the config would write it ("30s"). */
  readonly until?: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scaled(n: unknown, scale: number, where: string): number {
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new InputError(`${where}: expected a number of requests to scale, got ${JSON.stringify(n)}`);
  return Math.max(1, Math.round(n * scale));
}

/** A copy of the resolved config `raw` with the overrides applied; `where` names the config file. */
export function applyOverrides(raw: unknown, o: Overrides, where: string): unknown {
  if (!isObject(raw)) return raw;
  const out: Json = { ...raw };
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.until !== undefined) out.until = o.until;
  if (o.scale === undefined || o.scale === 1) return out;
  if (!(o.scale > 0 && Number.isFinite(o.scale)))
    throw new InputError(`--scale: expected a number > 0, got ${o.scale}`);
  let workload = out.workload;
  if (isObject(workload) && typeof workload.preset === 'string' && Object.hasOwn(presets, workload.preset)) {
    const { comment: _comment, ...spec } = presets[workload.preset];
    workload = spec;
  }
  let done = false;
  if (isObject(workload) && typeof workload.generator === 'string') {
    out.workload = {
      ...workload,
      requests: scaled(workload.requests, o.scale, `${where}: /workload/requests`),
    };
    done = true;
  }
  if (out.requests !== undefined) {
    out.requests = scaled(out.requests, o.scale, `${where}: /requests`);
    done = true;
  }
  if (!done) {
    throw new InputError(
      `--scale: ${where} replays a trace file, whose length is fixed; set "requests" in the config to scale a cap`,
    );
  }
  return out;
}
