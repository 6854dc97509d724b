/** The command line as a user meets it: help, exit codes, one-line errors, no stack traces. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';

describe('cachetopo CLI', () => {
  it('explains itself with --help, on every command', () => {
    const top = cli('--help');
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/Usage: cachetopo/);
    for (const cmd of [['trace', 'gen'], ['trace', 'convert'], ['trace', 'inspect'], ['replay']]) {
      const r = cli(...cmd, '--help');
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.out).toMatch(/Usage:/);
    }
  });

  it('exits 2 on bad usage', () => {
    expect(cli('no-such-command').code).toBe(2);
    expect(cli('replay').code).toBe(2);
  });

  it('exits 2 with one line naming the file on bad input, and no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachetopo-cli-'));
    const bad = join(dir, 'bad.oracleGeneral.bin');
    writeFileSync(bad, Buffer.alloc(30)); // not a multiple of 24 bytes
    const r = cli('trace', 'inspect', bad);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(bad);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    expect(cli('trace', 'inspect', join(dir, 'missing.csv')).code).toBe(2);
  });

  it('shows the stack trace only with --debug', () => {
    const r = cli('--debug', 'trace', 'inspect', '/nonexistent/x.oracleGeneral.bin');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/InputError/);
  });

  it('runs the README default job', () => {
    const r = cli('trace', 'inspect', 'zipf-small', '--json');
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.out);
    expect(stats.requests).toBe(100_000);
    expect(Number.isInteger(stats.uniqueObjects)).toBe(true);
    expect(typeof stats.zipfAlpha).toBe('number');
  });
});

describe('reportError', () => {
  it('maps an unexpected error to exit 3 with one line and a hint', async () => {
    const { reportError } = await import('../../src/cli/main.ts');
    const { InputError, CheckFailedError } = await import('../../src/errors.ts');
    const written: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => {
      written.push(s);
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(reportError(new TypeError('boom\nsecond line'), false)).toBe(3);
      expect(reportError(new InputError('x.csv:3: size: expected a number, got "a"'), false)).toBe(2);
      expect(reportError(new CheckFailedError('regression in missRatio'), false)).toBe(1);
    } finally {
      process.stderr.write = orig;
    }
    expect(written[0]).toBe('cachetopo: internal error: boom\n');
    expect(written.join('')).not.toMatch(/second line/);
  });
});
