/**
 * The `cachetopo` command line: commander for parsing and help, one module per command group, and one
 * top-level handler that turns every failure into one line on stderr and an exit code
 * (0 ok, 1 a failed check, 2 bad usage or input, 3 internal error; stack traces only with --debug).
 */
import { Command, CommanderError } from 'commander';
import { EXIT_INPUT, EXIT_INTERNAL, InputError, isTypedError } from '../errors.ts';
import { packageVersion } from '../version.ts';
import { log, logFormatOf, setLogFormat } from './log.ts';

/**
 * Every command, in the order --help lists them, with the module that builds it. A module is loaded only
 * when its command runs (or for the full help): loading all of them (the topology simulator, reports,
 * calibration clients) cost every command ~0.3 s of start-up.
 */
const COMMANDS: readonly { readonly names: readonly string[]; readonly load: () => Promise<Command[]> }[] = [
  { names: ['trace'], load: async () => [(await import('./trace.ts')).traceCommand()] },
  { names: ['replay'], load: async () => [(await import('./replay.ts')).replayCommand()] },
  { names: ['mrc'], load: async () => [(await import('./mrc.ts')).mrcCommand()] },
  { names: ['run'], load: async () => [(await import('./run.ts')).runCommand()] },
  { names: ['calibrate'], load: async () => [(await import('./calibrate.ts')).calibrateCommand()] },
  { names: ['record'], load: async () => [(await import('./record.ts')).recordCommand()] },
  {
    names: ['ls', 'rerun', 'merge'],
    load: async () => {
      const m = await import('./results.ts');
      return [m.lsCommand(), m.rerunCommand(), m.mergeCommand()];
    },
  },
  { names: ['schema'], load: async () => [(await import('../config/schema-cli.ts')).schemaCommand()] },
  { names: ['regress'], load: async () => [(await import('./regress.ts')).regressCommand()] },
  { names: ['report'], load: async () => [(await import('./report.ts')).reportCommand()] },
];

/**
 * The command `argv` names, when it names one before any option other than the global --debug and
 * --log-format; '' (no command) for --version; otherwise (help, a typo) undefined: every command.
 */
function commandNamed(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--debug' || a.startsWith('--log-format=')) continue;
    if (a === '--log-format') {
      i++;
      continue;
    }
    if (a === '--version' || a === '-V') return '';
    if (a.startsWith('-')) return undefined;
    return COMMANDS.some((c) => c.names.includes(a)) ? a : undefined;
  }
  return undefined;
}

/** The program with every command, or only the one `only` names. */
export async function buildProgram(only?: string): Promise<Command> {
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
  for (const c of COMMANDS) {
    if (only !== undefined && !c.names.includes(only)) continue;
    for (const cmd of await c.load()) program.addCommand(cmd);
  }
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
    const program = await buildProgram(commandNamed(argv));
    await program.parseAsync(argv as string[], { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    return reportError(e, debug);
  }
}
