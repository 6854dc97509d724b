/**
 * Redis Cluster sharding (Redis Cluster specification, "Key distribution model"): a key's hash slot is
 * CRC16(key) mod 16384 (crc16.ts), and every slot belongs to one master.
 *
 * Hash tags: if the key has a '{' and, after it, a '}' with at least one byte between them, only the bytes
 * between the first '{' and the first '}' after it are hashed, so "{user1000}.following" and
 * "{user1000}.followers" share a slot (Redis' keyHashSlot, src/cluster.h). `keySlot` applies this to
 * text keys, over their UTF-8 bytes as Redis sees them.
 *
 * Key ids are hashed as the text "k:<decimal id>" (id 42 is "k:42"), the
 * way a client would name them; the digits are fed to the CRC without building the string, so a lookup
 * allocates nothing. Such names carry no braces, so hash tags never apply to ids.
 *
 * Slots are given to nodes as `redis-cli --cluster create` does (clusterManagerCommandCreate in
 * src/redis-cli.c): contiguous ranges, node i ending at lround(cursor + 16384/n − 1) with the cursor
 * advancing by 16384/n, both in single precision as there, the last node taking the rest. For 3 nodes:
 * 0–5460, 5461–10922, 10923–16383. A new node list is a fresh `create`, not a resharding: removing a node
 * shifts every range, where `redis-cli --cluster reshard` would move only the removed node's slots.
 */
import { InputError } from '../../errors.ts';
import type { SchemeEntry, Sharder } from './api.ts';
import { crc16, crc16Byte } from './crc16.ts';

export const REDIS_CLUSTER_SLOTS = 16384;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const DIGIT_0 = 0x30;
/** The running CRC after the prefix "k:". */
const PREFIX_CRC = crc16Byte(crc16Byte(0, 0x6b), 0x3a);

/** The hash slot of a text key, with hash tags, as Redis' keyHashSlot. */
export function keySlot(text: string): number {
  const bytes = new TextEncoder().encode(text);
  const open = bytes.indexOf(OPEN_BRACE);
  if (open >= 0) {
    const close = bytes.indexOf(CLOSE_BRACE, open + 1);
    if (close > open + 1) return crc16(bytes, open + 1, close) & (REDIS_CLUSTER_SLOTS - 1);
  }
  return crc16(bytes) & (REDIS_CLUSTER_SLOTS - 1);
}

/** Slot → node index, in contiguous ranges as `redis-cli --cluster create` assigns them to n masters. */
export function createSlotRanges(n: number): Uint32Array {
  const owner = new Uint32Array(REDIS_CLUSTER_SLOTS);
  const perNode = Math.fround(REDIS_CLUSTER_SLOTS / n);
  let first = 0;
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    // lround rounds halves away from zero, which for these non-negative values is Math.round.
    let last = Math.round(Math.fround(Math.fround(cursor + perNode) - 1));
    if (last > REDIS_CLUSTER_SLOTS || i === n - 1) last = REDIS_CLUSTER_SLOTS - 1;
    if (last < first) last = first;
    owner.fill(i, first, last + 1);
    first = last + 1;
    cursor = Math.fround(cursor + perNode);
  }
  return owner;
}

export class RedisClusterSharder implements Sharder {
  readonly scheme = 'redis-cluster';
  readonly nodes: readonly string[];
  /** Slot → index of the node serving it. */
  readonly slotOwner: Uint32Array;
  /** Decimal digits of the id being hashed, least significant first (reused, so lookups do not allocate). */
  private readonly digits = new Uint8Array(16);

  constructor(nodes: readonly string[]) {
    if (nodes.length > REDIS_CLUSTER_SLOTS) {
      throw new InputError(
        `sharding: redis-cluster takes at most ${REDIS_CLUSTER_SLOTS} nodes (one per slot), got ${nodes.length}`,
      );
    }
    this.nodes = nodes;
    this.slotOwner = createSlotRanges(nodes.length);
  }

  /** The slot of key id `key`: keySlot(`k:${key}`). */
  slotOf(key: number): number {
    const digits = this.digits;
    let count = 0;
    let rest = key;
    do {
      const next = Math.floor(rest / 10);
      digits[count++] = DIGIT_0 + rest - next * 10;
      rest = next;
    } while (rest > 0);
    let crc = PREFIX_CRC;
    while (count > 0) crc = crc16Byte(crc, digits[--count]);
    return crc & (REDIS_CLUSTER_SLOTS - 1);
  }

  shardOf(key: number): number {
    return this.slotOwner[this.slotOf(key)];
  }
}

export const redisClusterScheme: SchemeEntry = {
  kind: 'redis-cluster',
  description: 'Redis Cluster: CRC16 of "k:<id>" mod 16384 slots, contiguous slot ranges per node',
  create: (_spec, nodes) => new RedisClusterSharder(nodes),
};
