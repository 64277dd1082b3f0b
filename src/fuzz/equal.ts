import type { Cgroup, CgroupWorld, CssSet, Hierarchy, SubsysSlot } from '../cgroup/types.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';

/**
 * Structural equality over the model's plain data (Maps, Sets, arrays, objects, primitives).
 * A fast pre-filter: equal raw states have equal canonical states, so only a difference needs
 * the (slower) canonical comparison. Atomicity runs it on the whole state after every failed
 * event, so it recurses only into values that are not already identical (most are primitives),
 * walks Maps by key instead of allocating entry pairs, and counts keys without `Object.keys`.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (x !== y && !deepEqual(x, y)) return false;
    }
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const k of a.keys()) {
      const x: unknown = a.get(k);
      const y: unknown = b.get(k);
      if (x !== y ? !deepEqual(x, y) : y === undefined && !b.has(k)) return false;
    }
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Map || b instanceof Set) return false;
  return samePlainObject(a as Record<string, unknown>, b as Record<string, unknown>);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Own enumerable keys and their values, deeply (the model's records have no inherited enumerable keys). */
function samePlainObject(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in a) {
    if (!hasOwn.call(a, k)) continue;
    if (!hasOwn.call(b, k)) return false;
    const x = a[k];
    const y = b[k];
    if (x !== y && !deepEqual(x, y)) return false;
    n++;
  }
  for (const k in b) if (hasOwn.call(b, k)) n--;
  return n === 0;
}

const sameNumbers = <T extends number | string>(a: readonly T[], b: readonly T[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};
/**
 * Maps of primitives. Walks the keys and values side by side (both in insertion order) instead of
 * destructuring entry pairs: css_sets compare two of these each, after every failed event.
 */
function sameFlatMap<K, V extends string | number | boolean>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  const values = a.values();
  for (const k of a.keys()) if (b.get(k) !== values.next().value) return false;
  return true;
}

/**
 * Every field of a task, each compared by `sameTask`: a field added to `Task` is a type error
 * here, and test/fuzz/equal.test.ts changes each listed field to prove `sameTask` sees it.
 */
export const TASK_FIELDS: Readonly<Record<keyof Task, true>> = {
  pid: true, parent: true, children: true, pgid: true, sid: true, node: true, state: true, exitStatus: true, execd: true,
  dispositions: true, caught: true, pending: true, stopReport: true, contReport: true, tracer: true, traced: true, vps: true, cssSet: true,
  exitState: true, childSubreaper: true, affinity: true, tgid: true, threads: true, leaderExited: true,
};

/** Two tasks field by field, without the generic walk (tasks are most of a state). */
function sameTask(a: Task, b: Task): boolean {
  return (
    a.pid === b.pid && a.parent === b.parent && a.pgid === b.pgid && a.sid === b.sid && a.node === b.node && a.state === b.state &&
    a.execd === b.execd && a.stopReport === b.stopReport && a.contReport === b.contReport && a.tracer === b.tracer && a.vps === b.vps &&
    a.cssSet === b.cssSet && a.exitState === b.exitState && a.childSubreaper === b.childSubreaper && deepEqual(a.affinity, b.affinity) && a.tgid === b.tgid && sameNumbers(a.threads, b.threads) && deepEqual(a.leaderExited, b.leaderExited) && sameNumbers(a.children, b.children) && sameNumbers(a.pending, b.pending) && sameNumbers(a.traced, b.traced) &&
    sameFlatMap(a.dispositions, b.dispositions) && sameFlatMap(a.caught, b.caught) && deepEqual(a.exitStatus, b.exitStatus)
  );
}

/** Two Maps of records, each pair by `same` (keys and values side by side, as `sameFlatMap`). */
function sameRecords<K, V extends object>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>, same: (x: V, y: V) => boolean): boolean {
  if (a.size !== b.size) return false;
  const values = a.values();
  for (const k of a.keys()) {
    const x = values.next().value as V;
    const y = b.get(k);
    if (!y || !same(x, y)) return false;
  }
  return true;
}

const sameSet = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean => {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
};

/**
 * Every field of the cgroup world's records, each compared by the functions below (the world is
 * most of a small state, and atomicity compares it after every failed event): a field added to one
 * of these types is a type error here, and test/fuzz/equal.test.ts changes each listed field to
 * prove `sameKernelState` sees it.
 */
export const CGROUP_FIELDS: {
  readonly world: Readonly<Record<keyof CgroupWorld, true>>;
  readonly hierarchy: Readonly<Record<keyof Hierarchy, true>>;
  readonly cgroup: Readonly<Record<keyof Cgroup, true>>;
  readonly slot: Readonly<Record<keyof SubsysSlot, true>>;
  readonly cssSet: Readonly<Record<keyof CssSet, true>>;
} = {
  world: { hierarchies: true, dummy: true, slots: true, cssSets: true, cssSetTable: true, nextCssSetId: true, initCssSet: true, cpusOnline: true, memsOnline: true },
  hierarchy: { name: true, subsystems: true, noprefix: true, releaseAgent: true, cgroups: true },
  cgroup: { path: true, parent: true, children: true, notifyOnRelease: true, cloneChildren: true, releasable: true, taskCount: true, subsys: true },
  slot: { name: true, id: true, builtin: true, hierarchy: true },
  cssSet: { id: true, key: true, refcount: true, cgroups: true, css: true, tasks: true },
};

/** A cgroup field by field; the subsystems' states are opaque to the core (reference: mkdir), so they get the generic walk. */
const sameCgroup = (a: Cgroup, b: Cgroup): boolean =>
  a.path === b.path && a.parent === b.parent && a.notifyOnRelease === b.notifyOnRelease && a.cloneChildren === b.cloneChildren && a.releasable === b.releasable &&
  a.taskCount === b.taskCount && sameNumbers(a.children, b.children) && deepEqual(a.subsys, b.subsys);

const sameHierarchy = (a: Hierarchy, b: Hierarchy): boolean =>
  a.name === b.name && a.noprefix === b.noprefix && a.releaseAgent === b.releaseAgent && sameNumbers(a.subsystems, b.subsystems) &&
  sameRecords(a.cgroups, b.cgroups, sameCgroup);

const sameSlot = (a: SubsysSlot | null | undefined, b: SubsysSlot | null | undefined): boolean =>
  a == null || b == null ? a === b : a.name === b.name && a.id === b.id && a.builtin === b.builtin && a.hierarchy === b.hierarchy;

const sameCssSet = (a: CssSet, b: CssSet): boolean =>
  a.id === b.id && a.key === b.key && a.refcount === b.refcount && sameFlatMap(a.cgroups, b.cgroups) && sameFlatMap(a.css, b.css) && sameSet(a.tasks, b.tasks);

function sameCgroupWorld(a: CgroupWorld, b: CgroupWorld): boolean {
  if (a.nextCssSetId !== b.nextCssSetId || a.initCssSet !== b.initCssSet || a.slots.length !== b.slots.length) return false;
  for (let i = 0; i < a.slots.length; i++) if (!sameSlot(a.slots[i], b.slots[i])) return false;
  return (
    sameRecords(a.hierarchies, b.hierarchies, sameHierarchy) && sameHierarchy(a.dummy, b.dummy) && sameRecords(a.cssSets, b.cssSets, sameCssSet) &&
    sameFlatMap(a.cssSetTable, b.cssSetTable) && sameSet(a.cpusOnline, b.cpusOnline) && sameSet(a.memsOnline, b.memsOnline)
  );
}

/**
 * `deepEqual` of two kernel states' field `key`, with the task table compared by `sameTask` and
 * the cgroup world by `sameCgroupWorld`: the structural comparison of atomicity (after every
 * failed event) and of final states.
 */
export function sameStateField(a: KernelState, b: KernelState, key: string): boolean {
  if (key === 'tasks') return sameRecords(a.tasks, b.tasks, sameTask);
  if (key === 'cg') return sameCgroupWorld(a.cg, b.cg);
  return deepEqual((a as unknown as Record<string, unknown>)[key], (b as unknown as Record<string, unknown>)[key]);
}

/** Two kernel states are equal as plain data (`deepEqual`, faster). */
export function sameKernelState(a: KernelState, b: KernelState): boolean {
  for (const key in a) if (!sameStateField(a, b, key)) return false;
  return Object.keys(a).length === Object.keys(b).length;
}
