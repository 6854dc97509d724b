/**
 * Active health checks of the cache nodes by the gateways (the caches' clients), as Kong's upstream
 * health checks or a memcached client's server ejection do it: every `interval` each gateway instance
 * probes each node of the rerouted tiers (rerouting.ts); after `failures` failed probes in a row it marks
 * the node down and routes its keys elsewhere, and at the first probe that succeeds it marks it up again.
 * A probe fails when the node is down or the network cuts the gateway's zone off from the node's. Probes
 * take no time and cost nothing: they are judged at the instant they are sent.
 *
 * Probes run on the grid k · interval of simulated time, and only while some probe fails or some node is
 * marked down: a node that crashes at t is marked down at the `failures`-th grid point at or after t (a
 * probe at the very instant of a crash sees it), and up at the first grid point at or after its restart.
 * Every gateway probes on the same grid, so they agree unless a partition puts them on different sides.
 */
import type { Component, Engine } from '../../sim/engine.ts';
import type { Network } from '../network.ts';
import type { Rerouting } from './rerouting.ts';

export interface HealthCheckSpec {
  /** Between probes (ns). */
  readonly interval: number;
  /** Failed probes in a row that mark a node down. */
  readonly failures: number;
}

/** A gateway marking a node down or up. */
export interface HealthEvent {
  readonly t: number;
  readonly gateway: number;
  readonly node: string;
  readonly down: boolean;
}

export class HealthChecker implements Component {
  readonly id: number;
  readonly events: HealthEvent[] = [];
  /** Per gateway and node: failed probes in a row, and whether it is marked down. */
  private readonly fails: Uint32Array;
  private readonly marked: Uint8Array;
  private ticking = false;

  constructor(
    private readonly engine: Engine,
    private readonly spec: HealthCheckSpec,
    private readonly rerouting: Rerouting,
    private readonly gatewayZones: Int32Array,
    private readonly network: Network,
  ) {
    this.id = engine.register(this, 'health checks');
    const n = rerouting.nodes.length * gatewayZones.length;
    this.fails = new Uint32Array(n);
    this.marked = new Uint8Array(n);
    for (const node of rerouting.nodes) node.onStateChange(() => this.wake());
  }

  /** Something a probe looks at changed: probe from the next grid point on (now, if on the grid). */
  wake(): void {
    if (this.ticking || this.rerouting.nodes.length === 0) return;
    this.ticking = true;
    const i = this.spec.interval;
    const now = this.engine.now;
    this.engine.schedule(Math.ceil(now / i) * i - now, this.id, 0, 0, 0);
  }

  handle(): void {
    const now = this.engine.now;
    const nodes = this.rerouting.nodes;
    const net = this.network;
    let busy = false;
    for (let u = 0; u < this.gatewayZones.length; u++) {
      for (let j = 0; j < nodes.length; j++) {
        const node = nodes[j];
        const k = u * nodes.length + j;
        const ok = node.up && !(net.partitioned && net.isCut(this.gatewayZones[u], node.zone));
        if (ok) {
          this.fails[k] = 0;
          if (this.marked[k]) this.set(u, j, false, now);
        } else {
          busy = true;
          this.fails[k]++;
          if (!this.marked[k] && this.fails[k] >= this.spec.failures) this.set(u, j, true, now);
        }
        if (this.marked[k]) busy = true;
      }
    }
    this.ticking = busy;
    if (busy) this.engine.schedule(this.spec.interval, this.id, 0, 0, 0);
  }

  private set(u: number, j: number, down: boolean, now: number): void {
    this.marked[u * this.rerouting.nodes.length + j] = down ? 1 : 0;
    this.events.push({ t: now, gateway: u, node: this.rerouting.nodes[j].name, down });
    this.rerouting.mark(u, j, down, now);
  }
}
