/**
 * Records a live Redis' traffic for a while (MONITOR on a connection of its own) and writes it as a native
 * trace (.ctt) with times, ops, sizes and TTLs, so a team can replay and simulate its own workload.
 *
 * MONITOR shows the commands, not the replies, so a read's size is unknown. A read takes the size of the
 * key's latest set seen before it; reads of keys never set during the capture get the value's length asked
 * of the server once the capture ends (STRLEN, pipelined; 0 for a key that is gone or not a string).
 *
 * MONITOR costs the server: every command is formatted and written to each monitoring client, and Redis'
 * documentation warns that one MONITOR client can more than halve throughput
 * (https://redis.io/docs/latest/commands/monitor/, "Cost of running MONITOR"). Record for short windows.
 */
import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { InputError } from '../errors.ts';
import { allocBatch, BATCH_SIZE, OP_DELETE, type TraceInfo } from '../trace/api.ts';
import { KeyMap } from '../trace/keymap.ts';
import { findWriter } from '../trace/registry.ts';
import { type MonitorRequest, requestsOf, splitMonitorLine, unescapeArg } from './monitor.ts';

export interface RecordTarget {
  readonly host: string;
  readonly port: number;
}

export interface RecordSummary {
  readonly requests: number;
  readonly keys: number;
  /** Commands seen that map to no request, by name. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Reads whose size was asked of the server after the capture. */
  readonly sizedAfter: number;
}

/** Collects MONITOR output for `ms` milliseconds. */
export function monitor(
  t: RecordTarget,
  ms: number,
): Promise<{ requests: MonitorRequest[]; skipped: Map<string, number> }> {
  return new Promise((resolve, reject) => {
    const requests: MonitorRequest[] = [];
    const skipped = new Map<string, number>();
    const sock: Socket = connect({ host: t.host, port: t.port });
    let rest = '';
    let started = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      sock.destroy();
      resolve({ requests, skipped });
    };
    sock.setEncoding('latin1');
    sock.once('connect', () => sock.write('MONITOR\r\n'));
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(new InputError(`redis://${t.host}:${t.port}: ${e.message}`));
    });
    sock.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\r\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!started) {
          if (line !== '+OK') {
            sock.destroy();
            reject(new InputError(`redis://${t.host}:${t.port}: MONITOR refused: ${line.slice(1)}`));
            return;
          }
          started = true;
          timer = setTimeout(finish, ms);
          continue;
        }
        const parsed = splitMonitorLine(line);
        if (parsed === null) continue;
        if (!requestsOf(parsed.time, parsed.args, requests)) {
          const cmd = (parsed.args[0] ?? '').toUpperCase();
          skipped.set(cmd, (skipped.get(cmd) ?? 0) + 1);
        }
      }
    });
  });
}

/**
 * Gives every read a size: the latest set before it, else the server's STRLEN now (deletes keep 0).
 * Returns how many reads were sized with STRLEN.
 */
async function fillSizes(t: RecordTarget, requests: MonitorRequest[], sizes: Uint32Array): Promise<number> {
  const latest = new Map<string, number>();
  const unknown = new Map<string, number[]>();
  requests.forEach((r, i) => {
    if (r.size >= 0) {
      latest.set(r.key, r.size);
      sizes[i] = r.size;
      return;
    }
    if (r.op === OP_DELETE) return;
    const s = latest.get(r.key);
    if (s !== undefined) sizes[i] = s;
    else {
      const at = unknown.get(r.key);
      if (at === undefined) unknown.set(r.key, [i]);
      else at.push(i);
    }
  });
  if (unknown.size === 0) return 0;
  const r = new Redis({ host: t.host, port: t.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on('error', () => {});
  let filled = 0;
  try {
    await r.connect();
    const keys = [...unknown.keys()];
    for (let from = 0; from < keys.length; from += 1000) {
      const p = r.pipeline();
      const part = keys.slice(from, from + 1000);
      for (const k of part) p.strlen(unescapeArg(k));
      const res = (await p.exec()) ?? [];
      part.forEach((k, j) => {
        const [err, len] = res[j] ?? [null, 0];
        for (const i of unknown.get(k) ?? []) sizes[i] = err ? 0 : Number(len);
        filled += unknown.get(k)?.length ?? 0;
      });
    }
  } finally {
    r.disconnect();
  }
  return filled;
}

/** Records `ms` milliseconds of traffic into the trace file `out` (native format). */
export async function record(t: RecordTarget, ms: number, out: string): Promise<RecordSummary> {
  const writer = findWriter(out);
  const { requests, skipped } = await monitor(t, ms);
  const sizes = new Uint32Array(requests.length);
  const sizedAfter = await fillSizes(t, requests, sizes);
  const info: TraceInfo = {
    format: 'native',
    name: out,
    hasTime: true,
    hasSize: true,
    hasOp: true,
    hasTtl: true,
    hasNext: false,
    keyKind: 'string',
    provenance: { kind: 'file', path: `redis://${t.host}:${t.port}`, format: 'redis-monitor' },
  };
  const w = writer.create(out, info);
  const keys = new KeyMap('string');
  const batch = allocBatch();
  try {
    for (let from = 0; from < requests.length; from += BATCH_SIZE) {
      const n = Math.min(BATCH_SIZE, requests.length - from);
      for (let j = 0; j < n; j++) {
        const r = requests[from + j];
        batch.time[j] = r.time;
        batch.key[j] = keys.idOfString(r.key);
        batch.size[j] = sizes[from + j];
        batch.op[j] = r.op;
        batch.ttl[j] = r.ttl;
      }
      batch.length = n;
      w.write(batch, keys);
    }
    w.finish();
  } catch (e) {
    w.abort();
    throw e;
  }
  return { requests: requests.length, keys: keys.size, skipped: Object.fromEntries(skipped), sizedAfter };
}
