/**
 * Checks of decoded native-trace frames (layout in ../native-format.ts): msgpack hands back untyped maps,
 * and every complaint about one must name the file, the frame's byte offset and the field at fault.
 */
import { TraceFormatError } from '../../errors.ts';
import type { KeyKind, Provenance } from '../api.ts';
import { FORMAT_NAME, FORMAT_VERSION, type HeaderFrame, type TrailerFrame } from '../native-format.ts';

export type Fields = Record<string, unknown>;

export function isMap(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Checks decoded frames field by field; every complaint names the file, the frame's offset and the field. */
export class FrameChecker {
  constructor(
    private readonly path: string,
    private readonly at: number,
    private readonly f: Fields,
  ) {}

  fail(field: string, problem: string): never {
    throw new TraceFormatError(this.path, { byte: this.at }, field, problem);
  }

  int(field: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    const v = this.f[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(field, `expected an integer in ${min}…${max}, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  bool(field: string): boolean {
    const v = this.f[field];
    if (typeof v !== 'boolean') this.fail(field, `expected true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  bin(field: string, bytes: number): Uint8Array {
    const v = this.f[field];
    if (!(v instanceof Uint8Array)) this.fail(field, 'expected binary data (msgpack bin)');
    if (v.byteLength !== bytes) this.fail(field, `expected ${bytes} bytes, got ${v.byteLength}`);
    return v;
  }
}

function parseProvenance(c: FrameChecker, v: unknown): Provenance {
  const str = (x: unknown): x is string => typeof x === 'string';
  if (
    isMap(v) &&
    v.kind === 'file' &&
    str(v.path) &&
    str(v.format) &&
    (v.sha256 === undefined || str(v.sha256))
  ) {
    return v.sha256 === undefined
      ? { kind: 'file', path: v.path, format: v.format }
      : { kind: 'file', path: v.path, format: v.format, sha256: v.sha256 };
  }
  if (isMap(v) && v.kind === 'generator' && typeof v.seed === 'number') {
    return { kind: 'generator', spec: v.spec, seed: v.seed };
  }
  return c.fail('provenance', 'expected {kind: "file", path, format} or {kind: "generator", spec, seed}');
}

export function parseHeader(path: string, at: number, v: unknown): HeaderFrame {
  if (!isMap(v) || v.kind !== 'header' || v.format !== FORMAT_NAME) {
    throw new TraceFormatError(
      path,
      { byte: at },
      'header',
      `not a cachetopo native trace (no "${FORMAT_NAME}" header)`,
    );
  }
  const c = new FrameChecker(path, at, v);
  if (v.version !== FORMAT_VERSION) {
    c.fail(
      'version',
      `unknown version ${JSON.stringify(v.version)}; this reader knows version ${FORMAT_VERSION}`,
    );
  }
  const keyKind = v.keyKind;
  if (keyKind !== 'u64' && keyKind !== 'string')
    c.fail('keyKind', `expected "u64" or "string", got ${JSON.stringify(keyKind)}`);
  return {
    kind: 'header',
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    keyKind: keyKind as KeyKind,
    hasTime: c.bool('hasTime'),
    hasSize: c.bool('hasSize'),
    hasOp: c.bool('hasOp'),
    hasTtl: c.bool('hasTtl'),
    hasNext: c.bool('hasNext'),
    provenance: parseProvenance(c, v.provenance),
  };
}

export function parseTrailer(c: FrameChecker): TrailerFrame {
  return {
    kind: 'end',
    requests: c.int('requests', 0),
    uniqueKeys: c.int('uniqueKeys', 0),
    batches: c.int('batches', 0),
  };
}
