/** Worker-thread entry of a sweep: runs the cell tasks the pool (workers/pool.ts) hands it. */
import { serveTasks } from '../workers/pool.ts';
import { type CellTask, executeTask } from './execute.ts';

await serveTasks((task: CellTask) => executeTask(task));
