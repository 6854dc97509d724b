/**
 * Robustness of every registered reader: random bytes, random truncations and random byte flips of valid
 * small files must read to the end or fail with an InputError (a one-line message for the user), never
 * with another error. Seeded, so a failure reproduces; the failing input is printed in base64.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { copyTrace } from '../../src/trace/convert.ts';
import { findWriter, openTrace, type ReaderOptions, readers } from '../../src/trace/registry.ts';
import { encodeOracleGeneral, encodeVscsi, loopTrace } from '../helpers/binary-traces.ts';
import { fixture } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'cachetopo-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function tempFile(suffix: string, data: Uint8Array): string {
  const p = join(dir, `f${fileNo++}${suffix}`);
  writeFileSync(p, data);
  return p;
}

/** A valid input for a reader: its bytes, the file-name ending that selects it, and reader options. */
interface Sample {
  suffix: string;
  bytes: Uint8Array;
  opts: ReaderOptions;
}

/** Converts a trace file to another format with our own writers (to get valid native or CSV files). */
function converted(from: string, suffix: string): Uint8Array {
  const out = join(dir, `f${fileNo++}${suffix}`);
  const src = openTrace(from);
  copyTrace(src, findWriter(out).create(out, src.info));
  return readFileSync(out);
}

const oracle = encodeOracleGeneral(loopTrace(40, 7));
const oraclePath = tempFile('.oracleGeneral.bin', oracle);
const twitter =
  '1,kA,5,100,1,get,0\n1,kB,5,20,2,set,3600\n2,kA,5,100,1,gets,0\n3,k"C,6,0,1,delete,0\n4,kB,5,20,3,incr,0\n';
const twitterPath = tempFile('.twitter.csv', Buffer.from(twitter));

const SAMPLES: Record<string, Sample[]> = {
  oracleGeneral: [
    { suffix: '.oracleGeneral.bin', bytes: oracle, opts: {} },
    {
      suffix: '.oracleGeneral.bin.zst',
      bytes: readFileSync(fixture('tiny.oracleGeneral.bin.zst')),
      opts: {},
    },
    { suffix: '.oracleGeneral.zst', bytes: readFileSync(fixture('loop.oracleGeneral.zst')), opts: {} },
  ],
  vscsi: [1, 2].map((v) => ({
    suffix: '.vscsi',
    bytes: encodeVscsi(
      v as 1 | 2,
      [0, 1, 2, 0, 3, 1].map((k, i) => ({
        ts: BigInt(1e6 * i),
        lbn: BigInt(k),
        len: 512,
        cmd: 0x28 + 2 * (i % 2),
      })),
    ),
    opts: {},
  })),
  txt: [
    { suffix: '.txt', bytes: Buffer.from('15943\n42932745\n15943\n18446744073709551615\n7'), opts: {} },
    { suffix: '.txt', bytes: Buffer.from('alpha\r\nbeta\r\nalpha\r\n'), opts: {} },
  ],
  csv: [
    { suffix: '.csv', bytes: converted(oraclePath, '.csv'), opts: { header: true } },
    { suffix: '.csv', bytes: converted(twitterPath, '.csv'), opts: { header: true } },
    {
      suffix: '.csv',
      bytes: Buffer.from('1,28,512,15943\n1,2a,4096,42\n2,28,512,15943\n'),
      opts: { csv: 'time=1,op=2,size=3,key=4', csvOps: '28=get,2a=set' },
    },
  ],
  twitter: [{ suffix: '.twitter.csv', bytes: Buffer.from(twitter), opts: {} }],
  native: [
    { suffix: '.ctt', bytes: converted(oraclePath, '.ctt'), opts: {} },
    { suffix: '.ctt', bytes: converted(twitterPath, '.ctt'), opts: {} },
  ],
};

const RANDOM_FILES = 40;
const TRUNCATIONS = 20;
const FLIPS = 20;
/** Bytes that text formats treat specially, so random text gets past the first field more often. */
const TEXTY = Buffer.from('0123456789,,,\n\n\r".-eEgetsdlkA \t');

type Outcome = 'ok' | 'input-error';

/** Opens and drains one input; any error but an InputError fails the test with a reproducible report. */
function drain(
  reader: string,
  what: string,
  suffix: string,
  bytes: Uint8Array,
  opts: ReaderOptions,
): Outcome {
  const path = tempFile(suffix, bytes);
  const entry = readers.find((r) => r.name === reader)!;
  try {
    const src = entry.open(path, opts);
    try {
      for (let b = src.next(); b !== null; b = src.next()) {
        for (let i = 0; i < b.length; i++) {
          if (b.key[i] >= src.keys.size)
            throw new Error(`request ${i}: key id ${b.key[i]} was never defined`);
        }
      }
    } finally {
      src.close();
    }
    return 'ok';
  } catch (e) {
    if (e instanceof InputError) {
      // One line naming the file, as every user-facing error must.
      expect(e.message).not.toContain('\n');
      return 'input-error';
    }
    const input = Buffer.from(bytes).toString('base64');
    throw new Error(`${reader}, ${what} (${suffix}, base64 ${input}): ${(e as Error).stack ?? String(e)}`);
  }
}

describe('every reader survives malformed input', () => {
  it('has valid samples for every registered reader', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(readers.map((r) => r.name).sort());
  });

  for (const entry of readers) {
    it(`${entry.name}: random bytes, truncations and byte flips give data or an InputError`, () => {
      const rng = seedrandom(`cachetopo-fuzz/${entry.name}`);
      const int = (n: number): number => Math.floor(rng() * n);
      const samples = SAMPLES[entry.name] ?? [];
      const seen = { ok: 0, 'input-error': 0 };
      for (const s of samples)
        expect(drain(entry.name, 'the valid sample', s.suffix, s.bytes, s.opts)).toBe('ok');
      for (const s of samples) {
        for (let k = 0; k < RANDOM_FILES; k++) {
          const bytes = new Uint8Array(int(400));
          for (let i = 0; i < bytes.length; i++) bytes[i] = k % 2 === 0 ? int(256) : TEXTY[int(TEXTY.length)];
          seen[drain(entry.name, `random file ${k}`, s.suffix, bytes, s.opts)]++;
        }
        for (let k = 0; k < TRUNCATIONS; k++) {
          const len = int(s.bytes.length);
          seen[drain(entry.name, `truncated to ${len}`, s.suffix, s.bytes.subarray(0, len), s.opts)]++;
        }
        for (let k = 0; k < FLIPS; k++) {
          const bytes = Uint8Array.from(s.bytes);
          const flips = 1 + int(3);
          for (let f = 0; f < flips; f++) bytes[int(bytes.length)] ^= 1 << int(8);
          seen[drain(entry.name, `flip ${k}`, s.suffix, bytes, s.opts)]++;
        }
      }
      // Malformed input must be caught at least sometimes, or the reader checks nothing.
      expect(seen['input-error']).toBeGreaterThan(0);
    });
  }
});
