import { cssFor, cssSetHash } from '../cgroup/cssset.js';
import { cpusetOf, guaranteeOnline, isCpusetSubset } from '../cgroup/subsystems/cpuset.js';
import type { SubsysEnv } from '../cgroup/subsys.js';
import { type Cgroup, type Hierarchy, NO_CSS_SET } from '../cgroup/types.js';
import { cgroupName, childrenOf, findSlot, hierarchyOfSlot, parentOf, ROOT, subsysEnv, taskCgroupIn } from '../cgroup/world.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { Invariant, Violation } from './types.js';

const live = (s: KernelState): Task[] => [...s.tasks.values()].filter((t) => t.state !== 'zombie');
const violation = (invariant: string, subject: string, message: string): Violation => ({ invariant, subject, message });

/** Every mounted hierarchy plus the dummy root. */
const allHierarchies = (s: KernelState): Hierarchy[] => [s.cg.dummy, ...s.cg.hierarchies.values()];

function checkTree(h: Hierarchy, out: Violation[]): void {
  const id = 'cgroup-tree';
  const root = h.cgroups.get(ROOT);
  if (!root || root.parent !== null) out.push(violation(id, `${h.name}:/`, 'hierarchy has no root cgroup'));
  for (const cg of h.cgroups.values()) {
    const where = `${h.name}:${cg.path}`;
    for (const c of cg.children) {
      if (h.cgroups.get(c)?.parent !== cg.path) out.push(violation(id, where, `child ${c} missing or not pointing back`));
    }
    if (cg.path === ROOT) continue;
    const parent = cg.parent === null ? undefined : h.cgroups.get(cg.parent);
    const name = cg.path.slice(cg.path.lastIndexOf('/') + 1);
    const expected = cg.parent === ROOT ? `/${name}` : `${cg.parent}/${name}`;
    if (!parent || !parent.children.includes(cg.path) || expected !== cg.path) out.push(violation(id, where, 'not a child of its parent'));
  }
}

/** cgroup-tree (SPEC 9). */
const cgroupTree: Invariant = {
  id: 'cgroup-tree',
  description: 'every hierarchy is a tree from its root; every live task is in exactly one cgroup of each mounted hierarchy; zombies are in none; per-cgroup task counts match',
  check: (s) => {
    const out: Violation[] = [];
    const counts = new Map<Cgroup, number>();
    for (const h of allHierarchies(s)) checkTree(h, out);
    for (const t of s.tasks.values()) {
      const cs = s.cg.cssSets.get(t.cssSet);
      if (t.state === 'zombie') {
        if (t.cssSet !== NO_CSS_SET) out.push(violation('cgroup-tree', `task ${t.pid}`, 'zombie still in cgroups'));
        continue;
      }
      if (!cs) {
        out.push(violation('cgroup-tree', `task ${t.pid}`, `live task references no css_set (${t.cssSet})`));
        continue;
      }
      if (cs.cgroups.size !== s.cg.hierarchies.size) out.push(violation('cgroup-tree', `task ${t.pid}`, 'not in one cgroup of every mounted hierarchy'));
      for (const h of s.cg.hierarchies.values()) {
        const cg = taskCgroupIn(s.cg, h, t);
        if (!cg) out.push(violation('cgroup-tree', `task ${t.pid}`, `in no cgroup of ${h.name}`));
        else counts.set(cg, (counts.get(cg) ?? 0) + 1);
      }
    }
    for (const h of s.cg.hierarchies.values()) {
      for (const cg of h.cgroups.values()) {
        const n = counts.get(cg) ?? 0;
        if (n !== cg.taskCount) out.push(violation('cgroup-tree', cgroupName(h, cg), `task count ${cg.taskCount}, but ${n} live tasks`));
      }
    }
    return out;
  },
};

/** css-set (SPEC 9). */
const cssSetInv: Invariant = {
  id: 'css-set',
  description: 'refcounts equal the tasks referencing each css_set; no two css_sets have equal content; every table key equals the hash of its entry\'s content; css_sets point only at live cgroups',
  check: (s) => {
    const id = 'css-set';
    const w = s.cg;
    const out: Violation[] = [];
    const refs = new Map<number, number>();
    for (const t of live(s)) refs.set(t.cssSet, (refs.get(t.cssSet) ?? 0) + 1);
    const keys = new Set<string>();
    for (const cs of w.cssSets.values()) {
      const subject = `css_set ${cs.id}`;
      if (cs.refcount !== (refs.get(cs.id) ?? 0)) out.push(violation(id, subject, `refcount ${cs.refcount}, but ${refs.get(cs.id) ?? 0} tasks`));
      if (cs.refcount === 0 && cs.id !== w.initCssSet) out.push(violation(id, subject, 'unreferenced css_set not freed'));
      const hash = cssSetHash(cs.cgroups, cssFor(w, cs.cgroups));
      if (hash !== cs.key) out.push(violation(id, subject, 'key is not the hash of its content'));
      if (w.cssSetTable.get(cs.key) !== cs.id) out.push(violation(id, subject, 'not in the table under its key'));
      if (keys.has(hash)) out.push(violation(id, subject, 'same content as another css_set'));
      keys.add(hash);
      for (const [hn, path] of cs.cgroups) {
        if (!w.hierarchies.get(hn)?.cgroups.has(path)) out.push(violation(id, subject, `points at missing cgroup ${hn}:${path}`));
      }
    }
    if (w.cssSetTable.size !== w.cssSets.size) out.push(violation(id, 'css_set table', 'table and css_sets differ in size'));
    return out;
  },
};

/** subsys-slots (SPEC 9). */
const subsysSlots: Invariant = {
  id: 'subsys-slots',
  description: 'subsystem ids unique and below subsysSlots; builtins hold ids below the builtin count; a subsystem is bound to at most one hierarchy',
  check: (s) => {
    const id = 'subsys-slots';
    const w = s.cg;
    const out: Violation[] = [];
    const builtins = s.config.builtinSubsystems.length;
    if (w.slots.length > s.config.subsysSlots) out.push(violation(id, 'slots', 'more slots than subsysSlots'));
    const names = new Set<string>();
    w.slots.forEach((slot, i) => {
      if (!slot) return;
      const subject = `subsys ${slot.name}`;
      if (slot.id !== i || slot.id >= s.config.subsysSlots) out.push(violation(id, subject, `id ${slot.id} in slot ${i}`));
      if (slot.builtin !== slot.id < builtins) out.push(violation(id, subject, `${slot.builtin ? 'builtin' : 'loaded'} subsystem with id ${slot.id} (builtin count ${builtins})`));
      if (names.has(slot.name)) out.push(violation(id, subject, 'registered twice'));
      names.add(slot.name);
      const bound = [w.dummy, ...w.hierarchies.values()].filter((h) => h.subsystems.includes(slot.name));
      const home = slot.hierarchy === null ? w.dummy : w.hierarchies.get(slot.hierarchy);
      if (bound.length !== 1 || bound[0] !== home) out.push(violation(id, subject, `bound to ${bound.length} hierarchies`));
    });
    return out;
  },
};

/** The env of the registered cpuset subsystem, or null (the cpuset invariants then have nothing to check). */
function cpusetEnv(s: KernelState, v: SemanticVersion): SubsysEnv | null {
  const slot = findSlot(s.cg, 'cpuset');
  return slot ? subsysEnv(s.cg, s.config, v, slot.name, hierarchyOfSlot(s.cg, slot)) : null;
}

/** cpuset-subset (SPEC 9). */
const cpusetSubset: Invariant = {
  id: 'cpuset-subset',
  description: "every cpuset's cpus/mems ⊆ its parent's, and its exclusive flags imply its parent's",
  check: (s, v) => {
    const env = cpusetEnv(s, v);
    if (!env) return [];
    const out: Violation[] = [];
    for (const cg of env.hierarchy.cgroups.values()) {
      const parent = parentOf(env.hierarchy, cg);
      if (parent && !isCpusetSubset(cpusetOf(env, cg), cpusetOf(env, parent))) {
        out.push(violation('cpuset-subset', cgroupName(env.hierarchy, cg), 'not a subset of its parent'));
      }
    }
    return out;
  },
};

const overlap = (a: readonly number[], b: readonly number[]): boolean => a.some((x) => b.includes(x));

/** cpuset-exclusive (SPEC 9). */
const cpusetExclusive: Invariant = {
  id: 'cpuset-exclusive',
  description: 'no two sibling cpusets overlap where either is exclusive for that resource',
  check: (s, v) => {
    const env = cpusetEnv(s, v);
    if (!env) return [];
    const out: Violation[] = [];
    for (const cg of env.hierarchy.cgroups.values()) {
      const kids = childrenOf(env.hierarchy, cg);
      kids.forEach((a, i) => {
        for (const b of kids.slice(i + 1)) {
          const x = cpusetOf(env, a);
          const y = cpusetOf(env, b);
          const cpus = (x.cpuExclusive || y.cpuExclusive) && overlap(x.cpus, y.cpus);
          const mems = (x.memExclusive || y.memExclusive) && overlap(x.mems, y.mems);
          if (cpus || mems) out.push(violation('cpuset-exclusive', `${cgroupName(env.hierarchy, a)} ${b.path}`, `exclusive siblings overlap in ${cpus ? 'cpus' : 'mems'}`));
        }
      });
    }
    return out;
  },
};

/** cpuset-nonempty (SPEC 9). */
const cpusetNonempty: Invariant = {
  id: 'cpuset-nonempty',
  description: 'every cpuset with live tasks has non-empty cpus and mems (2009); every live task\'s effective cpus and mems are non-empty and online (both)',
  check: (s, v) => {
    const env = cpusetEnv(s, v);
    const out: Violation[] = [];
    if (env && v.cpusetRules === '2009') {
      for (const cg of env.hierarchy.cgroups.values()) {
        const cs = cpusetOf(env, cg);
        if (cg.taskCount > 0 && (cs.cpus.length === 0 || cs.mems.length === 0)) {
          out.push(violation('cpuset-nonempty', cgroupName(env.hierarchy, cg), 'cpuset with tasks has no cpus or no mems'));
        }
      }
    }
    for (const t of live(s)) {
      const cg = env ? taskCgroupIn(s.cg, env.hierarchy, t) : null;
      const cpus = env && cg ? guaranteeOnline(env, cg, 'cpus') : [...s.cg.cpusOnline];
      const mems = env && cg ? guaranteeOnline(env, cg, 'mems') : [...s.cg.memsOnline];
      const ok = (xs: number[], on: Set<number>): boolean => xs.length > 0 && xs.every((x) => on.has(x));
      if (!ok(cpus, s.cg.cpusOnline) || !ok(mems, s.cg.memsOnline)) out.push(violation('cpuset-nonempty', `task ${t.pid}`, 'effective cpus or mems empty or offline'));
    }
    return out;
  },
};

export const CGROUP_INVARIANTS: Invariant[] = [cgroupTree, cssSetInv, subsysSlots, cpusetSubset, cpusetExclusive, cpusetNonempty];
