/**
 * The bench's input files, made once with our own generators and writers and reused while present (the
 * directory is under reports/, which git ignores). A file's name spells out everything it was made from, so
 * changing a spec makes a new file instead of reusing a stale one; files appear atomically, so a run cut
 * short leaves nothing half-written to be trusted later.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyTrace } from '../src/trace/convert.ts';
import { findWriter, openTrace } from '../src/trace/registry.ts';
import { type GeneratorSpecFile, openGenerator } from '../src/trace/workload.ts';
import { seconds } from './measure.ts';
import { writeOracleGeneral } from './write-oracle-general.ts';

/** Bumped when the way files are written changes, so old caches are not reused. */
const DATA_VERSION = 1;

/** A Zipf workload: `requests` over `objects` keys with popularity exponent `alpha`. */
export interface ZipfTrace {
  readonly requests: number;
  readonly objects: number;
  readonly alpha: number;
  readonly seed: number;
}

/**
 * Object sizes of every bench trace: lognormal with a median of e^8 ≈ 3 KB and a long tail capped at 1 MiB,
 * so byte mode differs from object mode.
 */
const SIZES = { dist: 'lognormal', mu: 8, sigma: 1.5, max: 1 << 20 } as const;

export function zipfSpec(t: ZipfTrace): GeneratorSpecFile {
  return {
    generator: 'zipf',
    requests: t.requests,
    objects: t.objects,
    alpha: t.alpha,
    seed: t.seed,
    sizes: SIZES,
  };
}

export class DataCache {
  readonly dir: string;
  private readonly log: (line: string) => void;

  constructor(dir: string, log: (line: string) => void) {
    this.dir = dir;
    this.log = log;
  }

  private stem(t: ZipfTrace): string {
    return `zipf-a${t.alpha}-o${t.objects}-n${t.requests}-s${t.seed}-ln8x1.5-v${DATA_VERSION}`;
  }

  private ensure(path: string, make: () => number): string {
    if (existsSync(path)) return path;
    mkdirSync(this.dir, { recursive: true });
    this.log(`preparing ${path}`);
    const { value, seconds: secs } = seconds(make);
    this.log(`wrote ${value} requests to ${path} in ${secs.toFixed(1)} s`);
    return path;
  }

  /** The workload as an oracleGeneral file with real next-access positions. */
  oracleGeneral(t: ZipfTrace): string {
    const path = join(this.dir, `${this.stem(t)}.oracleGeneral.bin`);
    return this.ensure(path, () => writeOracleGeneral(() => openGenerator(zipfSpec(t), 'bench zipf'), path));
  }

  /** The oracleGeneral file converted to the native format, as `cachetopo trace convert` does. */
  native(t: ZipfTrace): string {
    return this.converted(t, '.ctt');
  }

  /** The oracleGeneral file converted to CSV (with a header naming its columns). */
  csv(t: ZipfTrace): string {
    return this.converted(t, '.csv');
  }

  private converted(t: ZipfTrace, suffix: string): string {
    const og = this.oracleGeneral(t);
    const path = join(this.dir, `${this.stem(t)}${suffix}`);
    return this.ensure(path, () => {
      const src = openTrace(og);
      return copyTrace(src, findWriter(path).create(path, src.info));
    });
  }
}
