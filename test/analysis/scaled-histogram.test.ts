import { describe, expect, it } from 'vitest';
import { ScaledHistogram } from '../../src/analysis/scaled-histogram.ts';

describe('ScaledHistogram', () => {
  it('counts weighted hits below each size, exactly at width 1', () => {
    const h = new ScaledHistogram(8);
    h.add(0, 1, 10);
    h.add(2.5, 2, 4);
    h.add(3, 1, 1);
    h.addInfinite(3, 5);
    expect(h.width).toBe(1);
    expect(h.total).toBe(7);
    expect(h.totalBytes).toBe(10 + 8 + 1 + 15);
    expect(h.infinite).toBe(3);
    const { hits, byteHits } = h.hitCurve([0, 1, 2, 3, 4, 100]);
    // 2.5 < 3 hits at 3 (its bucket 2 is counted whole from size 3 on); 3 < 3 does not.
    expect(Array.from(hits)).toEqual([0, 1, 1, 3, 4, 4]);
    expect(Array.from(byteHits)).toEqual([0, 10, 10, 18, 19, 19]);
  });

  it('doubles its width when a distance falls past the last bucket, and interpolates inside a bucket', () => {
    const h = new ScaledHistogram(4);
    h.add(1, 1, 1);
    h.add(3, 1, 1);
    h.add(9, 2, 1);
    // 9 needs width 4 (buckets [0,4) [4,8) [8,12) [12,16)): 1 and 3 merge into bucket 0.
    expect(h.width).toBe(4);
    const { hits } = h.hitCurve([2, 4, 8, 10, 12, 20]);
    expect(Array.from(hits)).toEqual([1, 2, 2, 3, 4, 4]);
  });
});
