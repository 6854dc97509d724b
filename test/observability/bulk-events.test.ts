import { describe, expect, it } from 'vitest';
import { BulkEvents } from '../../src/observability/bulk-events.ts';
import { OUT_HIT, OUT_MISS } from '../../src/topology/api.ts';

function collect(rate: number): { lines: string[]; events: BulkEvents } {
  const chunks: string[] = [];
  const events = new BulkEvents((c) => chunks.push(c), {
    index: 'cachetopo-events',
    sampleRate: rate,
    epochMs: 0,
  });
  for (let i = 0; i < 1000; i++)
    events.request(
      i * 1e6,
      2e5,
      i % 7,
      i % 10 === 0,
      i % 3 === 0 ? OUT_HIT : OUT_MISS,
      i % 3 === 0 ? 'redis' : null,
      false,
    );
  events.fault(5e9, 'node-crash', 'redis-1', 'start');
  return { lines: chunks.join('').split('\n').slice(0, -1), events };
}

describe('BulkEvents', () => {
  it('writes action and document lines in pairs, valid JSON each', () => {
    const { lines } = collect(1);
    expect(lines.length).toBe(2 * 1001);
    for (let i = 0; i < lines.length; i += 2) {
      expect(JSON.parse(lines[i])).toEqual({ index: { _index: 'cachetopo-events' } });
      expect(JSON.parse(lines[i + 1])['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    const first = JSON.parse(lines[1]);
    expect(first).toMatchObject({
      'event.action': 'cache.write',
      'cache.result': 'hit',
      'cache.tier': 'redis',
      'event.duration': 200000,
    });
    const fault = JSON.parse(lines[lines.length - 1]);
    expect(fault).toMatchObject({
      '@timestamp': '1970-01-01T00:00:05.000Z',
      'event.action': 'fault.node-crash',
      'event.kind': 'alert',
    });
  });

  it('samples near the rate, deterministically, and always keeps faults', () => {
    const a = collect(0.1);
    const b = collect(0.1);
    expect(a.lines).toEqual(b.lines);
    const kept = a.events.written - 1;
    expect(kept).toBeGreaterThan(60);
    expect(kept).toBeLessThan(140);
    expect(collect(0).events.written).toBe(1);
  });
});
