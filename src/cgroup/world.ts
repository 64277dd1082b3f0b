import type { SemanticVersion } from '../semantics/versions.js';
import type { Config } from '../semantics/config.js';
import type { Task } from '../state/task.js';
import type { SubsysEnv } from './subsys.js';
import type { Cgroup, CgroupWorld, CssSet, Hierarchy, SubsysSlot } from './types.js';

export const ROOT = '/';

/** Registered subsystems in id order. */
export function registeredSlots(w: CgroupWorld): SubsysSlot[] {
  return w.slots.filter((x): x is SubsysSlot => x !== null);
}

export function findSlot(w: CgroupWorld, name: string): SubsysSlot | undefined {
  return registeredSlots(w).find((x) => x.name === name);
}

/** The hierarchy a subsystem is bound to; the dummy root (2009 `rootnode`) when unbound. */
export function hierarchyOfSlot(w: CgroupWorld, slot: SubsysSlot): Hierarchy {
  return slot.hierarchy === null ? w.dummy : (w.hierarchies.get(slot.hierarchy) as Hierarchy);
}

export function subsysEnv(w: CgroupWorld, config: Config, v: SemanticVersion, name: string, h: Hierarchy): SubsysEnv {
  return { world: w, config, v, name, hierarchy: h };
}

/** Subsystem names sorted for callbacks (reference: mkdir): ascending id (seed 001 loops) or 2.6.33 list order. */
export function sortForCalls(v: SemanticVersion, w: CgroupWorld, names: Iterable<string>): string[] {
  const id = (n: string): number => findSlot(w, n)?.id ?? -1;
  const sign = v.callOrder === 'ascending' ? 1 : -1;
  return [...names].sort((a, b) => sign * (id(a) - id(b)));
}

export function rootOf(h: Hierarchy): Cgroup {
  return h.cgroups.get(ROOT) as Cgroup;
}

export function parentOf(h: Hierarchy, cg: Cgroup): Cgroup | null {
  return cg.parent === null ? null : (h.cgroups.get(cg.parent) ?? null);
}

export function childrenOf(h: Hierarchy, cg: Cgroup): Cgroup[] {
  // A listed path the table lacks exists only in a corrupted state (cgroup-tree reports it);
  // skipping it keeps the cpuset checks reporting instead of crashing on such a state.
  const out: Cgroup[] = [];
  for (const path of cg.children) {
    const child = h.cgroups.get(path);
    if (child !== undefined) out.push(child);
  }
  return out;
}

export function newCgroup(path: string, parent: string | null, notifyOnRelease: boolean, cloneChildren = false): Cgroup {
  return { path, parent, children: [], notifyOnRelease, cloneChildren, releasable: false, taskCount: 0, subsys: new Map() };
}

/**
 * A WeakMap that also remembers the last entry it gave or took, so the usual lookup (the same
 * world, event after event) is one comparison. It keeps that last key alive until another is used.
 */
export class LastWeakMap<K extends object, V> {
  private readonly map = new WeakMap<K, V>();
  private lastKey: K | null = null;
  private lastValue: V | undefined = undefined;

  get(key: K): V | undefined {
    if (key === this.lastKey) return this.lastValue;
    const value = this.map.get(key);
    this.lastKey = key;
    this.lastValue = value;
    return value;
  }

  set(key: K, value: V): void {
    this.map.set(key, value);
    this.lastKey = key;
    this.lastValue = value;
  }
}

/**
 * The sorted list of each world's hierarchies, rebuilt only when the hierarchies changed: a cached
 * list is used only while it holds exactly the hierarchies the world has, so it cannot go stale
 * whoever mounts or unmounts (and a snapshot of the state simply starts without one).
 */
const hierarchyOrder = new LastWeakMap<CgroupWorld, readonly Hierarchy[]>();

function sameHierarchies(w: CgroupWorld, list: readonly Hierarchy[]): boolean {
  if (list.length !== w.hierarchies.size) return false;
  for (const h of list) if (w.hierarchies.get(h.name) !== h) return false;
  return true;
}

/** Hierarchy names sorted: the order the layer visits hierarchies in (never mount history). */
export function sortedHierarchies(w: CgroupWorld): readonly Hierarchy[] {
  const cached = hierarchyOrder.get(w);
  if (cached !== undefined && sameHierarchies(w, cached)) return cached;
  const list = [...w.hierarchies.keys()].sort().map((n) => w.hierarchies.get(n) as Hierarchy);
  hierarchyOrder.set(w, list);
  return list;
}

export function cssSetOf(w: CgroupWorld, task: Task): CssSet | undefined {
  return w.cssSets.get(task.cssSet);
}

/** The cgroup of mounted hierarchy `h` that css_set `cs` links (2.6.33 `cg_cgroup_link`); null when none. */
export function cssSetCgroupIn(h: Hierarchy, cs: CssSet): Cgroup | null {
  const path = cs.cgroups.get(h.name);
  return path === undefined ? null : (h.cgroups.get(path) ?? null);
}

/** The cgroup of `h` that `task` is in; null for a task in no cgroup (a zombie). */
export function taskCgroupIn(w: CgroupWorld, h: Hierarchy, task: Task): Cgroup | null {
  const cs = cssSetOf(w, task);
  if (h === w.dummy) return cs ? rootOf(h) : null;
  return cs ? cssSetCgroupIn(h, cs) : null;
}

/** `hierarchy:path`, the name `released` and css_sets use for a cgroup. */
export const cgroupName = (h: Hierarchy, cg: Cgroup): string => `${h.name}:${cg.path}`;
