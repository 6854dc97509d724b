/**
 * A pool of long-lived worker threads, each running a TypeScript module (through boot.js) that serves
 * tasks one at a time: the main thread hands the next task to whichever worker has room, so cells of
 * unequal cost balance themselves, and tsx and the simulator load once per worker, not once per task.
 * `terminate()` stops every worker at once, dropping tasks in flight (their promises reject).
 */
import { Worker } from 'node:worker_threads';
import { describeError, type ErrorReport, rebuildError } from './error-transport.ts';

type Reply<R> = { kind: 'result'; id: number; result: R } | ({ kind: 'error'; id: number } & ErrorReport);

interface Slot {
  worker: Worker;
  /** Tasks posted to it and not answered yet. */
  inFlight: number;
  dead: boolean;
}

interface Pending<T, R> {
  id: number;
  task: T;
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

export class WorkerPool<T, R> {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending<T, R>[] = [];
  private readonly running = new Map<number, { slot: Slot; p: Pending<T, R> }>();
  private nextId = 0;
  private closed = false;

  /** `depth`: tasks a worker may hold at once (it runs them one by one; more hide the hand-off). */
  constructor(
    module: URL,
    size: number,
    private readonly depth = 1,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./boot.js', import.meta.url), {
        workerData: { module: module.href },
      });
      const slot: Slot = { worker, inFlight: 0, dead: false };
      worker.on('message', (m: Reply<R>) => this.settle(slot, m));
      worker.on('error', (e) => this.fail(slot, e));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(slot, new Error(`worker exited with code ${code} while running a task`));
      });
      this.slots.push(slot);
    }
  }

  run(task: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; tasks queued or in flight reject. */
  async terminate(): Promise<void> {
    this.closed = true;
    const dropped = new Error('the worker pool was stopped');
    for (const p of this.queue.splice(0)) p.reject(dropped);
    for (const { p } of this.running.values()) p.reject(dropped);
    this.running.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (!slot.dead && slot.inFlight < this.depth && this.queue.length > 0) {
        const p = this.queue.shift() as Pending<T, R>;
        slot.inFlight++;
        this.running.set(p.id, { slot, p });
        slot.worker.postMessage({ id: p.id, task: p.task });
      }
    }
  }

  private settle(slot: Slot, m: Reply<R>): void {
    const r = this.running.get(m.id);
    if (r === undefined) return;
    this.running.delete(m.id);
    slot.inFlight--;
    if (m.kind === 'result') r.p.resolve(m.result);
    else r.p.reject(rebuildError(m));
    this.dispatch();
  }

  private fail(slot: Slot, e: Error): void {
    for (const [id, r] of this.running) {
      if (r.slot !== slot) continue;
      this.running.delete(id);
      r.p.reject(e);
    }
    slot.dead = true;
    if (this.slots.every((s) => s.dead)) {
      for (const p of this.queue.splice(0)) p.reject(e);
    }
  }
}

/** Worker side: answers each task posted by the pool with `fn`'s result or error. */
export async function serveTasks<T, R>(fn: (task: T) => R | Promise<R>): Promise<void> {
  const { parentPort } = await import('node:worker_threads');
  if (parentPort === null) throw new Error('serveTasks must run in a worker thread');
  const port = parentPort;
  port.on('message', async (m: { id: number; task: T }) => {
    try {
      port.postMessage({ kind: 'result', id: m.id, result: await fn(m.task) });
    } catch (e) {
      port.postMessage({ kind: 'error', id: m.id, ...describeError(e) });
    }
  });
}
