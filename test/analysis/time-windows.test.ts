import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { MAX_WINDOWS, TimeWindows } from '../../src/analysis/time-windows.ts';

function windowsOf(times: number[]) {
  const w = new TimeWindows();
  for (const t of times) w.add(t);
  return w.result();
}

/** Brute force over the reported grid: every count must match, and every time must be inside it. */
function checkAgainstBruteForce(times: number[]): void {
  const r = windowsOf(times);
  const want = new Array<number>(r.counts.length).fill(0);
  for (const t of times) {
    const i = Math.floor((t - r.startUs) / r.widthUs);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(r.counts.length);
    want[i]++;
  }
  expect(r.counts).toEqual(want);
  expect(r.counts.length).toBeLessThanOrEqual(MAX_WINDOWS);
  expect(Number.isInteger(r.startUs / r.widthUs)).toBe(true);
  const mantissa = r.widthUs / 10 ** Math.floor(Math.log10(r.widthUs) + 1e-9);
  expect([1, 2, 5]).toContain(Math.round(mantissa));
}

describe('TimeWindows', () => {
  it('counts a hand trace spanning 10 s in 0.5 s windows', () => {
    const r = windowsOf([0, 1e6, 1e6, 3e6, 4e6, 9e6, 10e6]);
    expect(r.widthUs).toBe(500_000);
    expect(r.startUs).toBe(0);
    const want = new Array<number>(21).fill(0);
    want[0] = 1;
    want[2] = 2;
    want[6] = 1;
    want[8] = 1;
    want[18] = 1;
    want[20] = 1;
    expect(r.counts).toEqual(want);
  });

  it('aligns windows to multiples of their width (a 2-hour trace in seconds)', () => {
    const r = windowsOf([5_633_898e6, 5_637_000e6, 5_641_098e6]);
    expect(r.widthUs).toBe(200e6);
    expect(r.startUs).toBe(5_633_800e6);
    expect(r.counts.length).toBe(37);
    expect([r.counts[0], r.counts[16], r.counts[36]]).toEqual([1, 1, 1]);
  });

  it('puts every request of one instant in one window', () => {
    expect(windowsOf([7, 7, 7])).toEqual({ startUs: 7, widthUs: 1, counts: [3] });
    expect(windowsOf([])).toEqual({ startUs: 0, widthUs: 1, counts: [] });
  });

  it('stays exact on random, out-of-order and negative timestamps', () => {
    const rng = seedrandom('windows');
    for (let run = 0; run < 200; run++) {
      const span = 10 ** (1 + Math.floor(rng() * 12));
      const base = Math.floor((rng() - 0.5) * 1e13);
      const times = Array.from(
        { length: 1 + Math.floor(rng() * 300) },
        () => base + Math.floor(rng() * span),
      );
      if (run % 2 === 0) times.sort((a, b) => a - b);
      checkAgainstBruteForce(times);
    }
  });
});
