/**
 * A deep copy of plain state data, as `structuredClone` copies it (references shared inside the
 * value stay shared, Map and Set keep their order) but without its serialization, which
 * dominates on the fuzzer's small states. The state is plain data (see `KernelState`); any other
 * object inside is left to `structuredClone`. It dispatches on the prototype (one lookup, plain
 * objects first: they are most of a state) instead of a chain of `instanceof` tests, and walks
 * keys with `for in` instead of allocating `Object.keys`. `seen` is null when `x` is known to be
 * a tree (`isTree`): nothing to keep shared, and the lookups are a large part of a copy.
 * (Figures: docs/performance.md, Copies.)
 */
export function copyData(x: unknown, seen: Map<object, unknown> | null): unknown {
  if (typeof x !== 'object' || x === null) return x;
  const known = seen?.get(x);
  if (known !== undefined) return known;
  const proto = Object.getPrototypeOf(x) as unknown;
  if (proto === Object.prototype || proto === null) {
    const o = x as Record<string, unknown>;
    const out: Record<string, unknown> = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
    seen?.set(x, out);
    for (const key in o) if (hasOwn.call(o, key)) defineCopy(out, key, copyData(o[key], seen));
    return out;
  }
  if (proto === Array.prototype) {
    const a = x as unknown[];
    const out: unknown[] = new Array<unknown>(a.length);
    seen?.set(x, out);
    for (let i = 0; i < a.length; i++) out[i] = copyData(a[i], seen);
    return out;
  }
  if (proto === Map.prototype) {
    const m = x as Map<unknown, unknown>;
    const out = new Map<unknown, unknown>();
    seen?.set(x, out);
    for (const [key, value] of m) out.set(copyData(key, seen), copyData(value, seen));
    return out;
  }
  if (proto === Set.prototype) {
    const m = x as Set<unknown>;
    const out = new Set<unknown>();
    seen?.set(x, out);
    for (const value of m) out.add(copyData(value, seen));
    return out;
  }
  const out: unknown = structuredClone(x);
  seen?.set(x, out);
  return out;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `out[key] = value`, except that an own `__proto__` key (JSON.parse makes one) stays a key: an
 * assignment would set the copy's prototype instead, as `structuredClone` never does.
 */
function defineCopy(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}
