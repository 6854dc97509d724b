/**
 * The results folder of an experiment run: the contract between `cachetopo run` (which writes it),
 * `cachetopo report` (which reads it) and `cachetopo regress` (which compares it with a baseline). Plain
 * JSON files, so scripts and notebooks can read them without this code.
 *
 *   <out>/manifest.json      ExperimentManifest: what was asked (axes, seeds, metrics, questions, cost)
 *   <out>/cells/<id>.json    CellFile: one cell's provenance, resolved config and full result document
 *   <out>/summary.json       Summary: every cell's scalar metrics, in a deterministic order
 *
 * Metric names are dotted paths into a cell's result metrics (`hitRatio`, `latencyMs.p99`,
 * `origin.peakQps`, `staleReadRatio` for a topology; `missRatio`, `byteMissRatio`, `beladyMissRatio`,
 * `compulsoryMissRatio` for a replay cell), so a config names metrics the way the result document spells
 * them.
 */

/** Plain JSON data. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Which simulator a cell runs: the full discrete-event topology, or trace replay through one policy. */
export type ModelKind = 'topology' | 'replay';

export type Direction = 'lower' | 'higher';

/** How far a metric may move before the regression gate calls it worse; either bound may be absent. */
export interface Tolerance {
  /** Absolute change allowed in the worse direction. */
  abs?: number;
  /** Relative change allowed in the worse direction (0.02 = 2%). */
  rel?: number;
}

export interface MetricSpec {
  /** Dotted path into the cell's result metrics. */
  name: string;
  /** Human label for charts and tables; defaults to the name. */
  label?: string;
  /** Which way is better. */
  direction: Direction;
  /** Unit for axis titles: "ratio", "ms", "qps", "$", … */
  unit?: string;
  tolerance?: Tolerance;
}

/** One comparison the report answers: how `metrics` change along the sweep axis `axis`. */
export interface Question {
  title: string;
  metrics: string[];
  /** A sweep axis name (a key of CellParams). */
  axis: string;
  /** Another axis drawn as separate series (colour), when the chart has one. */
  series?: string;
}

/** One sweep axis: a config path (dotted, e.g. "tiers.redis.capacity") and the values it takes. */
export interface SweepAxis {
  name: string;
  values: JsonValue[];
}

/** Prices for weighing designs by cost; every field optional. */
export interface CostModel {
  cacheGbHour?: number;
  nodeHour?: number;
  originPerMillionQueries?: number;
  /** Dollars per GB (10^9 value bytes) sent from one zone to another, each direction counted (report/cost.ts). */
  crossZonePerGb?: number;
}

/** A fault from the failure schedule, for vertical rules on time-series charts. */
export interface FaultMarker {
  /** Seconds of simulated time. */
  t: number;
  /** End of the fault, when it has one. */
  until?: number;
  kind: string;
  label: string;
}

export interface Provenance {
  /** `git describe --always --dirty` of the code, or `package@version` outside a git checkout. */
  codeVersion: string;
  /** process.version of the run. */
  node: string;
  /** configHash (config/canonical.ts) of the cell's resolved config. */
  configHash: string;
  /** SHA-256 of the trace file's bytes, or of the canonical generator spec for a synthetic workload. */
  traceHash: string;
  seed: number;
}

export interface ExperimentManifest {
  /** The experiment's name (its config's `name`). */
  experiment: string;
  model: ModelKind;
  /** configHash of the whole experiment config (sweep and seeds included). */
  configHash: string;
  codeVersion: string;
  traceHash: string;
  axes: SweepAxis[];
  /** Seeds of the replications, in order. */
  seeds: number[];
  metrics: MetricSpec[];
  questions: Question[];
  cost?: CostModel;
  /** Faults of the failure schedule, when the model has one. */
  faults?: FaultMarker[];
  /** Runs of the ideal configuration (zero lag, infinite capacity) kept for reference lines. */
  idealCellIds?: string[];
  /** Every cell of the experiment in order, whether or not this folder holds it (a shard holds some). */
  cellIds?: string[];
  /** The experiment file as given to `cachetopo run` (relative trace paths are read from its directory). */
  configFile?: string;
}

/** A cell's values of the sweep axes, by axis name. */
export type CellParams = Record<string, JsonValue>;

/** Scalar metrics of a cell, by metric name; null where the run had nothing to measure. */
export type CellMetrics = Record<string, number | null>;

export interface CellFile {
  id: string;
  params: CellParams;
  seed: number;
  provenance: Provenance;
  model: ModelKind;
  /** The cell's own config, sweep values applied: what `cachetopo rerun <cell-file>` runs again. */
  config: JsonValue;
  /** The full result document: topology/result.ts ResultDocument or replay/run.ts ReplayReport. */
  result: JsonValue;
  metrics: CellMetrics;
}

export interface SummaryCell {
  id: string;
  params: CellParams;
  seed: number;
  metrics: CellMetrics;
}

export interface Summary {
  experiment: string;
  cells: SummaryCell[];
}

/**
 * A committed regression baseline (`cachetopo regress --update` writes it, `cachetopo report --baseline`
 * reads it too): per metric and per group of cells that differ only by seed, the value of every seed, so
 * significance tests have the samples.
 */
export interface Baseline {
  format: 'cachetopo-baseline/1';
  experiment: string;
  codeVersion: string;
  configHash: string;
  traceHash: string;
  entries: BaselineEntry[];
}

export interface BaselineEntry {
  metric: string;
  direction: Direction;
  tolerance: Tolerance;
  /** The cells' sweep values (seed excluded). */
  params: CellParams;
  seeds: number[];
  /** One value per seed, in the order of `seeds`; null where the cell measured nothing. */
  values: (number | null)[];
}
