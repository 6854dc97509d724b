/** Worker-thread entry for parallel replay: runs its share of the cells on its own read of the trace. */
import { serveWorker } from '../workers/spawn.ts';
import { type ExecuteInput, executeCells } from './execute.ts';

await serveWorker((input: ExecuteInput, progress) => executeCells(input, progress));
