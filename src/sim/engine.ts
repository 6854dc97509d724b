/**
 * The discrete-event engine: a clock in integer nanoseconds (see time.ts), a table of components, and a
 * loop that pops the earliest pending event and hands it to its target's `handle(kind, a, b)`. An event
 * is five numbers — due time, target component id, kind, an int `a` (a request id) and a double `b` —
 * so scheduling allocates nothing: no object, Promise or closure per event. Ties pop in scheduling order
 * (heap.ts), so a run is a pure function of its inputs and seeds.
 *
 * A run whose pending events pile up (arrivals faster than service, a component rescheduling itself
 * twice) stops at `maxPending` with a SimulationLimitError naming the component holding the most events,
 * instead of growing until the process runs out of memory. Components that queue work outside the event
 * set (queue-server.ts) apply the same bound to their own queues.
 */
import { InputError } from '../errors.ts';
import { EventQueue } from './heap.ts';
import { formatDuration } from './time.ts';

/** Anything events can be sent to. `kind` is the component's own event code; `a`, `b` its payload. */
export interface Component {
  handle(kind: number, a: number, b: number): void;
}

export interface EngineOptions {
  /** Most events (or queued customers, per queue) allowed to wait at once; default DEFAULT_MAX_PENDING. */
  maxPending?: number;
}

/**
 * Far beyond any sane model's pending events, yet bounded: the event arrays take 44 bytes an event and
 * double when full, so they hold about 3 GB (2^26 events) when the limit is reached, outside the JS heap.
 */
const DEFAULT_MAX_PENDING = 50_000_000;

export interface RunOptions {
  /** Stop before the first event due after this time (ns); the clock then reads `until`. */
  until?: number;
  /** Stop after handling this many events in this call. */
  maxEvents?: number;
  /** Called every `progressEvery` events and once at the end of the run. */
  onProgress?: (now: number, events: number) => void;
  progressEvery?: number;
}

/** Why run() returned. */
export type StopReason = 'empty' | 'until' | 'maxEvents' | 'stopped';

/** A run outgrew a configured bound; `component` is the name of the one responsible, when known. */
export class SimulationLimitError extends InputError {
  readonly component: string | null;
  readonly count: number;
  readonly limit: number;
  constructor(message: string, component: string | null, count: number, limit: number) {
    super(message);
    this.name = 'SimulationLimitError';
    this.component = component;
    this.count = count;
    this.limit = limit;
  }
}

export class Engine {
  /** Simulated time in nanoseconds. */
  now = 0;
  /** Events handled over every run so far. */
  eventsHandled = 0;
  /** The most events ever pending at once. */
  peakPending = 0;
  readonly maxPending: number;
  private readonly queue = new EventQueue();
  private readonly components: Component[] = [];
  private readonly names: string[] = [];
  private stopRequested = false;
  private running = false;

  constructor(opts: EngineOptions = {}) {
    const max = opts.maxPending ?? DEFAULT_MAX_PENDING;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxPending must be a positive integer, got ${max}`);
    this.maxPending = max;
  }

  /** Adds a component; the returned id is what events and other components address it by. */
  register(component: Component, name?: string): number {
    const id = this.components.length;
    this.components.push(component);
    this.names.push(name ?? `component #${id}`);
    return id;
  }

  nameOf(id: number): string {
    return this.names[id] ?? `component #${id}`;
  }

  /** Events waiting. */
  get pending(): number {
    return this.queue.size;
  }

  /** Events ever scheduled. */
  get eventsScheduled(): number {
    return this.queue.pushed;
  }

  /** Sends an event to `target` `delay` ns from now (0: after everything already due now). */
  schedule(delay: number, target: number, kind: number, a = 0, b = 0): void {
    if (!(delay >= 0))
      throw new RangeError(`${this.nameOf(target)}: event delay must be >= 0 ns, got ${delay}`);
    this.push(this.now + delay, target, kind, a, b);
  }

  /** Sends an event to `target` at absolute time `time` (ns, not before now). */
  scheduleAt(time: number, target: number, kind: number, a = 0, b = 0): void {
    if (!(time >= this.now))
      throw new RangeError(`${this.nameOf(target)}: event time ${time} ns is before now (${this.now} ns)`);
    this.push(time, target, kind, a, b);
  }

  /**
   * Hands an event to `target` now, without queueing it: for a reply that takes no simulated time (a
   * completion callback). The receiver runs inside the sender's handler, so the sender must have finished
   * updating its own state first.
   */
  send(target: number, kind: number, a = 0, b = 0): void {
    const c = this.components[target];
    if (c === undefined) throw new RangeError(`event sent to unknown component id ${target}`);
    c.handle(kind, a, b);
  }

  private push(time: number, target: number, kind: number, a: number, b: number): void {
    if (!(target >= 0 && target < this.components.length))
      throw new RangeError(`event sent to unknown component id ${target}`);
    const q = this.queue;
    if (q.size >= this.maxPending) throw this.pendingLimitError();
    q.push(time, target, kind, a, b);
    if (q.size > this.peakPending) this.peakPending = q.size;
  }

  /** Makes the current run() return after the event being handled. */
  stop(): void {
    this.stopRequested = true;
  }

  run(opts: RunOptions = {}): StopReason {
    if (this.running) throw new Error('Engine.run() called from inside a run');
    const until = opts.until ?? Number.POSITIVE_INFINITY;
    const maxEvents = opts.maxEvents ?? Number.POSITIVE_INFINITY;
    const onProgress = opts.onProgress;
    const every = opts.progressEvery ?? 1 << 20;
    if (!(until >= this.now)) throw new RangeError(`run until ${until} ns is before now (${this.now} ns)`);
    if (!(maxEvents >= 0)) throw new RangeError(`maxEvents must be >= 0, got ${maxEvents}`);
    if (!(every >= 1)) throw new RangeError(`progressEvery must be >= 1, got ${every}`);
    const q = this.queue;
    const components = this.components;
    // One counter check per event covers both progress reports and maxEvents.
    let checkpoint = Math.min(maxEvents, onProgress ? every : Number.POSITIVE_INFINITY);
    let done = 0;
    let reason: StopReason;
    this.stopRequested = false;
    this.running = true;
    try {
      for (;;) {
        if (done >= checkpoint) {
          if (done >= maxEvents) {
            reason = 'maxEvents';
            break;
          }
          onProgress?.(this.now, this.eventsHandled + done);
          checkpoint = Math.min(maxEvents, done + every);
        }
        if (q.size === 0) {
          reason = 'empty';
          break;
        }
        if (q.peekTime() > until) {
          reason = 'until';
          break;
        }
        // take/settle: an event the handler schedules replaces this one in the heap (heap.ts).
        q.take();
        this.now = q.poppedTime;
        components[q.poppedTarget].handle(q.poppedKind, q.poppedA, q.poppedB);
        q.settle();
        done++;
        if (this.stopRequested) {
          reason = 'stopped';
          break;
        }
      }
    } finally {
      this.running = false;
      this.eventsHandled += done;
    }
    if ((reason === 'until' || reason === 'empty') && until !== Number.POSITIVE_INFINITY) this.now = until;
    onProgress?.(this.now, this.eventsHandled);
    return reason;
  }

  /** The error for a component whose own queue of `count` items reached the bound. */
  queueLimitError(component: number, what: string, count: number): SimulationLimitError {
    const name = this.nameOf(component);
    return new SimulationLimitError(
      `simulation stopped at t=${formatDuration(this.now)}: ${name}: ${count} ${what} reached the limit ` +
        `of ${this.maxPending} (arrivals outpace service?); lower the load, add capacity or set a queue limit`,
      name,
      count,
      this.maxPending,
    );
  }

  private pendingLimitError(): SimulationLimitError {
    const counts = this.queue.countByTarget(this.components.length);
    let worst = 0;
    for (let i = 1; i < counts.length; i++) if (counts[i] > counts[worst]) worst = i;
    const name = this.nameOf(worst);
    return new SimulationLimitError(
      `simulation stopped at t=${formatDuration(this.now)}: ${this.queue.size} pending events reached the ` +
        `limit of ${this.maxPending}; ${name} holds ${counts[worst]} of them (does it schedule faster than ` +
        'time advances?)',
      name,
      this.queue.size,
      this.maxPending,
    );
  }
}
