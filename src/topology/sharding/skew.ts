/**
 * How unevenly a sharder spreads load, and how much of the keyspace a change of nodes moves: pure
 * functions over per-shard counts (of keys, requests or bytes) for the report's per-shard skew.
 *
 * - max/mean: the hottest shard's load relative to a perfect split; what sizes the hottest node.
 * - coefficient of variation: population standard deviation / mean.
 * - Gini coefficient: mean absolute difference between all pairs of shards / (2 · mean); 0 when even,
 *   (n − 1)/n when one shard has everything. Computed from the sorted counts as
 *   Σ (2i − n − 1) · x_(i) / (n · Σ x), i = 1..n ascending.
 * No load at all (or no shards) is reported as no skew: every measure is 0.
 */
import { InputError } from '../../errors.ts';
import type { Sharder } from './api.ts';

export interface Skew {
  maxOverMean: number;
  cv: number;
  gini: number;
}

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i];
  return sum;
}

/** The largest count over the mean count. */
export function maxOverMean(counts: ArrayLike<number>): number {
  const sum = total(counts);
  if (sum === 0) return 0;
  let max = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > max) max = counts[i];
  return (max * counts.length) / sum;
}

/** Population standard deviation of the counts over their mean. */
export function coefficientOfVariation(counts: ArrayLike<number>): number {
  const sum = total(counts);
  if (sum === 0) return 0;
  const mean = sum / counts.length;
  let squares = 0;
  for (let i = 0; i < counts.length; i++) squares += (counts[i] - mean) ** 2;
  return Math.sqrt(squares / counts.length) / mean;
}

/** Gini coefficient of the counts. */
export function gini(counts: ArrayLike<number>): number {
  const sum = total(counts);
  if (sum === 0) return 0;
  const sorted = Float64Array.from(counts).sort();
  const n = sorted.length;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * sorted[i];
  return weighted / (n * sum);
}

export function skew(counts: ArrayLike<number>): Skew {
  return { maxOverMean: maxOverMean(counts), cv: coefficientOfVariation(counts), gini: gini(counts) };
}

function checkKeys(keys: number): void {
  if (!Number.isInteger(keys) || keys < 1)
    throw new InputError(`keys: expected a positive integer, got ${keys}`);
}

/** How many of the key ids 0..keys-1 each shard owns. */
export function shardCounts(sharder: Sharder, keys: number): Float64Array {
  checkKeys(keys);
  const counts = new Float64Array(sharder.nodes.length);
  for (let k = 0; k < keys; k++) counts[sharder.shardOf(k)]++;
  return counts;
}

/**
 * The share of key ids 0..keys-1 whose node changes from `before` to `after`. Nodes are matched by name,
 * not index, so removing a node in the middle of the list is not counted as moving the keys of every node
 * after it unless the scheme really moves them (jump and modulo do; ketama and rendezvous do not).
 */
export function movedFraction(before: Sharder, after: Sharder, keys: number): number {
  checkKeys(keys);
  const afterIndex = new Map(after.nodes.map((name, i) => [name, i]));
  const mapped = Int32Array.from(before.nodes, (name) => afterIndex.get(name) ?? -1);
  let moved = 0;
  for (let k = 0; k < keys; k++) if (mapped[before.shardOf(k)] !== after.shardOf(k)) moved++;
  return moved / keys;
}
