/**
 * The `cachetopo` command line: commander for parsing and help, one module per command group, and one
 * top-level handler that turns every failure into one line on stderr and an exit code
 * (0 ok, 1 a failed check, 2 bad usage or input, 3 internal error; stack traces only with --debug).
 */
import { Command, CommanderError } from 'commander';
import { schemaCommand } from '../config/schema-cli.ts';
import { EXIT_INPUT, EXIT_INTERNAL, InputError, isTypedError } from '../errors.ts';
import { mrcCommand } from './mrc.ts';
import { replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { traceCommand } from './trace.ts';

export function buildProgram(): Command {
  const program = new Command('cachetopo')
    .description(
      'Discrete-event simulator and research harness for cache topologies: replay traces through eviction\n' +
        'policies, simulate cache tiers end to end, and compare designs with statistics.',
    )
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(traceCommand());
  program.addCommand(replayCommand());
  program.addCommand(mrcCommand());
  program.addCommand(runCommand());
  program.addCommand(schemaCommand());
  // Commands added with addCommand do not inherit these settings from their parent.
  const configure = (cmd: Command): void => {
    cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Prints a failure as one line on stderr and returns its exit code. */
export function reportError(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (help, version, or a usage error).
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    return EXIT_INPUT;
  }
  if (isTypedError(e)) {
    process.stderr.write(`cachetopo: ${e.message}\n`);
    if (e instanceof InputError) for (const m of e.more) process.stderr.write(`cachetopo: ${m}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`cachetopo: internal error: ${msg.split('\n')[0]}\n`);
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('cachetopo: (run again with --debug for a stack trace)\n');
  return EXIT_INTERNAL;
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const program = buildProgram();
    await program.parseAsync(argv as string[], { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    return reportError(e, debug);
  }
}
