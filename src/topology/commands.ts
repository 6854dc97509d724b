/**
 * Fire-and-forget cache commands in flight (FILLs after a miss, DELETEs and UPDATEs after a write), as
 * parallel typed arrays indexed by a ticket with a free list, like the request pool: an event carries
 * only the ticket, and a command costs no object. A ticket lives from the moment the command is sent
 * until a node has executed or refused it.
 */

export const CMD_FILL = 1;
export const CMD_DELETE = 2;
/** Stores a written value (update-on-write, write-through and write-behind). */
export const CMD_UPDATE = 3;

/** The value bytes a command of `size` carries on the network: a DELETE carries only its key. */
export function valueBytes(cmd: number, size: number): number {
  return cmd === CMD_DELETE ? 0 : size;
}

export class Commands {
  cmd = new Uint8Array(0);
  key = new Uint32Array(0);
  size = new Uint32Array(0);
  /** Version of the value a FILL or UPDATE carries. */
  version = new Uint32Array(0);
  /** Lease token of a FILL (0: none). */
  token = new Uint32Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;
  private capacity = 0;

  constructor(initial = 1024) {
    this.grow(initial);
  }

  alloc(cmd: number, key: number, size: number, version: number, token: number): number {
    if (this.freeCount === 0) this.grow(this.capacity * 2);
    const t = this.free[--this.freeCount];
    this.cmd[t] = cmd;
    this.key[t] = key;
    this.size[t] = size;
    this.version[t] = version;
    this.token[t] = token;
    return t;
  }

  release(t: number): void {
    this.free[this.freeCount++] = t;
  }

  private grow(n: number): void {
    const old = this.capacity;
    const cmd = new Uint8Array(n);
    cmd.set(this.cmd);
    this.cmd = cmd;
    for (const f of ['key', 'size', 'version', 'token'] as const) {
      const a = new Uint32Array(n);
      a.set(this[f]);
      this[f] = a;
    }
    const free = new Int32Array(n);
    free.set(this.free.subarray(0, this.freeCount));
    for (let s = n - 1; s >= old; s--) free[this.freeCount++] = s;
    this.free = free;
    this.capacity = n;
  }
}
