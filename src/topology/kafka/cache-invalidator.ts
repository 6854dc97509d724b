/**
 * The sink of the invalidation consumer group: applies each record to the caches, as the design's cache
 * consumers do — a DELETE (drop the key) or an UPDATE (store the written version) sent from the
 * partition's consumer to the key's node in every tier of the write's lookup chain. A near-cache tier
 * (placement "gateway") has a copy on every gateway host, so every one of its nodes gets the command:
 * the point of a bus, where the direct path reaches only the writing gateway's own near cache.
 *
 * The invalidation lag of a record is the time from its publication (the write's commit, as the gateway
 * learnt of it) to its consumer having processed it and sent the commands; the network leg to the node
 * and the node's queue come after (cache-node.ts). Duplicates are applied again but not timed.
 */

import { Histogram } from '../../metrics/histogram.ts';
import type { Engine } from '../../sim/engine.ts';
import type { CacheNode, GatewayPlaces } from '../cache-node.ts';
import { type Commands, valueBytes } from '../commands.ts';
import type { SimEvents } from '../events.ts';
import type { Network } from '../network.ts';
import type { Tier } from '../tier.ts';
import type { RecordSink } from './consumer-group.ts';
import type { Records } from './records.ts';

export interface InvalidatorParts {
  readonly engine: Engine;
  readonly records: Records;
  readonly tiers: readonly Tier[];
  /** Tier indices of each route's chain (routes.ts). */
  readonly chains: readonly Int32Array[];
  readonly commands: Commands;
  readonly network: Network;
  /** Zone and host of each partition's consumer. */
  readonly consumers: GatewayPlaces;
}

export class CacheInvalidator implements RecordSink {
  /** Publication → processed, of each record's first delivery (ns). */
  readonly lag = new Histogram();
  /** An event exporter's listener (../events.ts). */
  events: SimEvents | null = null;

  constructor(private readonly parts: InvalidatorParts) {}

  consume(r: number, partition: number, duplicate: boolean): void {
    const { records, tiers } = this.parts;
    const now = this.parts.engine.now;
    if (!duplicate) this.lag.record(now - records.publishedAt[r]);
    this.events?.invalidation(now, records.key[r], now - records.publishedAt[r], duplicate);
    const chain = this.parts.chains[records.route[r]];
    for (let i = 0; i < chain.length; i++) {
      const tier = tiers[chain[i]];
      if (tier.sharder === null) for (const node of tier.nodes) this.send(node, r, partition);
      else this.send(tier.nodeFor(records.key[r], records.upstream[r]), r, partition);
    }
  }

  private send(node: CacheNode, r: number, partition: number): void {
    const { records, consumers } = this.parts;
    const cmd = records.cmd[r];
    const size = records.size[r];
    const leg = this.parts.network.delay(
      consumers.zone[partition],
      consumers.host[partition],
      node.zone,
      node.host,
      valueBytes(cmd, size),
    );
    node.command(this.parts.commands.alloc(cmd, records.key[r], size, records.version[r], 0), leg);
  }
}
