/**
 * runWorker across a real thread: a worker's result comes back, and its typed errors come back as the
 * same types with the same message (so the CLI's exit code and one-line message survive the boundary).
 */
import { describe, expect, it } from 'vitest';
import { CheckFailedError, InputError, TraceFormatError } from '../../src/errors.ts';
import { runWorker } from '../../src/workers/spawn.ts';

const WORKER = new URL('./failing-worker.ts', import.meta.url);

async function failure(kind: string): Promise<unknown> {
  try {
    await runWorker(WORKER, kind);
  } catch (e) {
    return e;
  }
  throw new Error(`the worker did not fail for ${kind}`);
}

describe('runWorker', () => {
  it('resolves with the result the worker posts', async () => {
    expect(await runWorker<string>(WORKER, 'fine')).toBe('fine');
  });

  it('rebuilds InputError, TraceFormatError and CheckFailedError with their messages', async () => {
    const input = await failure('input');
    expect(input).toBeInstanceOf(InputError);
    expect((input as InputError).message).toBe('cfg.json: /x: expected a number');
    expect((input as InputError).more).toEqual(['cfg.json: /y: expected a string']);
    const trace = await failure('trace');
    expect(trace).toBeInstanceOf(TraceFormatError);
    expect((trace as TraceFormatError).message).toBe('t.csv:3: size: expected an integer');
    expect((trace as TraceFormatError).field).toBe('size');
    const check = await failure('check');
    expect(check).toBeInstanceOf(CheckFailedError);
    expect((check as Error).message).toBe('2 regressions');
  });
});
