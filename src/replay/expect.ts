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

/**
 * Whether `actual` satisfies the recorded `expect` (reference: Outcomes): `ret` / `err` / `blocked` always,
 * `released` / `calls` only when the expectation lists them (an absent list equals `[]`). Fields
 * are read, not probed with `in`: JSON has no `undefined`, and a replay asks this once per event.
 */
export function matchesExpect(expect: Expect, actual: Outcome): boolean {
  const got = actual as Partial<Record<'ret' | 'err' | 'blocked' | 'released' | 'calls', unknown>>;
  if (expect.ret !== undefined) {
    if (got.ret === undefined || !jsonEqual(expect.ret, got.ret)) return false;
  } else if (expect.err !== undefined) {
    if (expect.err !== got.err) return false;
  } else if (got.blocked !== true) return false;
  if (expect.released !== undefined && !jsonEqual(expect.released, got.released ?? [])) return false;
  return expect.calls === undefined || jsonEqual(expect.calls, got.calls ?? []);
}
