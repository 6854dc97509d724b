/**
 * Checks that need more than one field of a topology config, made before anything runs so that an
 * impossible topology is refused at once (exit 2) with every problem on its own line, each naming the
 * config file and the JSON pointer of the field at fault: a route to an unknown tier, a lookup chain that
 * visits a tier twice (a cycle: a miss would come back to a tier that already missed), routes that can
 * never be reached, a zone nobody declared, an eviction policy that does not exist or needs the future,
 * a Redis node with several command threads, a near-cache tier whose node count is not the gateway's.
 *
 * Single-field problems (a tier with no nodes, a negative or non-numeric latency) are the schema's; a
 * capacity too small for one object needs the workload and is checked by build.ts.
 */
import { InputError } from '../errors.ts';
import { type PolicySpec, resolvePolicy } from '../policies/registry.ts';
import { replicationProblems } from './replicated-tier.ts';
import type { TopologyConfig } from './schema.ts';
import { defaultPolicy } from './tier-policy.ts';

/** Most instances of a component (their indexes are 16-bit in the request pool). */
export const MAX_INSTANCES = 65_535;
/** Most routes, and most tiers in one chain (8-bit in the request pool). */
export const MAX_ROUTES = 255;

/** A problem at a JSON pointer below the config's root. */
interface Problem {
  at: string;
  message: string;
}

function zoneProblems(c: TopologyConfig): Problem[] {
  const out: Problem[] = [];
  const known = new Set<string>();
  c.zones.forEach((z, i) => {
    if (known.has(z)) out.push({ at: `/zones/${i}`, message: `zone "${z}" is listed twice` });
    known.add(z);
  });
  const check = (list: readonly string[] | undefined, at: string) => {
    list?.forEach((z, i) => {
      if (!known.has(z))
        out.push({ at: `${at}/${i}`, message: `unknown zone "${z}"; expected one of ${c.zones.join(', ')}` });
    });
  };
  check(c.loadBalancer.zones, '/loadBalancer/zones');
  check(c.gateway.zones, '/gateway/zones');
  for (const [name, t] of Object.entries(c.tiers)) check(t.zones, `/tiers/${name}/zones`);
  if (c.origin.zone !== undefined && !known.has(c.origin.zone))
    out.push({
      at: '/origin/zone',
      message: `unknown zone "${c.origin.zone}"; expected one of ${c.zones.join(', ')}`,
    });
  return out;
}

function routeProblems(c: TopologyConfig): Problem[] {
  const out: Problem[] = [];
  const tiers = Object.keys(c.tiers);
  const routes = c.gateway.routes;
  if (routes.length > MAX_ROUTES)
    out.push({
      at: '/gateway/routes',
      message: `expected at most ${MAX_ROUTES} routes, got ${routes.length}`,
    });
  let shares = 0;
  routes.forEach((r, i) => {
    const at = `/gateway/routes/${i}`;
    const seen = new Map<string, number>();
    r.chain.forEach((t, j) => {
      if (!Object.hasOwn(c.tiers, t)) {
        const expected = tiers.length > 0 ? `expected one of ${tiers.join(', ')}` : 'no tiers are defined';
        out.push({ at: `${at}/chain/${j}`, message: `unknown tier "${t}"; ${expected}` });
      } else if (seen.has(t)) {
        out.push({
          at: `${at}/chain/${j}`,
          message: `tier "${t}" is already at position ${seen.get(t)} of this chain: a lookup chain cannot visit a tier twice (a cycle)`,
        });
      }
      if (!seen.has(t)) seen.set(t, j);
    });
    const last = i === routes.length - 1;
    if (last && r.match !== undefined)
      out.push({
        at: `${at}/match`,
        message: 'the last route must have no match: it serves every key the others do not',
      });
    if (!last && (r.match === undefined || Object.keys(r.match).length === 0))
      out.push({
        at,
        message: `this route matches every key, so routes ${i + 1}..${routes.length - 1} are never used`,
      });
    shares += r.match?.share ?? 0;
  });
  if (shares > 1 + 1e-12)
    out.push({
      at: '/gateway/routes',
      message: `route shares add up to ${shares}, more than the whole key space (1)`,
    });
  return out;
}

function tierProblems(c: TopologyConfig): Problem[] {
  const out: Problem[] = [];
  for (const [name, t] of Object.entries(c.tiers)) {
    const at = `/tiers/${name}`;
    if (t.server === 'redis' && t.threads !== undefined && t.threads > 1) {
      out.push({
        at: `${at}/threads`,
        message: `expected 1 for redis (it runs commands on one thread; add nodes to add shards), got ${t.threads}`,
      });
    }
    if (t.nodes > MAX_INSTANCES)
      out.push({ at: `${at}/nodes`, message: `expected at most ${MAX_INSTANCES}` });
    if (t.placement === 'gateway') {
      if (t.nodes !== c.gateway.instances) {
        out.push({
          at: `${at}/nodes`,
          message: `placement "gateway" puts one node on each gateway host: expected ${c.gateway.instances} (gateway.instances), got ${t.nodes}`,
        });
      }
      if (t.sharding !== undefined)
        out.push({
          at: `${at}/sharding`,
          message: 'placement "gateway" reads the local node: it has no sharding',
        });
    }
    if (t.maxConnections !== undefined && t.maxConnections < (t.threads ?? 1))
      out.push({ at: `${at}/maxConnections`, message: `expected at least threads (${t.threads ?? 1})` });
    try {
      const spec: PolicySpec = resolvePolicy(defaultPolicy(t));
      if (spec.entry.needsNext)
        out.push({
          at: `${at}/policy`,
          message: `${spec.label} needs future requests, which a simulation does not know`,
        });
    } catch (e) {
      out.push({ at: `${at}/policy`, message: (e as Error).message });
    }
  }
  for (const [at, n] of [
    ['/loadBalancer/instances', c.loadBalancer.instances],
    ['/gateway/instances', c.gateway.instances],
  ] as const) {
    if (n > MAX_INSTANCES) out.push({ at, message: `expected at most ${MAX_INSTANCES}, got ${n}` });
  }
  return out;
}

function metricsProblems(c: TopologyConfig): Problem[] {
  return c.metrics.window > 0 ? [] : [{ at: '/metrics/window', message: 'expected a window longer than 0' }];
}

/** Throws one InputError listing every cross-field problem of `c` as "<where>: /pointer: problem". */
export function checkTopology(c: TopologyConfig, where: string): void {
  const problems = [
    ...zoneProblems(c),
    ...routeProblems(c),
    ...tierProblems(c),
    ...replicationProblems(c),
    ...metricsProblems(c),
  ];
  if (problems.length === 0) return;
  const lines = problems.map((p) => `${where}: ${p.at}: ${p.message}`);
  throw new InputError(lines[0], lines.slice(1));
}
