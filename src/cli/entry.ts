/** Process entry point: runs the CLI and sets the exit code (kept apart so main.ts can be imported by tests). */
import { main } from './main.ts';

// A closed pipe (`cachetopo … | head`) ends the output, not the program with a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
