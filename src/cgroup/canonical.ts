import { type Json, jsonObject } from '../state/json.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { SemanticVersion } from '../semantics/versions.js';
import { SUBSYSTEMS } from './subsystems/index.js';
import type { Cgroup, CssSet, Hierarchy } from './types.js';
import { pluginOf } from './plugins.js';
import { findSlot, hierarchyOfSlot, registeredSlots, sortedHierarchies, subsysEnv, taskCgroupIn } from './world.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A task's cgroup memberships (`{hierarchy: path}`, empty for a zombie) and the fields every
 * subsystem plugin adds (cpuset: `effectiveCpus`, `effectiveMems`), registered or not, so the
 * canonical task has one shape for every version.
 */
export function taskCgroupFields(s: KernelState, v: SemanticVersion, t: Task): { [key: string]: Json } {
  const w = s.cg;
  const cgroups = jsonObject(
    sortedHierarchies(w).flatMap((h) => {
      const cg = taskCgroupIn(w, h, t);
      return cg ? [[h.name, cg.path] as const] : [];
    }),
  );
  const out: { [key: string]: Json } = { cgroups };
  for (const [name, plugin] of [...SUBSYSTEMS.entries()].sort((a, b) => byString(a[0], b[0]))) {
    if (!plugin.taskFields) continue;
    const slot = findSlot(w, name);
    const h = slot ? hierarchyOfSlot(w, slot) : w.dummy;
    const cg = slot ? taskCgroupIn(w, h, t) : null;
    Object.assign(out, plugin.taskFields(subsysEnv(w, s.config, v, name, h), cg, t));
  }
  return out;
}

function canonicalCgroup(cg: Cgroup): Json {
  return {
    path: cg.path,
    notifyOnRelease: cg.notifyOnRelease,
    releasable: cg.releasable,
    subsys: jsonObject([...cg.subsys.entries()].sort((a, b) => byString(a[0], b[0])).map(([n, st]) => [n, pluginOf(n).canonical(st)])),
  };
}

function canonicalHierarchy(h: Hierarchy): Json {
  return {
    name: h.name,
    subsystems: [...h.subsystems],
    noprefix: h.noprefix,
    releaseAgent: h.releaseAgent,
    cgroups: [...h.cgroups.keys()].sort(byString).map((p) => canonicalCgroup(h.cgroups.get(p) as Cgroup)),
  };
}

function canonicalCssSet(cs: CssSet, initial: boolean): Json {
  return {
    key: cs.key,
    refcount: cs.refcount,
    initial,
    cgroups: jsonObject([...cs.cgroups.entries()].sort((a, b) => byString(a[0], b[0]))),
    css: jsonObject([...cs.css.entries()].sort((a, b) => a[0] - b[0]).map(([id, c]) => [String(id), c])),
  };
}

/**
 * The cgroup layer's part of the canonical state: online cpus/mems, mounted hierarchies (by
 * name) with their cgroups (by path), registered subsystems (by id) with the top css of unbound
 * ones (`dummyTop`, the 2009 dummy root), and — where the version has them — css_sets by key.
 */
export function canonicalCgroups(s: KernelState, v: SemanticVersion): { [key: string]: Json } {
  const w = s.cg;
  const dummyRoot = w.dummy.cgroups.get('/') as Cgroup;
  return {
    cpusOnline: [...w.cpusOnline].sort((a, b) => a - b),
    memsOnline: [...w.memsOnline].sort((a, b) => a - b),
    hierarchies: sortedHierarchies(w).map(canonicalHierarchy),
    subsystems: registeredSlots(w).map((slot) => ({
      name: slot.name,
      id: slot.id,
      builtin: slot.builtin,
      hierarchy: slot.hierarchy,
      dummyTop: slot.hierarchy === null ? pluginOf(slot.name).canonical(dummyRoot.subsys.get(slot.name)) : null,
    })),
    cssSets: v.cssSets
      ? [...w.cssSets.values()].sort((a, b) => byString(a.key, b.key)).map((cs) => canonicalCssSet(cs, cs.id === w.initCssSet))
      : [],
  };
}
