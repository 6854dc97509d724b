/**
 * Measures what reading a trace in a second thread (src/trace/threaded-source.ts) gains on the replay path
 * (executeCells, one cell per run): each policy replays the trace alternately with a plain and a threaded
 * read, in this one process, so both see the same machine load; each side keeps its fastest round. Times
 * run from opening the trace to closing it, so the threaded side pays its worker's start-up. The 1-minute
 * load average is printed beside each row: the pipeline gains only while a second core is free.
 *
 *   npx tsx bench/threaded-read.ts [trace] [--rounds 3] [--policies fifo,lru,sieve,s3fifo,arc] [--bytes]
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type ExecuteInput, executeCells } from '../src/replay/execute.ts';
import { footprint } from '../src/replay/footprint.ts';
import { openTrace } from '../src/trace/registry.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    policies: { type: 'string', default: 'fifo,lru,sieve,s3fifo,arc' },
    bytes: { type: 'boolean', default: false },
  },
});
const trace =
  positionals[0] ?? 'reports/bench/data/zipf-a1-o1000000-n20000000-s42-ln8x1.5-v1.oracleGeneral.bin';
if (!existsSync(trace)) throw new Error(`${trace}: absent (npm run bench writes it)`);
const rounds = Number(values.rounds);
const byteMode = values.bytes;

const src = openTrace(trace);
const fp = footprint(src);
src.close();
const capacity = Math.floor(0.1 * (byteMode ? fp.uniqueBytes : fp.uniqueObjects));

function seconds(input: ExecuteInput): { s: number; misses: number } {
  const t = performance.now();
  const out = executeCells(input);
  return { s: (performance.now() - t) / 1000, misses: out.results[0].misses };
}

const rate = (s: number): string => (fp.requests / s / 1e6).toFixed(2);
console.log(
  `${trace}: ${fp.requests} requests, ${fp.uniqueObjects} objects; 10% = ${capacity}; best of ${rounds}`,
);
console.log('| policy | plain M/s | threaded M/s | speed-up | misses | load |');
console.log('|---|---|---|---|---|---|');
for (const policy of values.policies.split(',')) {
  const input: ExecuteInput = {
    trace,
    reader: {},
    seed: 1,
    byteMode,
    honorOps: false,
    warmupRequests: 0,
    windowRequests: 0,
    keySpace: fp.uniqueObjects,
    withNext: false,
    cells: [{ policy, capacity }],
  };
  let plain = Infinity;
  let threaded = Infinity;
  let misses = -1;
  for (let r = 0; r < rounds; r++) {
    const p = seconds({ ...input, threadedRead: false });
    const t = seconds({ ...input, threadedRead: true });
    if (p.misses !== t.misses) throw new Error(`${policy}: misses differ: ${p.misses} vs ${t.misses}`);
    misses = p.misses;
    plain = Math.min(plain, p.s);
    threaded = Math.min(threaded, t.s);
  }
  console.log(
    `| ${policy} | ${rate(plain)} | ${rate(threaded)} | ${(plain / threaded).toFixed(2)}× | ${misses} | ${loadavg()[0].toFixed(2)} |`,
  );
}
