/**
 * The network between components. Every instance (load balancer, gateway, cache node, origin) sits on a
 * host in a zone; a message between two of them takes a one-way latency drawn from its link class's
 * distribution — same host, same zone, or cross zone — plus the time to put its bytes on the wire at the
 * configured bandwidth (bytes · 8 / Gbps nanoseconds). Only the value a message carries is counted as
 * bytes; headers and keys are small beside it and inside the latency figures.
 *
 * Each link class draws from its own random stream, so adding traffic on one class leaves the others'
 * draws unchanged.
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
  private readonly sameHost: Sampler;
  private readonly sameZone: Sampler;
  private readonly crossZone: Sampler;
  /** Nanoseconds per byte; 0 for infinite bandwidth. */
  readonly nsPerByte: number;

  constructor(spec: NetworkConfig, rng: RandomStreams) {
    this.sameHost = makeSampler(spec.sameHost, rng.get('network/sameHost'));
    this.sameZone = makeSampler(spec.sameZone, rng.get('network/sameZone'));
    this.crossZone = makeSampler(spec.crossZone, rng.get('network/crossZone'));
    this.nsPerByte = spec.bandwidthGbps === 'infinite' ? 0 : 8 / spec.bandwidthGbps;
  }

  /** The link class between two places. */
  static classOf(fromZone: number, fromHost: number, toZone: number, toHost: number): number {
    if (fromHost === toHost) return SAME_HOST;
    return fromZone === toZone ? SAME_ZONE : CROSS_ZONE;
  }

  /** One-way delay (whole ns) of a message carrying `bytes` of value between two places. */
  delay(fromZone: number, fromHost: number, toZone: number, toHost: number, bytes: number): number {
    let d: number;
    if (fromHost === toHost) d = this.sameHost.sample();
    else if (fromZone === toZone) d = this.sameZone.sample();
    else d = this.crossZone.sample();
    return bytes === 0 || this.nsPerByte === 0 ? d : d + Math.round(bytes * this.nsPerByte);
  }
}
