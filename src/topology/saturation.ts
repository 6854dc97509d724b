/**
 * The diagnosis of a run that got out of control: when the requests in flight reach `limits.maxInFlight`,
 * arrivals have outpaced some station's service for a long time. The station with the longest queue —
 * a cache node or the origin's connection pool — is named with its queue and how busy it has been, in
 * one line, instead of letting the queues grow until the process runs out of memory.
 */
import { type Engine, SimulationLimitError } from '../sim/engine.ts';
import { formatDuration } from '../sim/time.ts';
import type { CacheNode } from './cache-node.ts';
import type { Origin } from './origin.ts';

export function saturationError(
  engine: Engine,
  nodes: readonly CacheNode[],
  origin: Origin,
  limit: number,
  inFlight: number,
): SimulationLimitError {
  let name = 'origin';
  let queue = origin.server.queueLength;
  let busy = origin.server.stats().utilisation;
  for (const node of nodes) {
    if (node.server.queueLength > queue) {
      name = `node ${node.name}`;
      queue = node.server.queueLength;
      busy = node.server.stats().utilisation;
    }
  }
  const detail =
    queue > 0
      ? `${name} is saturated: ${queue} requests waiting, ${(busy * 100).toFixed(1)}% busy — arrivals exceed its capacity; lower the load or add capacity`
      : 'no station has a queue, so requests are held by long latencies or timeouts: check the distributions and the limit';
  return new SimulationLimitError(
    `simulation stopped at t=${formatDuration(engine.now)}: ${inFlight} requests in flight reached ` +
      `limits.maxInFlight (${limit}); ${detail}`,
    name,
    inFlight,
    limit,
  );
}
