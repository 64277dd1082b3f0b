import { applyEvent } from '../reducer/apply.js';
import type { Outcome } from '../reducer/outcome.js';
import type { Recorder } from '../reducer/record.js';
import { resolveConfig } from '../semantics/config.js';
import { checkMechanisms } from '../semantics/mechanisms.js';
import { DEFAULT_SEMANTICS, getVersion, type SemanticVersion } from '../semantics/versions.js';
import { boot } from '../state/boot.js';
import { copyData } from '../state/copy.js';
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
