import { applyEvent } from '../reducer/apply.js';
import type { Outcome } from '../reducer/outcome.js';
import type { Recorder } from '../reducer/record.js';
import { resolveConfig } from '../semantics/config.js';
import { checkMechanisms } from '../semantics/mechanisms.js';
import { DEFAULT_SEMANTICS, getVersion, type SemanticVersion } from '../semantics/versions.js';
import { boot } from '../state/boot.js';
import type { KernelState } from '../state/types.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';

/** A booted kernel: the state and the version whose rules it follows. */
export interface Kernel {
  s: KernelState;
  v: SemanticVersion;
}

/** Boots the kernel a trace header describes; `semantics` overrides the header's (reference: Command line). */
export function bootKernel(header: Pick<TraceHeader, 'semantics' | 'config'>, semantics?: string): Kernel {
  const v = getVersion(semantics ?? header.semantics ?? DEFAULT_SEMANTICS);
  const config = resolveConfig(v.defaults, header.config);
  checkMechanisms(v, config);
  return { v, s: boot(v, config) };
}

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
function copyData(x: unknown, seen: Map<object, unknown> | null): unknown {
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

/** Whether no object is reachable twice from `x` along the references `copyData` follows. */
function isTree(x: unknown, visited: Set<object>): boolean {
  if (typeof x !== 'object' || x === null) return true;
  if (visited.has(x)) return false;
  visited.add(x);
  const proto = Object.getPrototypeOf(x) as unknown;
  const children: Iterable<unknown> =
    proto === Object.prototype || proto === null
      ? Object.values(x)
      : proto === Array.prototype
        ? (x as unknown[])
        : proto === Map.prototype
          ? [...(x as Map<unknown, unknown>)].flat()
          : proto === Set.prototype
            ? (x as Set<unknown>)
            : [];
  for (const child of children) if (!isTree(child, visited)) return false;
  return true;
}

/**
 * `cloneKernel` for a kernel that is copied many times and never changed (a boot template): its
 * shape is looked at once, and when it is a tree (no sharing inside, as a boot state), every copy
 * skips `copyData`'s bookkeeping of shared references.
 */
export function copierOf(k: Kernel): () => Kernel {
  const tree = isTree(k.s, new Set());
  return () => ({ s: copyData(k.s, tree ? null : new Map()) as KernelState, v: k.v });
}

/** A copy of `k` in the same state that shares nothing mutable with it (snapshots, reference: Invariants and postconditions). */
export function cloneKernel(k: Kernel): Kernel {
  return { s: copyData(k.s, new Map()) as KernelState, v: k.v };
}

/** Applies `ev` to `k`; the model reports what it changes to `record` (nobody listens by default). */
export function step(k: Kernel, ev: Event, record?: Recorder): Outcome {
  return applyEvent(k.s, k.v, ev, record);
}
