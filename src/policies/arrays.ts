/**
 * Growth of per-key typed arrays: `grown` doubles, new slots filled with a given value; `resized` makes
 * exactly the length asked, for owners that already chose it (a reserve() of the key space, their own
 * doubling), keeping the contents and zeroing the new slots.
 */

type Typed = Int32Array | Uint32Array | Float64Array | Uint8Array | Int8Array | Uint16Array;

export function grown<T extends Typed>(a: T, n: number, fill: number): T {
  if (n <= a.length) return a;
  let cap = Math.max(a.length, 16);
  while (cap < n) cap *= 2;
  const b = new (a.constructor as new (len: number) => T)(cap);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function resized<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (len: number) => T)(n);
  b.set(a.length <= n ? a : a.subarray(0, n));
  return b;
}
