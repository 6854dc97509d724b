import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/observability/ecs-log.ts';

const at = new Date('2026-01-02T03:04:05.678Z');

describe('Logger', () => {
  it('writes ECS JSON lines with @timestamp, log.level and message first', () => {
    const out: string[] = [];
    const log = new Logger(
      'json',
      (l) => out.push(l),
      () => at,
    );
    log.info('run finished', { action: 'run.end', outcome: 'success', durationNs: 1.5e9 });
    log.error('bad input', { type: 'InputError', message: 'x.json: /seed: expected an integer' });
    const [a, b] = out.map((l) => JSON.parse(l));
    expect(Object.keys(a).slice(0, 3)).toEqual(['@timestamp', 'log.level', 'message']);
    expect(a).toMatchObject({
      '@timestamp': '2026-01-02T03:04:05.678Z',
      'log.level': 'info',
      'event.action': 'run.end',
      'event.duration': 1500000000,
    });
    expect(b).toMatchObject({ 'log.level': 'error', 'error.type': 'InputError', 'event.outcome': 'failure' });
    expect(out.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('writes one plain line in text format', () => {
    const out: string[] = [];
    new Logger('text', (l) => out.push(l)).info('hello');
    expect(out).toEqual(['cachetopo: hello\n']);
  });
});
