// Worker-thread bootstrap: registers tsx so the worker's TypeScript module loads the same way in every
// context (tsx CLI, the bin shim, vitest). Node 20 cannot start a worker from a .ts entry directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
