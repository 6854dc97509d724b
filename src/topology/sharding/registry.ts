/**
 * The one table of sharding schemes, and the checked way to build a sharder from a config's spec and a
 * tier's node names. Adding a scheme is one module and one line here.
 */
import { InputError } from '../../errors.ts';
import type { SchemeEntry, Sharder, ShardingSpec } from './api.ts';
import { jumpScheme } from './jump.ts';
import { ketamaScheme } from './ketama.ts';
import { moduloScheme } from './modulo.ts';
import { redisClusterScheme } from './redis-cluster.ts';
import { rendezvousScheme } from './rendezvous.ts';

export const schemes: readonly SchemeEntry[] = [
  moduloScheme,
  ketamaScheme,
  redisClusterScheme,
  rendezvousScheme,
  jumpScheme,
];

/**
 * A sharder of `spec.kind` over `nodes` (copied, so later changes to the caller's array change nothing).
 * Node names must be distinct: ketama and rendezvous place nodes by name, so two nodes of one name would
 * be one node twice.
 */
export function createSharder(spec: ShardingSpec, nodes: readonly string[]): Sharder {
  const entry = schemes.find((s) => s.kind === spec.kind);
  if (entry === undefined) {
    const known = schemes.map((s) => s.kind).join(', ');
    throw new InputError(`sharding.kind: unknown scheme "${spec.kind}"; expected one of ${known}`);
  }
  if (spec.vnodes !== undefined && spec.kind !== 'ketama') {
    throw new InputError(`sharding.vnodes: only ketama takes vnodes, not ${spec.kind}`);
  }
  if (nodes.length === 0) throw new InputError(`sharding: ${spec.kind} needs at least one node, got none`);
  const seen = new Set<string>();
  for (const name of nodes) {
    if (seen.has(name))
      throw new InputError(`sharding: node "${name}" is listed twice; names must be distinct`);
    seen.add(name);
  }
  return entry.create(spec, Object.freeze([...nodes]));
}
