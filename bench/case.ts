/**
 * Entry point of a case's child process: `node --import tsx bench/case.ts <group> <case> <args-json>`.
 * Runs the case and prints one result line (its measurement, or its error) for the harness to parse;
 * progress and diagnostics go to stderr.
 */
import { type CaseMessage, RESULT_MARK } from './child.ts';
import { oneLine } from './group.ts';
import { groupLoaders } from './groups.ts';

async function main(): Promise<CaseMessage> {
  const [groupName, id, argsJson] = process.argv.slice(2);
  const load = groupLoaders[groupName];
  if (load === undefined) return { error: `unknown bench group "${groupName}"` };
  const group = await load();
  const runner = group.runners[id];
  if (runner === undefined) return { error: `unknown case "${id}" in group ${groupName}` };
  try {
    return { measurement: await runner(JSON.parse(argsJson ?? 'null')) };
  } catch (e) {
    return { error: oneLine(e) };
  }
}

const msg = await main();
process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(msg)}\n`);
