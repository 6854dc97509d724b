import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { findFilter } from '../../src/policies/admission/filters.ts';
import { findPolicy, policies, resolvePolicy } from '../../src/policies/registry.ts';
import { findReader } from '../../src/trace/registry.ts';

describe('policy registry', () => {
  it("accepts Redis' own policy names for the Redis models", () => {
    expect(findPolicy('allkeys-lru').name).toBe('redis-lru');
    expect(findPolicy('ALLKEYS-LFU').name).toBe('redis-lfu');
    expect(findPolicy('allkeys-random').name).toBe('redis-random');
    expect(findPolicy('volatile-lru').name).toBe('redis-volatile-lru');
    expect(findPolicy('volatile-ttl').name).toBe('redis-volatile-ttl');
    expect(resolvePolicy('allkeys-lru(samples=10)').params.samples).toBe(10);
  });

  it('no alias shadows another name', () => {
    const names = policies.flatMap((p) => [p.name, ...(p.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('suggests the nearest name within two edits, and none beyond', () => {
    expect(() => findPolicy('lruu')).toThrow(/unknown policy "lruu" \(did you mean "lru"\?\)/);
    expect(() => findPolicy('s3-fifo')).toThrow(/did you mean "s3fifo"/);
    expect(() => findPolicy('allkeys-lfuu')).toThrow(/did you mean "allkeys-lfu"/);
    let err: unknown;
    try {
      findPolicy('belady-size-aware');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).not.toMatch(/did you mean/);
  });

  it('readers and admission filters suggest the nearest name the same way', () => {
    expect(() => findReader('t.txt', 'csvv')).toThrow(
      /unknown trace format "csvv" \(did you mean "csv"\?\); expected one of: /,
    );
    expect(() => findFilter('sise')).toThrow(/unknown admission filter "sise" \(did you mean "size"\?\)/);
  });
});
