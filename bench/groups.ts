/**
 * The bench groups, in the order `npm run bench` runs them. Loaded on demand, so a case's child process
 * imports only its own group's modules.
 */
import type { Group } from './group.ts';

export const groupLoaders: Readonly<Record<string, () => Promise<Group>>> = {
  trace: async () => (await import('./cases/trace.ts')).traceGroup,
  replay: async () => (await import('./cases/replay.ts')).replayGroup,
  engine: async () => (await import('./cases/engine.ts')).engineGroup,
  topology: async () => (await import('./cases/topology.ts')).topologyGroup,
  sweep: async () => (await import('./cases/sweep.ts')).sweepGroup,
};
