/**
 * The CLI's log lines on stderr, as plain text for people or, with `--log-format json`, as ECS JSON lines
 * (Elastic Common Schema: `@timestamp`, `log.level`, `message`, `ecs.version`, `event.*`, `error.*`) that
 * Filebeat or Logstash ship into the design's ELK stack without a parsing pipeline. Field names and the
 * dotted top-level keys follow Elastic's ecs-logging spec (github.com/elastic/ecs-logging, spec.json):
 * `@timestamp`, `log.level` and `message` first, in that order.
 */

export type LogFormat = 'text' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** ECS version the field names follow. */
export const ECS_VERSION = '8.11.0';

export interface LogEvent {
  /** `event.action`, e.g. "run.start". */
  action?: string;
  outcome?: 'success' | 'failure' | 'unknown';
  /** `event.duration` in nanoseconds, as ECS defines it. */
  durationNs?: number;
}

export interface LogError {
  type: string;
  message: string;
  stack?: string;
}

export class Logger {
  constructor(
    readonly format: LogFormat,
    private readonly write: (line: string) => void,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  log(level: LogLevel, message: string, event: LogEvent = {}, error?: LogError): void {
    if (this.format === 'text') {
      this.write(`cachetopo: ${message}\n`);
      return;
    }
    const doc: Record<string, unknown> = {
      '@timestamp': this.clock().toISOString(),
      'log.level': level,
      message,
      'ecs.version': ECS_VERSION,
      'service.name': 'cachetopo',
      'event.dataset': 'cachetopo.cli',
    };
    if (event.action !== undefined) doc['event.action'] = event.action;
    if (event.outcome !== undefined) doc['event.outcome'] = event.outcome;
    if (event.durationNs !== undefined) doc['event.duration'] = Math.round(event.durationNs);
    if (error !== undefined) {
      doc['error.type'] = error.type;
      doc['error.message'] = error.message;
      if (error.stack !== undefined) doc['error.stack_trace'] = error.stack;
    }
    this.write(`${JSON.stringify(doc)}\n`);
  }

  info(message: string, event?: LogEvent): void {
    this.log('info', message, event);
  }

  error(message: string, error: LogError): void {
    this.log('error', message, { outcome: 'failure' }, error);
  }
}
