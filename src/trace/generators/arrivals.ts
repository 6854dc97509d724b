/**
 * Request arrival times. Three processes, all in requests per second, times written in whole microseconds:
 * - poisson: exponential gaps at `rate`;
 * - diurnal: a non-homogeneous Poisson process of rate(t) = rate·(1 + amplitude·sin(2πt/period)), drawn by
 *   thinning (Lewis & Shedler 1979): candidates at the peak rate, each kept with probability rate(t)/peak;
 * - bursty: an on/off (interrupted) Poisson process: Poisson at `rate` during on periods, nothing during off
 *   periods; on and off durations are exponential with means `on` and `off` seconds; it starts in an on
 *   period. The long-run rate is rate·on/(on + off).
 * Time starts at 0; the first request comes one gap after it. The clock is kept in seconds as a double and
 * rounded per request, so rounding never accumulates.
 */
import { z } from 'zod';
import { openUnit, type Rng } from './rng.ts';

const rate = z.number().gt(0).max(1e9);
const seconds = z.number().gt(0).max(1e9);

export const arrivalsSchema = z.discriminatedUnion('process', [
  z.strictObject({ process: z.literal('poisson'), rate }),
  z.strictObject({
    process: z.literal('diurnal'),
    rate,
    period: seconds.default(86_400),
    amplitude: z.number().min(0).max(1),
  }),
  z.strictObject({ process: z.literal('bursty'), rate, on: seconds, off: seconds }),
]);
export type ArrivalsSpec = z.output<typeof arrivalsSchema>;

/** Writes the next n arrival times (µs) to time[0..n). */
export type ArrivalFill = (time: Float64Array, n: number) => void;

export function arrivalFill(spec: ArrivalsSpec, rng: Rng): ArrivalFill {
  let t = 0;
  switch (spec.process) {
    case 'poisson': {
      const mean = 1 / spec.rate;
      return (time, n) => {
        for (let i = 0; i < n; i++) {
          t -= mean * Math.log(openUnit(rng));
          time[i] = Math.round(t * 1e6);
        }
      };
    }
    case 'diurnal': {
      const { rate, amplitude } = spec;
      const peak = rate * (1 + amplitude);
      const omega = (2 * Math.PI) / spec.period;
      return (time, n) => {
        for (let i = 0; i < n; i++) {
          do t -= Math.log(openUnit(rng)) / peak;
          while (rng() * peak >= rate * (1 + amplitude * Math.sin(omega * t)));
          time[i] = Math.round(t * 1e6);
        }
      };
    }
    case 'bursty': {
      const { rate, on, off } = spec;
      let onEnd = -on * Math.log(openUnit(rng));
      return (time, n) => {
        for (let i = 0; i < n; i++) {
          // Gaps are memoryless, so a gap that overruns the on period is redrawn from the next one.
          for (;;) {
            const gap = -Math.log(openUnit(rng)) / rate;
            if (t + gap <= onEnd) {
              t += gap;
              break;
            }
            t = onEnd - off * Math.log(openUnit(rng));
            onEnd = t - on * Math.log(openUnit(rng));
          }
          time[i] = Math.round(t * 1e6);
        }
      };
    }
  }
}
