import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/replay/expect.js';
import { survivesJson } from '../../src/fuzz/properties.js';

/** What the round trip used to compute: the value written as JSON text and read back, key for key. */
const textRoundTrip = (x: unknown): boolean => {
  let back: unknown;
  try {
    back = JSON.parse(JSON.stringify(x) ?? 'undefined') as unknown;
  } catch {
    return false;
  }
  const sameKeys = (a: unknown, b: unknown): boolean => {
    if (typeof a !== 'object' || a === null) return true;
    if (Array.isArray(a)) return a.every((v, i) => sameKeys(v, (b as unknown[])[i]));
    const ka = Object.keys(a);
    return ka.length === Object.keys(b as object).length && ka.every((k) => sameKeys((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  };
  return jsonEqual(back, x) && sameKeys(x, back);
};

describe('survivesJson: the round trip of reference: Invariants and postconditions without writing the text (src/fuzz/properties.ts)', () => {
  it('every JSON value survives', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => survivesJson(x)), { numRuns: 500 });
  });

  it('never says a value survives when the text round trip changes it (sound: no failure is missed)', () => {
    const values = fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true });
    fc.assert(fc.property(values, (x) => !survivesJson(x) || textRoundTrip(x)), { numRuns: 2000 });
  });

  it('what JSON drops or rewrites does not survive, nested or not', () => {
    const bad: unknown[] = [undefined, NaN, Infinity, -Infinity, 1n, () => 0, Symbol('s'), new Date(0), new Map(), new Set([1]), [1, undefined], [, 1], { a: undefined }, { ret: { pid: 2, status: { exited: NaN } } }, { toJSON: () => 1 }];
    for (const x of bad) expect(survivesJson(x), String(typeof x)).toBe(false);
    for (const x of [{ ret: 0 }, { err: 'EPERM', calls: ['cpuset.create'] }, { blocked: true }, { ret: { pid: 2, status: { exited: 0 } } }, Object.create(null) as object, -0])
      expect(survivesJson(x)).toBe(true);
  });
});
