/**
 * Canonical JSON and the config hash used for result provenance (and, later, to key finished sweep cells).
 * Two configs that mean the same must hash the same whatever their key order or whitespace, so objects are
 * written with their keys sorted (by UTF-16 code units, as Array.prototype.sort does) and no spaces — the
 * ordering rule of RFC 8785 (JSON Canonicalization Scheme); numbers are written as JSON.stringify does,
 * which is the ECMAScript shortest round-trip form that RFC 8785 also uses.
 */
import { createHash } from 'node:crypto';

/** `value` as canonical JSON text; `value` must be plain JSON data (objects, arrays, strings, numbers…). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const obj = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hex SHA-256 of the canonical JSON of `value`. */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
