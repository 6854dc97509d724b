/**
 * The network between components. Every instance (load balancer, gateway, cache node, origin) sits on a
 * host in a zone; a message between two of them takes a one-way latency drawn from its link class's
 * distribution — same host, same zone, or cross zone — plus the time to put its bytes on the wire at the
 * configured bandwidth (bytes · 8 / Gbps nanoseconds). Only the value a message carries is counted as
 * bytes; headers and keys are small beside it and inside the latency figures.
 *
 * Each link class draws from its own random stream, so adding traffic on one class leaves the others'
 * draws unchanged.
 *
 * Traffic is counted per link class, for the result's `network` block and the cost of cross-zone transfer
 * (report/cost.ts): every delay() is one message and its value bytes; count() adds a message whose
 * latency another component draws (a replication stream's, by its own lag). A message counts once sent, even
 * if a dead node or a partition then loses it (fills, deletes and updates that a gateway would send across a
 * partition are dropped unsent: request-path.ts). Not counted: the client → load balancer leg
 * (clients are not placed), the Kafka producers' sends, the brokers' deliveries to the consumers and the
 * Elasticsearch bulks (brokers and the cluster are not placed; their latencies are the bus's own), health
 * probes (they take no time and carry nothing), and the copy a warm restart takes from another node.
 * Resyncs after a partition count: a partial one as its held writes, a full one as one message carrying
 * everything the primary holds.
 *
 * Faults (faults/) disturb it for a while: a latency spike adds a constant delay to every message of a
 * link class or between two zones (both directions), and a partition cuts two zones apart. The network
 * only says which pairs are cut; the components that send across decide what a lost message costs (a
 * timeout at the gateway). With nothing disturbed, delay() draws and adds exactly as before.
 */
import { makeSampler, type Sampler } from '../sim/distributions.ts';
import type { RandomStreams } from '../sim/rng.ts';
import type { NetworkConfig } from './schema.ts';

export const SAME_HOST = 0;
export const SAME_ZONE = 1;
export const CROSS_ZONE = 2;

/** Where an instance runs: indexes into the run's zone list and its hosts. */
export interface Place {
  readonly zone: number;
  readonly host: number;
}

export class Network {
  /** Latency per link class (SAME_HOST, SAME_ZONE, CROSS_ZONE), each on its own random stream. */
  private readonly samplers: readonly Sampler[];
  /** Nanoseconds per byte; 0 for infinite bandwidth. */
  readonly nsPerByte: number;
  /** Some pair of zones is cut apart now. */
  partitioned = false;
  /** Messages that a latency spike delayed. */
  delayed = 0;
  /** Fire-and-forget commands (fills, deletes, updates) lost across a partition. */
  lost = 0;
  private readonly zones: number;
  /** Partitions in force per ordered zone pair (a·zones + b), both orders kept. */
  private readonly cuts: Uint8Array;
  /** Spike delay (ns) in force per link class and per ordered zone pair; spiking: any is non-zero. */
  private readonly classExtra = new Float64Array(3);
  private readonly pairExtra: Float64Array;
  private spiking = false;
  /** Messages and value bytes sent so far, per link class (SAME_HOST, SAME_ZONE, CROSS_ZONE). */
  readonly messages = new Float64Array(3);
  readonly bytes = new Float64Array(3);

  constructor(spec: NetworkConfig, rng: RandomStreams, zones = 1) {
    this.zones = zones;
    this.cuts = new Uint8Array(zones * zones);
    this.pairExtra = new Float64Array(zones * zones);
    this.samplers = [
      makeSampler(spec.sameHost, rng.get('network/sameHost')),
      makeSampler(spec.sameZone, rng.get('network/sameZone')),
      makeSampler(spec.crossZone, rng.get('network/crossZone')),
    ];
    this.nsPerByte = spec.bandwidthGbps === 'infinite' ? 0 : 8 / spec.bandwidthGbps;
  }

  /** The link class between two places. */
  static classOf(fromZone: number, fromHost: number, toZone: number, toHost: number): number {
    if (fromHost === toHost) return SAME_HOST;
    return fromZone === toZone ? SAME_ZONE : CROSS_ZONE;
  }

  /** One-way delay (whole ns) of a message carrying `bytes` of value between two places; counts it. */
  delay(fromZone: number, fromHost: number, toZone: number, toHost: number, bytes: number): number {
    const cls = Network.classOf(fromZone, fromHost, toZone, toHost);
    this.tally(cls, bytes);
    let d = this.samplers[cls].sample();
    if (this.spiking) d += this.extra(cls, fromZone, toZone);
    return bytes === 0 || this.nsPerByte === 0 ? d : d + Math.round(bytes * this.nsPerByte);
  }

  /** Counts a message carrying `bytes` of value whose latency its sender draws itself; draws nothing. */
  count(fromZone: number, fromHost: number, toZone: number, toHost: number, bytes: number): void {
    this.tally(Network.classOf(fromZone, fromHost, toZone, toHost), bytes);
  }

  private tally(cls: number, bytes: number): void {
    this.messages[cls]++;
    this.bytes[cls] += bytes;
  }

  private extra(cls: number, fromZone: number, toZone: number): number {
    const add = this.classExtra[cls] + this.pairExtra[fromZone * this.zones + toZone];
    if (add > 0) this.delayed++;
    return add;
  }

  /** Whether messages between zones `a` and `b` are lost now. */
  isCut(a: number, b: number): boolean {
    return this.cuts[a * this.zones + b] > 0;
  }

  /** Starts (`on`) or ends a partition between zones `a` and `b`; overlapping partitions nest. */
  cut(a: number, b: number, on: boolean): void {
    const step = on ? 1 : -1;
    this.cuts[a * this.zones + b] += step;
    this.cuts[b * this.zones + a] += step;
    this.partitioned = this.cuts.some((c) => c > 0);
  }

  /** Adds `ns` (negative: removes it) to every message of link class `cls` (SAME_HOST, …). */
  spikeClass(cls: number, ns: number): void {
    this.classExtra[cls] += ns;
    this.settle();
  }

  /** Adds `ns` (negative: removes it) to every message between zones `a` and `b`, either way. */
  spikePair(a: number, b: number, ns: number): void {
    this.pairExtra[a * this.zones + b] += ns;
    if (a !== b) this.pairExtra[b * this.zones + a] += ns;
    this.settle();
  }

  private settle(): void {
    this.spiking = this.classExtra.some((x) => x !== 0) || this.pairExtra.some((x) => x !== 0);
  }
}
