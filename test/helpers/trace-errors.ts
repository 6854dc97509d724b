/** The TraceFormatError a reader throws, for tests that check its message; any other outcome fails. */
import { TraceFormatError } from '../../src/errors.ts';

export function formatError(f: () => unknown): TraceFormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof TraceFormatError) return e;
    throw e;
  }
  throw new Error('expected a TraceFormatError');
}
