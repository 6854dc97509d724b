/**
 * A window of contiguous bytes over a stream, as binary record parsers consume it. ByteReader (a plain
 * file) satisfies it as is and ZstdSource (a zstd-compressed file) implements it, so one parser reads
 * both and the plain path keeps calling ByteReader directly, with no wrapper in between.
 */
export interface ByteSource {
  /** Current window; valid bytes are buf[start, end). Parsers advance `start` past what they consume. */
  readonly buf: Uint8Array;
  start: number;
  readonly end: number;
  /** Stream offset of buf[start] (in the decompressed stream for a compressed file). */
  readonly offset: number;
  /** Makes at least `min` unconsumed bytes available if the stream has them; returns how many there are. */
  fill(min: number): number;
  close(): void;
}
