/** JSON values as the canonical state and traces use them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A prototype-free object for JSON keys that come from users (cgroup, hierarchy, image names):
 * `__proto__` and `constructor` are then ordinary keys (reference: Traces).
 */
export function jsonObject(entries: Iterable<readonly [string, Json]> = []): { [key: string]: Json } {
  const out = Object.create(null) as { [key: string]: Json };
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** JSON text with object keys sorted at every level (reference: Determinism and the state canonical serialization). */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(value).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(value[k] as Json)).join(',') + '}';
}
