/**
 * The 32-bit hashes the sharding schemes share. Keys are dense ids given in order of first appearance, so
 * neighbouring ids are not independent and must be mixed before any scheme takes a modulus or a range of
 * them. The key hash is murmur3's 64-bit-key hash from keymap.ts (the fmix32 finaliser, a bijection with
 * full avalanche) over the id, salted with a constant of its own so that a key's shard is independent of
 * the other users of hash64 (the key table, SHARDS sampling), which use other salts: with a shared salt, a
 * SHARDS sample (low hash bits below a threshold) would land unevenly on a power-of-two number of shards.
 *
 * Node names are hashed with MD5 (node:crypto), as ketama does, only while a sharder is built.
 */
import { createHash } from 'node:crypto';
import { hash64 } from '../../trace/keymap.ts';

/** The salt of the key hash: 2^32 / φ, an arbitrary odd constant distinct from hash64's other salts. */
const KEY_SALT = 0x9e3779b9;

/** The unsigned 32-bit hash of a dense key id that every scheme starts from. */
export function keyHash(id: number): number {
  return hash64(id, KEY_SALT) >>> 0;
}

/** The 16-byte MD5 digest of a string's UTF-8 bytes. */
export function md5(text: string): Buffer {
  return createHash('md5').update(text, 'utf8').digest();
}

/** An unsigned 32-bit seed for a node name: the first four MD5 bytes read little-endian, as ketama reads them. */
export function nameSeed(name: string): number {
  return md5(name).readUInt32LE(0);
}
