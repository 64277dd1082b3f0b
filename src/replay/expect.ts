import type { Outcome } from '../reducer/outcome.js';
import type { Expect } from '../trace/schema-types.js';

/** Structural equality of JSON values (wait reports are objects: `{pid, status: {exited}}`). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => jsonEqual(x, bs[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}

/** Side-information fields an outcome omits when empty (SPEC 1.4). */
const LIST_FIELDS = ['released', 'calls'] as const;

/**
 * Whether `actual` satisfies the recorded `expect` (SPEC 1.4): `ret` / `err` / `blocked` always,
 * `released` / `calls` only when the expectation lists them (an absent list equals `[]`).
 */
export function matchesExpect(expect: Expect, actual: Outcome): boolean {
  const want = expect as Record<string, unknown>;
  const got = actual as unknown as Record<string, unknown>;
  if ('ret' in want) {
    if (!('ret' in got) || !jsonEqual(want.ret, got.ret)) return false;
  } else if ('err' in want) {
    if (want.err !== got.err) return false;
  } else if (!('blocked' in got)) return false;
  for (const field of LIST_FIELDS) {
    if (field in want && !jsonEqual(want[field], got[field] ?? [])) return false;
  }
  return true;
}
