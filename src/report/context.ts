/**
 * What the parts of the report model share about one results folder: the compared configurations (cells
 * grouped by params, the ideal runs set apart), the axes that vary, and how a configuration is named.
 */
import type { Baseline, CellFile, ExperimentManifest, Summary, SummaryCell } from '../experiment/contract.ts';
import { type MeanInterval, meanInterval } from '../stats/t-tests.ts';
import { type Group, groupCells, paramsLabel, samples } from './groups.ts';

export interface ReportInput {
  manifest: ExperimentManifest;
  summary: Summary;
  /** Cell files by id (the summary's and the ideal runs'). */
  cells: ReadonlyMap<string, CellFile>;
  baseline?: { name: string; data: Baseline };
}

export interface Context {
  input: ReportInput;
  manifest: ExperimentManifest;
  /** Configurations compared (the ideal runs excluded), in summary order. */
  groups: Group[];
  /** Runs of the ideal configuration, every seed. */
  ideal: SummaryCell[];
  /** Axes with more than one value: the ones that name a configuration. */
  varying: string[];
}

export function contextOf(input: ReportInput): Context {
  const idealIds = new Set(input.manifest.idealCellIds ?? []);
  const compared = input.summary.cells.filter((c) => !idealIds.has(c.id));
  const ideal = [...idealIds].flatMap((id) => {
    const c = input.cells.get(id) ?? input.summary.cells.find((s) => s.id === id);
    return c ? [{ id: c.id, params: c.params, seed: c.seed, metrics: c.metrics }] : [];
  });
  const varying = input.manifest.axes.filter((a) => a.values.length > 1).map((a) => a.name);
  return { input, manifest: input.manifest, groups: groupCells(compared), ideal, varying };
}

/** A configuration's name in charts and tables: its values of the varying axes. */
export function configLabel(ctx: Context, g: Group, names: readonly string[] = ctx.varying): string {
  return names.length === 0 ? ctx.manifest.experiment : paramsLabel(g.params, names, ctx.manifest.axes);
}

/** The interval of a metric across a group's seeds, or null when no seed measured it. */
export function intervalOf(cells: readonly SummaryCell[], metric: string): MeanInterval | null {
  const xs = samples(cells, metric);
  return xs.length === 0 ? null : meanInterval(xs);
}

/** The mean of the ideal runs' metric, or null. */
export function idealValue(ctx: Context, metric: string): number | null {
  return intervalOf(ctx.ideal, metric)?.mean ?? null;
}

/** The cell files of a group's seeds. */
export function cellFiles(ctx: Context, cells: readonly SummaryCell[]): CellFile[] {
  return cells.flatMap((c) => {
    const f = ctx.input.cells.get(c.id);
    return f ? [f] : [];
  });
}
