/** Process entry point: runs the CLI and sets the exit code (kept apart so main.ts can be imported by tests). */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
