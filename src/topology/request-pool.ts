/**
 * The state of every request in flight, as parallel typed arrays indexed by an integer slot, with a free
 * list: a request costs no object, and events carry only its slot. Slots are reused as soon as a request
 * ends, so memory follows the number in flight, not the number simulated. The arrays double when full, up
 * to `maxInFlight`; beyond it the run is out of control (arrivals outpace service) and alloc() reports it
 * through `onLimit`, which names the saturated component.
 *
 * When the last request in flight ends, `onIdle` is told: the run stops there once the workload is
 * exhausted, rather than running on to pending timers that no longer matter.
 *
 * `gen` counts the reuses of a slot, so a timer set for one request can tell that its slot now belongs to
 * another (the timer carries the generation it was set for).
 */

/** Flag bits. */
export const F_HIT = 1;
/** The request's origin query has been picked up by a pool connection. */
export const F_STARTED = 2;
/** The client has been answered (a failure) while the origin still holds the slot. */
export const F_ABANDONED = 4;
/** The hit returned a copy older than the origin's version (`age` says by how long). */
export const F_STALE = 8;
/** Not a client's request: a write-behind flush to the origin (write-behind.ts). */
export const F_INTERNAL = 16;
/** The GET missed while another request holds the key's lease: retry it after a pause (cache-node.ts). */
export const F_WAIT = 32;
/** A SET the gateway did not send to some tier, its primary marked down: the request fails (write-policy.ts). */
export const F_REJECTED = 64;

export class RequestPool {
  key = new Uint32Array(0);
  size = new Uint32Array(0);
  op = new Uint8Array(0);
  client = new Uint32Array(0);
  /** Arrival at the load balancer (ns). */
  start = new Float64Array(0);
  /** Load balancer instance, gateway instance. */
  lb = new Uint16Array(0);
  upstream = new Uint16Array(0);
  /** Route (lookup chain) and the position in it of the tier being asked. */
  route = new Uint8Array(0);
  pos = new Uint8Array(0);
  flags = new Uint8Array(0);
  gen = new Uint32Array(0);
  /** Arrival at the origin (ns). */
  mark = new Float64Array(0);
  /** Next follower waiting on this request's origin read, or -1. */
  follower = new Int32Array(0);
  /** Version read (at the origin) or written (versions.ts). */
  version = new Uint32Array(0);
  /** Lease token granted to this request on a miss (0: none). */
  token = new Uint32Array(0);
  /** Staleness age of a stale hit (ns). */
  age = new Float64Array(0);
  /** When the gateway sent the request's last message to a cache node or the origin (ns): its timeout runs from here. */
  sent = new Float64Array(0);
  /** When a SET's acknowledgement may leave its node, once the replicas it waits for have it (ns). */
  ackAt = new Float64Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;
  private capacity = 0;
  inFlight = 0;
  peakInFlight = 0;
  readonly maxInFlight: number;
  private readonly onLimit: (inFlight: number) => Error;
  /** Called whenever the last request in flight ends (the run may be over). */
  onIdle: (() => void) | null = null;

  constructor(maxInFlight: number, onLimit: (inFlight: number) => Error, initial = 1024) {
    this.maxInFlight = maxInFlight;
    this.onLimit = onLimit;
    this.grow(Math.min(initial, maxInFlight));
  }

  /** A free slot, its flags cleared, follower and lease token unset. */
  alloc(): number {
    if (this.freeCount === 0) {
      if (this.capacity >= this.maxInFlight) throw this.onLimit(this.inFlight);
      this.grow(Math.min(this.capacity * 2, this.maxInFlight));
    }
    const slot = this.free[--this.freeCount];
    this.flags[slot] = 0;
    this.pos[slot] = 0;
    this.follower[slot] = -1;
    this.token[slot] = 0;
    this.gen[slot]++;
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    return slot;
  }

  release(slot: number): void {
    this.free[this.freeCount++] = slot;
    if (--this.inFlight === 0) this.onIdle?.();
  }

  private grow(n: number): void {
    const old = this.capacity;
    const copy = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.key = copy(this.key, (k) => new Uint32Array(k));
    this.size = copy(this.size, (k) => new Uint32Array(k));
    this.op = copy(this.op, (k) => new Uint8Array(k));
    this.client = copy(this.client, (k) => new Uint32Array(k));
    this.start = copy(this.start, (k) => new Float64Array(k));
    this.lb = copy(this.lb, (k) => new Uint16Array(k));
    this.upstream = copy(this.upstream, (k) => new Uint16Array(k));
    this.route = copy(this.route, (k) => new Uint8Array(k));
    this.pos = copy(this.pos, (k) => new Uint8Array(k));
    this.flags = copy(this.flags, (k) => new Uint8Array(k));
    this.gen = copy(this.gen, (k) => new Uint32Array(k));
    this.mark = copy(this.mark, (k) => new Float64Array(k));
    this.follower = copy(this.follower, (k) => new Int32Array(k));
    this.version = copy(this.version, (k) => new Uint32Array(k));
    this.token = copy(this.token, (k) => new Uint32Array(k));
    this.age = copy(this.age, (k) => new Float64Array(k));
    this.sent = copy(this.sent, (k) => new Float64Array(k));
    this.ackAt = copy(this.ackAt, (k) => new Float64Array(k));
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.freeCount));
    // Pushed in descending order, so the lowest new slot is handed out first.
    for (let s = n - 1; s >= old; s--) free[this.freeCount++] = s;
    this.free = free;
    this.capacity = n;
  }
}
