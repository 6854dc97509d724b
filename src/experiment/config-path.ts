/**
 * Dotted config paths as sweep axes name them ("tiers.redis.capacity", "gateway.routes.0.chain"): a
 * segment of digits indexes an array. Values are set on copies, so the experiment's config stays as read.
 */

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function splitPath(path: string): string[] {
  return path.split('.');
}

/** The JSON pointer of a dotted path, for messages: "tiers.redis.capacity" → "/tiers/redis/capacity". */
export function pointerOf(path: string): string {
  return `/${splitPath(path)
    .map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/')}`;
}

/** The value at `path`, or undefined when some segment is absent. */
export function getPath(root: unknown, path: string): unknown {
  let v = root;
  for (const seg of splitPath(path)) {
    if (Array.isArray(v) && /^\d+$/.test(seg)) v = v[Number(seg)];
    else if (isObject(v) && Object.hasOwn(v, seg)) v = v[seg];
    else return undefined;
  }
  return v;
}

/** A copy of `root` with `value` at `path`; missing objects on the way are created. */
export function setPath(root: unknown, path: string, value: unknown): unknown {
  const segs = splitPath(path);
  const put = (node: unknown, i: number): unknown => {
    if (i === segs.length) return value;
    const seg = segs[i];
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      const copy = [...node];
      copy[Number(seg)] = put(node[Number(seg)], i + 1);
      return copy;
    }
    const obj: Json = isObject(node) ? { ...node } : {};
    // defineProperty, not assignment: a "__proto__" segment stays a plain key (the schema then rejects it).
    const child = put(Object.hasOwn(obj, seg) ? obj[seg] : undefined, i + 1);
    Object.defineProperty(obj, seg, { value: child, enumerable: true, writable: true, configurable: true });
    return obj;
  };
  return put(root, 0);
}
