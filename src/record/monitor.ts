/**
 * Redis MONITOR lines into cache requests. Each line is what replicationFeedMonitors (redis 7.0 replication.c)
 * writes: `+<unix seconds>.<µs> [<db> <client address>] "<arg>" "<arg>" …`, every argument quoted and
 * escaped by sdscatrepr (`\\`, `\"`, `\n`, `\r`, `\t`, `\a`, `\b`, `\xhh` for other unprintable bytes).
 *
 * Commands that read or write a string key become requests: GET, GETEX, GETDEL (a get), MGET (a get per
 * key), SET, SETNX, SETEX, PSETEX, GETSET, MSET, MSETNX (a set per key, its size the value's byte length, its
 * TTL from EX/PX/SETEX/PSETEX in whole seconds, rounded up), DEL and UNLINK (a delete per key). Other
 * commands are counted and skipped. Keys are kept as MONITOR prints them (escaped, without the quotes): a
 * lossless, readable name for any binary key.
 */
import { OP_DELETE, OP_GET, OP_SET, type Op } from '../trace/api.ts';

export interface MonitorRequest {
  /** Unix time, µs. */
  readonly time: number;
  readonly op: Op;
  readonly key: string;
  /** Value bytes for a set; -1 when unknown (reads and deletes). */
  readonly size: number;
  /** Seconds; 0 = none. */
  readonly ttl: number;
}

/** The arguments of a MONITOR line, still escaped, and its time; null for a line that is not one. */
export function splitMonitorLine(line: string): { time: number; args: string[] } | null {
  const text = line.startsWith('+') ? line.slice(1) : line;
  const m = /^(\d+)\.(\d{6}) \[[^\]]*\] /.exec(text);
  if (!m) return null;
  const time = Number(m[1]) * 1e6 + Number(m[2]);
  const args: string[] = [];
  let i = m[0].length;
  while (i < text.length) {
    if (text[i] !== '"') return null;
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length) return null;
    args.push(text.slice(i + 1, j));
    i = j + 1;
    if (text[i] === ' ') i++;
  }
  return { time, args };
}

/** Bytes of an argument after undoing sdscatrepr's escapes. */
export function unescapedLength(arg: string): number {
  let n = 0;
  for (let i = 0; i < arg.length; n++) {
    if (arg[i] !== '\\') {
      // sdscatrepr escapes every byte outside printable ASCII, so each other character is one byte.
      i++;
    } else i += arg[i + 1] === 'x' ? 4 : 2;
  }
  return n;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, a: 7, b: 8 };

/** The bytes of an argument (sdscatrepr undone), e.g. to ask the server about a key. */
export function unescapeArg(arg: string): Buffer {
  const out = Buffer.alloc(unescapedLength(arg));
  let n = 0;
  for (let i = 0; i < arg.length; n++) {
    if (arg[i] !== '\\') {
      out[n] = arg.charCodeAt(i);
      i++;
    } else if (arg[i + 1] === 'x') {
      out[n] = Number.parseInt(arg.slice(i + 2, i + 4), 16);
      i += 4;
    } else {
      out[n] = SIMPLE_ESCAPES[arg[i + 1]] ?? arg.charCodeAt(i + 1);
      i += 2;
    }
  }
  return out;
}

function ttlOf(args: readonly string[], from: number): number {
  for (let i = from; i + 1 < args.length; i++) {
    const opt = args[i].toUpperCase();
    const v = Number(args[i + 1]);
    if (opt === 'EX') return v;
    if (opt === 'PX') return Math.ceil(v / 1000);
  }
  return 0;
}

/** Appends the requests a MONITOR line carries to `out`; returns false when the command is not one we map. */
export function requestsOf(time: number, args: readonly string[], out: MonitorRequest[]): boolean {
  if (args.length < 2) return false;
  const cmd = args[0].toUpperCase();
  const get = (key: string) => out.push({ time, op: OP_GET, key, size: -1, ttl: 0 });
  const set = (key: string, value: string, ttl: number) =>
    out.push({ time, op: OP_SET, key, size: unescapedLength(value), ttl });
  switch (cmd) {
    case 'GET':
    case 'GETEX':
    case 'GETDEL':
      get(args[1]);
      return true;
    case 'MGET':
      for (let i = 1; i < args.length; i++) get(args[i]);
      return true;
    case 'SET':
      if (args.length < 3) return false;
      set(args[1], args[2], ttlOf(args, 3));
      return true;
    case 'SETNX':
    case 'GETSET':
      if (args.length < 3) return false;
      set(args[1], args[2], 0);
      return true;
    case 'SETEX':
    case 'PSETEX': {
      if (args.length < 4) return false;
      const t = Number(args[2]);
      set(args[1], args[3], cmd === 'SETEX' ? t : Math.ceil(t / 1000));
      return true;
    }
    case 'MSET':
    case 'MSETNX':
      for (let i = 1; i + 1 < args.length; i += 2) set(args[i], args[i + 1], 0);
      return true;
    case 'DEL':
    case 'UNLINK':
      for (let i = 1; i < args.length; i++) out.push({ time, op: OP_DELETE, key: args[i], size: -1, ttl: 0 });
      return true;
    default:
      return false;
  }
}
