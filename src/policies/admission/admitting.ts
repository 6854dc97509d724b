/**
 * A cache with admission filters in front of its eviction policy. On a hit the policy serves the request as
 * usual; on a miss every filter is asked (all of them, so each keeps its own memory regardless of the
 * others) and if any refuses, the request is a miss the policy never sees: nothing is admitted, evicted or
 * recorded in its history. Otherwise the policy handles the miss as it would alone (and may still refuse).
 */
import type { EvictionPolicy, Params, PolicyEntry } from '../api.ts';
import type { AdmissionFilter, FilterEntry } from './api.ts';

export class Admitting implements EvictionPolicy {
  setExpiry?: (key: number, at: number) => void;

  constructor(
    readonly inner: EvictionPolicy,
    private readonly filters: readonly AdmissionFilter[],
  ) {
    if (inner.setExpiry !== undefined) this.setExpiry = (key, at) => inner.setExpiry?.(key, at);
  }

  get used(): number {
    return this.inner.used;
  }

  get count(): number {
    return this.inner.count;
  }

  get onEvict(): ((key: number, size: number) => void) | null {
    return this.inner.onEvict;
  }

  set onEvict(f: ((key: number, size: number) => void) | null) {
    this.inner.onEvict = f;
  }

  access(key: number, size: number, now: number, next: number): boolean {
    if (this.inner.contains(key)) return this.inner.access(key, size, now, next);
    let admit = true;
    for (let i = 0; i < this.filters.length; i++) if (!this.filters[i].admit(key, size, now)) admit = false;
    return admit ? this.inner.access(key, size, now, next) : false;
  }

  contains(key: number): boolean {
    return this.inner.contains(key);
  }

  remove(key: number): boolean {
    return this.inner.remove(key);
  }

  reserve(n: number): void {
    this.inner.reserve(n);
    for (const f of this.filters) f.reserve(n);
  }

  verify(): void {
    this.inner.verify();
  }
}

/** A filter with its parameters resolved. */
export interface FilterSpec {
  readonly entry: FilterEntry;
  readonly params: Params;
}

/**
 * The entry of `policy` guarded by `filters`. Its create() receives the policy's own parameters in
 * ctx.params (what PolicySpec.params holds) and gives each filter its own.
 */
export function admittingEntry(
  policy: PolicyEntry,
  filters: readonly FilterSpec[],
  label: string,
): PolicyEntry {
  return {
    name: label,
    description: `${policy.description}, behind admission filters ${filters.map((f) => f.entry.name).join(', ')}`,
    defaults: policy.defaults,
    needsNext: policy.needsNext,
    mayRefuse: true,
    randomized: policy.randomized === true || filters.some((f) => f.entry.randomized === true),
    create: (ctx) =>
      new Admitting(
        policy.create(ctx),
        filters.map((f) => f.entry.create({ ...ctx, params: f.params })),
      ),
  };
}
