/** `--log-format json`: errors reach stderr as ECS JSON lines that ELK ingests as they are. */
import { describe, expect, it } from 'vitest';
import { logFormatOf } from '../../src/cli/log.ts';
import { cli } from '../helpers/cli.ts';

describe('--log-format', () => {
  it('reads both spellings and refuses unknown formats', () => {
    expect(logFormatOf(['run', 'x'])).toBe('text');
    expect(logFormatOf(['--log-format', 'json', 'run'])).toBe('json');
    expect(logFormatOf(['--log-format=json'])).toBe('json');
    expect(() => logFormatOf(['--log-format', 'xml'])).toThrow(/expected "text" or "json", got "xml"/);
  });

  it('writes an input error as one ECS line, exit code kept', () => {
    const r = cli('--log-format', 'json', 'run', 'no-such-config.json');
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]);
    expect(doc['log.level']).toBe('error');
    expect(doc['error.type']).toBe('InputError');
    expect(doc.message).toMatch(/no-such-config\.json/);
  });

  it('keeps the plain one-line error by default', () => {
    const r = cli('run', 'no-such-config.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^cachetopo: no-such-config\.json: /);
  });
});
