import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { parseSizeList, resolveSize, splitList } from '../../src/replay/sizes.ts';
import { parseBytes } from '../../src/units.ts';

describe('cache sizes', () => {
  it('rounds fractions down as libCacheSim does', () => {
    const [a, b, c] = parseSizeList('0.1%,1%,0.05', false);
    expect(resolveSize(a, 48_974)).toBe(48);
    expect(resolveSize(b, 48_974)).toBe(489);
    expect(resolveSize(c, 48_974)).toBe(2448);
    expect(resolveSize(parseSizeList('0.1%', true)[0], 2_029_769_728)).toBe(2_029_769);
  });

  it('parses absolute sizes', () => {
    expect(parseSizeList('64MiB,4096,1.5GB', true).map((s) => resolveSize(s, 0))).toEqual([
      67108864, 4096, 1.5e9,
    ]);
    expect(parseBytes('4 gigs')).toBeNull();
  });

  it('refuses byte sizes in object mode and nonsense', () => {
    expect(() => parseSizeList('64MiB', false)).toThrow(InputError);
    expect(() => parseSizeList('lots', true)).toThrow(/expected a percentage/);
    expect(() => resolveSize(parseSizeList('0.0001%', false)[0], 100)).toThrow(/rounds down to 0/);
  });

  it('splits lists keeping parameter commas', () => {
    expect(splitList('lru, s3fifo(small=0.2,threshold=1),sieve')).toEqual([
      'lru',
      's3fifo(small=0.2,threshold=1)',
      'sieve',
    ]);
  });
});
