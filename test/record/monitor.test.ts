/** MONITOR lines into requests: quoting, sdscatrepr escapes, the commands we map and those we skip. */
import { describe, expect, it } from 'vitest';
import {
  type MonitorRequest,
  requestsOf,
  splitMonitorLine,
  unescapeArg,
  unescapedLength,
} from '../../src/record/monitor.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../../src/trace/api.ts';

function parse(line: string): MonitorRequest[] {
  const p = splitMonitorLine(line);
  if (p === null) throw new Error(`not a MONITOR line: ${line}`);
  const out: MonitorRequest[] = [];
  requestsOf(p.time, p.args, out);
  return out;
}

describe('MONITOR parsing', () => {
  it('splits the time, the client and the quoted arguments', () => {
    expect(splitMonitorLine('+1700000000.000042 [0 127.0.0.1:5000] "SET" "a \\" b" "x"')).toEqual({
      time: 1_700_000_000_000_042,
      args: ['SET', 'a \\" b', 'x'],
    });
    expect(splitMonitorLine('+OK')).toBeNull();
    expect(splitMonitorLine('+1.000001 [0 lua] "GET" "unterminated')).toBeNull();
  });

  it('counts and decodes escaped bytes', () => {
    expect(unescapedLength('ab\\x00\\n\\"\\\\')).toBe(6);
    expect([...unescapeArg('a\\x00\\n\\"\\\\')]).toEqual([97, 0, 10, 34, 92]);
  });

  it('maps string reads, writes and deletes, with sizes and TTLs', () => {
    expect(parse('+10.000001 [0 unix:/s] "set" "k" "hello" "PX" "1500"')).toEqual([
      { time: 10_000_001, op: OP_SET, key: 'k', size: 5, ttl: 2 },
    ]);
    expect(parse('+10.000002 [0 1.2.3.4:5] "SETEX" "k" "30" "\\x01\\x02"')).toEqual([
      { time: 10_000_002, op: OP_SET, key: 'k', size: 2, ttl: 30 },
    ]);
    expect(parse('+10.000003 [0 1.2.3.4:5] "MGET" "a" "b"').map((r) => [r.op, r.key, r.size])).toEqual([
      [OP_GET, 'a', -1],
      [OP_GET, 'b', -1],
    ]);
    expect(parse('+10.000004 [0 1.2.3.4:5] "MSET" "a" "1" "b" "22"').map((r) => [r.key, r.size])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(parse('+10.000005 [0 1.2.3.4:5] "UNLINK" "a" "b"').map((r) => r.op)).toEqual([
      OP_DELETE,
      OP_DELETE,
    ]);
    expect(parse('+10.000006 [0 1.2.3.4:5] "HSET" "h" "f" "v"')).toEqual([]);
  });
});
