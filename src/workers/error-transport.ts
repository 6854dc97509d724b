/**
 * Typed errors across a thread boundary. A worker describes what it caught as plain data (structured clone
 * drops an Error's class and fields); the other side rebuilds an error of the same kind with the same
 * message, so the one-line message and the exit code (2 for bad input) survive the thread. A
 * TraceFormatError comes back as one, with its file, location and field.
 */
import { CheckFailedError, InputError, type Location, TraceFormatError } from '../errors.ts';

export interface ErrorReport {
  readonly name: string;
  readonly message: string;
  readonly more?: readonly string[];
  readonly stack?: string;
  /** Set for a TraceFormatError. */
  readonly at?: { readonly file: string; readonly location: Location; readonly field: string };
}

export function describeError(e: unknown): ErrorReport {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    name: err.name,
    message: err.message,
    more: e instanceof InputError ? [...e.more] : undefined,
    stack: err.stack,
    at: e instanceof TraceFormatError ? { file: e.file, location: e.location, field: e.field } : undefined,
  };
}

/** The TraceFormatError a report describes, if its message is the one that error would make. */
function traceFormatError(r: ErrorReport): TraceFormatError | null {
  if (r.at === undefined) return null;
  const { file, location, field } = r.at;
  // The message is "<file><where>: <field>: <problem>"; the prefix is what an empty problem leaves.
  const prefix = new TraceFormatError(file, location, field, '').message;
  if (!r.message.startsWith(prefix)) return null;
  return new TraceFormatError(file, location, field, r.message.slice(prefix.length));
}

export function rebuildError(r: ErrorReport): Error {
  let e: Error;
  if (r.name === 'InputError' || r.name === 'TraceFormatError')
    e = traceFormatError(r) ?? new InputError(r.message, r.more ?? []);
  else if (r.name === 'CheckFailedError') e = new CheckFailedError(r.message);
  else e = new Error(r.message);
  if (r.stack) e.stack = r.stack;
  return e;
}
