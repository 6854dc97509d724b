import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { resolvePolicy } from '../../src/policies/registry.ts';
import { computeNextAccess, openWithNextAccess, withNextAccess } from '../../src/replay/next-access.ts';
import { replay } from '../../src/replay/replay.ts';
import { OP_GET, type RequestSource } from '../../src/trace/api.ts';
import { openTrace } from '../../src/trace/registry.ts';
import { type Req, readAll, requestSource } from '../helpers/memory-source.ts';
import { sharedFile } from '../helpers/shared.ts';

const NO_NEXT = { hasTime: true, hasSize: true, hasOp: true, hasTtl: false, hasNext: false };

/** A trace of the given keys, no next-access indexes, read in batches of 4. */
function keysSource(keys: string): RequestSource {
  const reqs: Req[] = keys.split(' ').map((k, i) => ({ time: i, key: k, size: 1, op: OP_GET, ttl: 0 }));
  return requestSource(reqs, 'string', 4, NO_NEXT);
}

describe('next-access indexes', () => {
  it('computes each request’s next request to the same key across batches, -1 for never', () => {
    //                                     0 1 2 3 4 5 6 7 8
    expect([...computeNextAccess(keysSource('a b a c b a d c a'))]).toEqual([2, 4, 5, 7, -1, 8, -1, -1, -1]);
    expect([...computeNextAccess(keysSource('x'))]).toEqual([-1]);
  });

  it('feeds them to a second read of the trace', () => {
    const keys = 'a b a c b a d c a';
    const src = openWithNextAccess(() => keysSource(keys));
    expect(src.info.hasNext).toBe(true);
    const all = readAll(src);
    expect(all.next).toEqual([2, 4, 5, 7, -1, 8, -1, -1, -1]);
    expect(all.batchLengths).toEqual([4, 4, 1]);
    expect(all.keys).toEqual(['a', 'b', 'c', 'd']);
  });

  it('passes through a source that already has them', () => {
    const reqs: Req[] = [{ time: 0, key: 'a', size: 1, op: OP_GET, ttl: 0, next: 7 }];
    let opened = 0;
    const src = openWithNextAccess(() => {
      opened++;
      return requestSource(reqs, 'string', 4);
    });
    expect(opened).toBe(1);
    expect(readAll(src).next).toEqual([7]);
  });

  it('fails with an InputError when the second read differs from the first', () => {
    const nextOf = computeNextAccess(keysSource('a b a'));
    expect(() => readAll(withNextAccess(keysSource('a b a c b'), nextOf))).toThrow(InputError);
    expect(() => readAll(withNextAccess(keysSource('a b'), nextOf))).toThrow(/second read ended after 2/);
  });
});

const vscsi = sharedFile('traces/cloudPhysicsIO.vscsi');
const oracle = sharedFile('traces/cloudPhysicsIO.oracleGeneral.bin');

describe.skipIf(vscsi === null || oracle === null)('next-access indexes on the sample trace', () => {
  it('equal the oracleGeneral file’s own indexes', () => {
    const fromFile = readAll(openTrace(oracle as string, { format: 'oracleGeneral' })).next as number[];
    const computed = computeNextAccess(openTrace(vscsi as string, { format: 'vscsi' }));
    expect(computed.length).toBe(113_872);
    let differ = 0;
    for (let i = 0; i < computed.length; i++) if (computed[i] !== fromFile[i]) differ++;
    expect(differ).toBe(0);
  });

  it('give Belady on vscsi the same misses as on oracleGeneral (and libCacheSim’s)', () => {
    const belady = resolvePolicy('belady');
    const sizes = [48, 489, 2448, 4897, 9794];
    const run = (src: RequestSource): number[] => {
      try {
        return replay(
          src,
          sizes.map((capacity) => ({ policy: belady, capacity })),
          { byteMode: false },
        ).results.map((r) => r.misses);
      } finally {
        src.close();
      }
    };
    const fromVscsi = run(openWithNextAccess(() => openTrace(vscsi as string, { format: 'vscsi' })));
    const fromOracle = run(openTrace(oracle as string, { format: 'oracleGeneral' }));
    expect(fromVscsi).toEqual(fromOracle);
    expect(fromOracle).toEqual([96517, 90263, 80078, 71620, 62049]);
  });
});
