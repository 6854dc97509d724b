/**
 * Starts a worker thread running a TypeScript module (through boot.js) and resolves with the one result it
 * posts. Messages of kind "progress" go to `onProgress`; an error in the worker rejects with the same
 * typed error (error-transport.ts: an InputError stays one, so exit codes survive the thread boundary).
 */
import { Worker } from 'node:worker_threads';
import { describeError, type ErrorReport, rebuildError } from './error-transport.ts';

export type WorkerMessage<R> =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'result'; result: R }
  | ({ kind: 'error' } & ErrorReport);

export function runWorker<R>(
  module: URL,
  input: unknown,
  onProgress?: (done: number, total: number) => void,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const w = new Worker(new URL('./boot.js', import.meta.url), {
      workerData: { module: module.href, input },
    });
    let settled = false;
    w.on('message', (m: WorkerMessage<R>) => {
      if (m.kind === 'progress') onProgress?.(m.done, m.total);
      else if (m.kind === 'result') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(rebuildError(m));
      }
    });
    w.on('error', (e) => {
      settled = true;
      reject(e);
    });
    w.on('exit', (code) => {
      if (!settled) reject(new Error(`worker exited with code ${code} before reporting a result`));
    });
  });
}

/** Worker side: runs `fn` on the input and posts its result or its error. */
export async function serveWorker<I, R>(
  fn: (input: I, progress: (done: number, total: number) => void) => R | Promise<R>,
): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  if (parentPort === null) throw new Error('serveWorker must run in a worker thread');
  const port = parentPort;
  const progress = (done: number, total: number) => port.postMessage({ kind: 'progress', done, total });
  try {
    const result = await fn((workerData as { input: I }).input, progress);
    port.postMessage({ kind: 'result', result });
  } catch (e) {
    port.postMessage({ kind: 'error', ...describeError(e) });
  }
}
