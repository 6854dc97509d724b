/**
 * Spreads replay cells over worker threads, each reading the trace once, and merges the results back into
 * the cells' order. Randomised policies draw from streams named by their cell, not by their position, so
 * the results are the same whatever the number of workers.
 */
import { availableParallelism } from 'node:os';
import { runWorker } from '../workers/spawn.ts';
import { type CellPlan, type ExecuteInput, executeCells } from './execute.ts';
import type { CellResult, ReplayOutput } from './replay.ts';

/** Worker count for `cells` cells when the user asked for `requested` (0 or undefined: all cores). */
export function workerCount(cells: number, requested?: number): number {
  const cores = availableParallelism();
  return Math.max(1, Math.min(cells, requested && requested > 0 ? requested : cores));
}

export async function executeParallel(
  input: ExecuteInput,
  workers: number,
  onProgress?: (done: number, total: number) => void,
): Promise<ReplayOutput> {
  if (workers <= 1 || input.cells.length <= 1) return executeCells(input, onProgress);
  // Round-robin keeps each worker's mix of sizes and policies (and so its running time) alike.
  const groups: { index: number; cell: CellPlan }[][] = Array.from({ length: workers }, () => []);
  input.cells.forEach((cell, index) => {
    groups[index % workers].push({ index, cell });
  });
  const fractions = new Float64Array(workers);
  const outputs = await Promise.all(
    groups.map((g, w) =>
      runWorker<ReplayOutput>(
        new URL('./worker.ts', import.meta.url),
        { ...input, cells: g.map((x) => x.cell) },
        (d, t) => {
          fractions[w] = t > 0 ? d / t : 0;
          if (onProgress) {
            let sum = 0;
            for (const f of fractions) sum += f;
            onProgress(sum / workers, 1);
          }
        },
      ),
    ),
  );
  const results: CellResult[] = new Array(input.cells.length);
  groups.forEach((g, w) => {
    g.forEach((x, j) => {
      results[x.index] = outputs[w].results[j];
    });
  });
  return { ...outputs[0], results };
}
