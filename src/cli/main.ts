/**
 * The `cachetopo` command line: commander for parsing and help, one module per command group, and one
 * top-level handler that turns every failure into one line on stderr and an exit code
 * (0 ok, 1 a failed check, 2 bad usage or input, 3 internal error; stack traces only with --debug).
 */
import { Command, CommanderError } from 'commander';
import { schemaCommand } from '../config/schema-cli.ts';
import { EXIT_INPUT, EXIT_INTERNAL, InputError, isTypedError } from '../errors.ts';
import { packageVersion } from '../version.ts';
import { calibrateCommand } from './calibrate.ts';
import { log, logFormatOf, setLogFormat } from './log.ts';
import { mrcCommand } from './mrc.ts';
import { recordCommand } from './record.ts';
import { regressCommand } from './regress.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { lsCommand, mergeCommand, rerunCommand } from './results.ts';
import { runCommand } from './run.ts';
import { traceCommand } from './trace.ts';

export function buildProgram(): Command {
  const program = new Command('cachetopo')
    .description(
      'Discrete-event simulator and research harness for cache topologies: replay traces through eviction ' +
        'policies, simulate cache tiers end to end, and compare designs with statistics.',
    )
    .version(packageVersion())
    .option('--debug', 'print stack traces on errors')
    .option('--log-format <format>', 'log lines on stderr: "text", or "json" (ECS lines for ELK)', 'text')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(traceCommand());
  program.addCommand(replayCommand());
  program.addCommand(mrcCommand());
  program.addCommand(runCommand());
  program.addCommand(calibrateCommand());
  program.addCommand(recordCommand());
  program.addCommand(lsCommand());
  program.addCommand(rerunCommand());
  program.addCommand(mergeCommand());
  program.addCommand(schemaCommand());
  program.addCommand(regressCommand());
  program.addCommand(reportCommand());
  // Commands added with addCommand do not inherit these settings from their parent.
  const configure = (cmd: Command): void => {
    cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Prints a failure as one line on stderr (an ECS line with --log-format json) and returns its exit code. */
export function reportError(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (help, version, or a usage error).
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    return EXIT_INPUT;
  }
  const logger = log();
  const stack = debug && e instanceof Error ? e.stack : undefined;
  if (isTypedError(e)) {
    const lines = [e.message, ...(e instanceof InputError ? e.more : [])];
    for (const m of lines)
      logger.error(m, { type: e.name, message: m, stack: logger.format === 'json' ? stack : undefined });
    if (logger.format === 'text' && stack) process.stderr.write(`${stack}\n`);
    return e.exitCode;
  }
  const msg = `internal error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
  logger.error(msg, {
    type: e instanceof Error ? e.name : 'Error',
    message: msg,
    stack: logger.format === 'json' ? stack : undefined,
  });
  if (logger.format === 'text') {
    if (stack) process.stderr.write(`${stack}\n`);
    else process.stderr.write('cachetopo: (run again with --debug for a stack trace)\n');
  }
  return EXIT_INTERNAL;
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    setLogFormat(logFormatOf(argv));
    const program = buildProgram();
    await program.parseAsync(argv as string[], { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    return reportError(e, debug);
  }
}
