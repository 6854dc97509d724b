/**
 * Typed errors and the exit codes they map to. Every failure a user can cause is an InputError (exit 2)
 * whose message is already the one line we print: "<file>:<where>: <field>: <what was expected>".
 */

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_INPUT = 2;
export const EXIT_INTERNAL = 3;

/** Bad usage or bad input: exit code 2, message printed as is. */
export class InputError extends Error {
  readonly exitCode = EXIT_INPUT;
  /** Further one-line problems after the first (e.g. every invalid config field). */
  readonly more: readonly string[];
  constructor(message: string, more: readonly string[] = []) {
    super(message);
    this.name = 'InputError';
    this.more = more;
  }
}

/** A run completed but failed its own check (e.g. a regression): exit code 1. */
export class CheckFailedError extends Error {
  readonly exitCode = EXIT_CHECK_FAILED;
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** Where in a file a problem is: a 1-based line or a 0-based byte offset. */
export type Location = { line: number } | { byte: number } | { record: number; byte: number } | null;

function where(loc: Location): string {
  if (loc === null) return '';
  if ('line' in loc) return `:${loc.line}`;
  if ('record' in loc) return `: record ${loc.record} (byte ${loc.byte})`;
  return `: byte ${loc.byte}`;
}

/** A malformed trace or input file. `field` names the field or column at fault. */
export class TraceFormatError extends InputError {
  readonly file: string;
  readonly location: Location;
  readonly field: string;
  constructor(file: string, location: Location, field: string, problem: string) {
    super(`${file}${where(location)}: ${field}: ${problem}`);
    this.name = 'TraceFormatError';
    this.file = file;
    this.location = location;
    this.field = field;
  }
}

export function isTypedError(e: unknown): e is InputError | CheckFailedError {
  return e instanceof InputError || e instanceof CheckFailedError;
}
