/** A worker for spawn.test.ts: fails with the error its input names, as a cell with bad input would. */
import { CheckFailedError, InputError, TraceFormatError } from '../../src/errors.ts';
import { serveWorker } from '../../src/workers/spawn.ts';

await serveWorker((kind: string) => {
  if (kind === 'input')
    throw new InputError('cfg.json: /x: expected a number', ['cfg.json: /y: expected a string']);
  if (kind === 'trace') throw new TraceFormatError('t.csv', { line: 3 }, 'size', 'expected an integer');
  if (kind === 'check') throw new CheckFailedError('2 regressions');
  return kind;
});
