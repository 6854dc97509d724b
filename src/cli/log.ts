/**
 * The CLI's one logger: `--log-format text` (the default, for people) or `json` (ECS lines for the
 * design's ELK stack). Chosen once from argv before commander parses, because errors in parsing itself
 * must already come out in the chosen format.
 */
import { InputError } from '../errors.ts';
import { type LogFormat, Logger } from '../observability/ecs-log.ts';

/** The value of `--log-format` in argv (either `--log-format json` or `--log-format=json`). */
export function logFormatOf(argv: readonly string[]): LogFormat {
  let value: string | undefined;
  argv.forEach((a, i) => {
    if (a === '--log-format') value = argv[i + 1];
    else if (a.startsWith('--log-format=')) value = a.slice('--log-format='.length);
  });
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new InputError(`--log-format: expected "text" or "json", got "${value}"`);
}

let current = new Logger('text', (line) => process.stderr.write(line));

export function setLogFormat(format: LogFormat): void {
  current = new Logger(format, (line) => process.stderr.write(line));
}

export function log(): Logger {
  return current;
}
