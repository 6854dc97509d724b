/**
 * Which copy of a replicated shard (replication.ts) serves a GET: `primary` (Redis' default: replicas
 * only stand by), `any` (a copy drawn uniformly, as a client with READONLY spreading reads), or `nearest`
 * (the copy closest to the asking gateway: same host, then same zone, the primary first among equals).
 * Under quorum a read asks R copies — the first R in that order — and takes the answer of the one
 * furthest along the replication stream, which holds every write the others hold. Copies marked down
 * (after the detection delay) are skipped; a shard with every copy marked down is read at its primary.
 *
 * Our simplification: only the answering copy's lookup is simulated, so a quorum read costs the other
 * R − 1 copies no work and waits for none of their answers.
 */
import type { Rng } from '../sim/rng.ts';
import type { CacheNode, GatewayPlaces } from './cache-node.ts';
import type { Replication } from './replication.ts';

export type ReadFrom = 'primary' | 'any' | 'nearest';

export class ReadRouting {
  private readonly order: Int32Array;
  private readonly rank: Float64Array;

  constructor(
    private readonly rep: Replication,
    private readonly readFrom: ReadFrom,
    /** Copies a read asks. */
    private readonly r: number,
    private readonly gateways: GatewayPlaces,
    private readonly rng: Rng,
  ) {
    this.order = new Int32Array(rep.perShard);
    this.rank = new Float64Array(rep.perShard);
  }

  /** The copy of shard `s` that answers a GET from gateway instance `upstream`. */
  reader(s: number, upstream: number): CacheNode {
    const rep = this.rep;
    const p = rep.primary[s];
    if (this.readFrom === 'primary') return rep.copies[p];
    const first = s * rep.perShard;
    const o = this.order;
    let m = 0;
    for (let c = first; c < first + rep.perShard; c++) if (!rep.markedDown[c]) o[m++] = c;
    if (m === 0) return rep.copies[p];
    const take = Math.min(this.r, m);
    if (this.readFrom === 'any') {
      // The first `take` places of a Fisher–Yates shuffle.
      for (let i = 0; i < take; i++) {
        const j = i + Math.floor(this.rng() * (m - i));
        const x = o[i];
        o[i] = o[j];
        o[j] = x;
      }
    } else this.byDistance(o, m, p, upstream);
    let best = o[0];
    for (let i = 1; i < take; i++) if (rep.applied[o[i]] > rep.applied[best]) best = o[i];
    return rep.copies[best];
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
