/**
 * A progress bar on stderr when stderr is a terminal, and nothing otherwise, so logs and CI stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Reports `done` out of `total` units (bytes or requests). */
  update(done: number, total: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/** `unit` (e.g. "cells") adds a done/total count to the bar, for work counted in whole items. */
export function progressBar(
  label: string,
  enabled: boolean = process.stderr.isTTY === true,
  unit?: string,
): Progress {
  if (!enabled) return silent;
  const count = unit === undefined ? '' : ` {value}/{total} ${unit}`;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}%${count} | ETA {eta_formatted} | {rate}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let running = false;
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (running && now - last < 100 && done < total) return;
      last = now;
      const secs = Math.max((now - started) / 1000, 1e-3);
      const rate = `${formatRate(done / secs)}/s`;
      if (!running) {
        bar.start(Math.max(total, 1), done, { rate });
        running = true;
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { rate });
      }
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function formatRate(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(1)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  // Slow items (sweep cells) would otherwise show 0/s.
  return x < 10 ? x.toFixed(2) : x.toFixed(0);
}
