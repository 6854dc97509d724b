/**
 * Which copies of a replicated shard (replication.ts) a GET asks: `primary` (Redis' default: replicas
 * only stand by), `any` (copies drawn uniformly, as a client with READONLY spreading reads), or `nearest`
 * (the copies closest to the asking gateway: same host, then same zone, the primary first among equals).
 * A read asks one copy, or R under quorum (quorum-reads.ts: all R are asked and waited for); `primary`
 * asks the primary alone whatever R is, as it holds every acknowledged write.
 *
 * A copy is skipped once it is known to be down: marked down by the replication after its detection
 * delay (for every gateway), or by the asking gateway's own health checks (faults/health-check.ts, when
 * the gateways probe the caches), which see a crash within a few probe intervals. A shard with every copy
 * skipped is read at its primary of the moment (there is nowhere else to go).
 */
import type { Rng } from '../sim/rng.ts';
import type { CacheNode, GatewayPlaces } from './cache-node.ts';
import type { Replication } from './replication.ts';

export type ReadFrom = 'primary' | 'any' | 'nearest';

export class ReadRouting {
  /** The copies (global indices) the last readers() call chose, in the order asked. */
  readonly chosen: Int32Array;
  private readonly rank: Float64Array;
  /** Per gateway instance and copy: 1 while that gateway's health checks have the copy marked down. */
  private readonly down: Uint8Array;

  constructor(
    private readonly rep: Replication,
    private readonly readFrom: ReadFrom,
    /** Copies a read asks. */
    private readonly r: number,
    private readonly gateways: GatewayPlaces,
    private readonly rng: Rng,
  ) {
    this.chosen = new Int32Array(rep.perShard);
    this.rank = new Float64Array(rep.perShard);
    this.down = new Uint8Array(gateways.zone.length * rep.copies.length);
  }

  /** Whether a read asks more than one copy (quorum-reads.ts then sends it). */
  get fansOut(): boolean {
    return this.r > 1 && this.readFrom !== 'primary';
  }

  /** The copy of shard `s` that answers a GET from gateway instance `upstream` (a read of one copy). */
  reader(s: number, upstream: number): CacheNode {
    this.readers(s, upstream);
    return this.rep.copies[this.chosen[0]];
  }

  /** Puts the copies of shard `s` that a GET from gateway `u` asks in chosen[0..n) and returns n (≥ 1). */
  readers(s: number, u: number): number {
    const rep = this.rep;
    const p = rep.primary[s];
    const o = this.chosen;
    if (this.readFrom === 'primary') {
      o[0] = p;
      return 1;
    }
    const first = s * rep.perShard;
    const mine = u * rep.copies.length;
    let m = 0;
    for (let c = first; c < first + rep.perShard; c++)
      if (!rep.markedDown[c] && !this.down[mine + c]) o[m++] = c;
    if (m === 0) {
      o[0] = p;
      return 1;
    }
    const take = Math.min(this.r, m);
    if (this.readFrom === 'any') {
      // The first `take` places of a Fisher–Yates shuffle.
      for (let i = 0; i < take; i++) {
        const j = i + Math.floor(this.rng() * (m - i));
        const x = o[i];
        o[i] = o[j];
        o[j] = x;
      }
    } else this.byDistance(o, m, p, u);
    return take;
  }

  /** Whether gateway `u`'s health checks have copy `c` (a global index) marked down now. */
  markedDown(u: number, c: number): boolean {
    return this.down[u * this.rep.copies.length + c] === 1;
  }

  /** Gateway `u`'s health checks mark copy `node` down (or up again): its reads skip it meanwhile. */
  mark(u: number, node: CacheNode, down: boolean): void {
    this.down[u * this.rep.copies.length + this.rep.copyIndex(node)] = down ? 1 : 0;
  }

  /** Sorts o[0..m) nearest first to gateway `u`: same host, same zone, other zones; the primary first. */
  private byDistance(o: Int32Array, m: number, p: number, u: number): void {
    const g = this.gateways;
    const rank = this.rank;
    for (let i = 0; i < m; i++) {
      const node = this.rep.copies[o[i]];
      const cls = node.host === g.host[u] ? 0 : node.zone === g.zone[u] ? 1 : 2;
      rank[i] = cls * 2 + (o[i] === p ? 0 : 1) + o[i] / (4 * this.rep.copies.length);
    }
    for (let i = 1; i < m; i++) {
      const x = o[i];
      const rx = rank[i];
      let j = i - 1;
      while (j >= 0 && rank[j] > rx) {
        o[j + 1] = o[j];
        rank[j + 1] = rank[j];
        j--;
      }
      o[j + 1] = x;
      rank[j + 1] = rx;
    }
  }
}
