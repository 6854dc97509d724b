/**
 * The events published to the invalidation topic, as parallel typed arrays indexed by a record id handed
 * out in publish order. A record copies what its consumers need from the write that published it — the
 * request's pool slot is reused as soon as the client is answered — so the topic and every consumer
 * group refer to it by id alone, and an event on the engine carries only that id.
 *
 * Records are never freed: a run publishes one per write that reaches the caches (about 40 bytes each,
 * ~4 MB per 100k writes), and a consumer that restarts or stalls may need any record still retained.
 */
import { resized } from '../../policies/arrays.ts';

export class Records {
  /** Records published so far (the next id). */
  count = 0;
  key = new Uint32Array(0);
  /** Version of the value written (versions.ts). */
  version = new Uint32Array(0);
  /** Bytes of the value written. */
  size = new Uint32Array(0);
  /** Route (routes.ts) and gateway instance of the write: which nodes hold the key. */
  route = new Uint32Array(0);
  upstream = new Uint32Array(0);
  /** What the cache consumers do with it: CMD_DELETE or CMD_UPDATE (commands.ts). */
  cmd = new Uint8Array(0);
  /** When the write path published it (ns): its commit as the gateway learnt of it. */
  publishedAt = new Float64Array(0);

  constructor(initial = 1024) {
    this.grow(initial);
  }

  add(
    key: number,
    version: number,
    size: number,
    route: number,
    upstream: number,
    cmd: number,
    at: number,
  ): number {
    if (this.count === this.key.length) this.grow(this.count * 2);
    const r = this.count++;
    this.key[r] = key;
    this.version[r] = version;
    this.size[r] = size;
    this.route[r] = route;
    this.upstream[r] = upstream;
    this.cmd[r] = cmd;
    this.publishedAt[r] = at;
    return r;
  }

  private grow(n: number): void {
    this.key = resized(this.key, n);
    this.version = resized(this.version, n);
    this.size = resized(this.size, n);
    this.route = resized(this.route, n);
    this.upstream = resized(this.upstream, n);
    this.cmd = resized(this.cmd, n);
    this.publishedAt = resized(this.publishedAt, n);
  }
}
