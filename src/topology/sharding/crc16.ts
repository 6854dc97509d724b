/**
 * CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection, no final xor): the checksum Redis
 * Cluster hashes keys with (Redis' src/crc16.c, "CRC16 implementation according to CCITT standards").
 * Table-driven, one byte a step, as crc16.c; the table is computed here rather than copied.
 * Check value: crc16("123456789") = 0x31C3.
 */

const TABLE = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  let crc = b << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
  TABLE[b] = crc & 0xffff;
}

/** The CRC after feeding one more byte to a running CRC. */
export function crc16Byte(crc: number, byte: number): number {
  return ((crc << 8) ^ TABLE[((crc >>> 8) ^ byte) & 0xff]) & 0xffff;
}

/** CRC-16/XMODEM of bytes[start, end). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = crc16Byte(crc, bytes[i]);
  return crc;
}
