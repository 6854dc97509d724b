/**
 * `cachetopo record` against a real Redis: MONITOR runs while a client issues known commands, and the trace
 * read back holds them in order with their sizes, TTLs and ops. Starts its own redis-server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/calibrate/servers.ts';
import { record } from '../../src/record/capture.ts';
import { OP_DELETE, OP_GET, OP_SET } from '../../src/trace/api.ts';
import { openTrace } from '../../src/trace/registry.ts';
import { serversAvailable } from '../helpers/binaries.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!serversAvailable('redis'))('record', () => {
  it('captures the commands a client issues into a native trace', { timeout: 20_000 }, async () => {
    const server = await startServer('redis');
    const c = new Redis({ host: server.host, port: server.port });
    try {
      await c.set('pre', 'x'.repeat(300)); // set before the capture: its read is sized by STRLEN
      const out = join(dir, 'prod.ctt');
      const done = record(server, 1500, out);
      await new Promise((r) => setTimeout(r, 300));
      await c.set('a', 'hello', 'EX', 60);
      await c.get('a');
      await c.get('pre');
      await c.mget('a', 'missing');
      await c.hset('h', 'f', 'v'); // not a string command: skipped
      await c.del('a');
      const s = await done;
      expect(s).toMatchObject({ requests: 6, keys: 3, skipped: { HSET: 1 }, sizedAfter: 2 });
      const src = openTrace(out);
      const b = src.next();
      if (b === null) throw new Error('empty trace');
      const rows = Array.from({ length: b.length }, (_, i) => [
        src.keys.keyOf(b.key[i]),
        b.op[i],
        b.size[i],
        b.ttl[i],
      ]);
      expect(rows).toEqual([
        ['a', OP_SET, 5, 60],
        ['a', OP_GET, 5, 0],
        ['pre', OP_GET, 300, 0],
        ['a', OP_GET, 5, 0],
        ['missing', OP_GET, 0, 0],
        ['a', OP_DELETE, 0, 0],
      ]);
      for (let i = 1; i < b.length; i++) expect(b.time[i]).toBeGreaterThanOrEqual(b.time[i - 1]);
      expect(src.next()).toBeNull();
      src.close();
    } finally {
      c.disconnect();
      await server.stop();
    }
  });
});
