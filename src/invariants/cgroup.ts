import { cssFor, cssSetHash } from '../cgroup/cssset.js';
import { cpusetOf, guaranteeOnline, isCpusetSubset } from '../cgroup/subsystems/cpuset.js';
import type { SubsysEnv } from '../cgroup/subsys.js';
import { type Cgroup, type CssSet, type Hierarchy, NO_CSS_SET } from '../cgroup/types.js';
import { cgroupName, childrenOf, findSlot, hierarchyOfSlot, parentOf, ROOT, subsysEnv, taskCgroupIn } from '../cgroup/world.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { CgroupLinks, EffectiveOnline } from './kept.js';
import { cssSetMoves } from './touched.js';
import { cssSetRefs } from './holds.js';
import type { Invariant, Touched, Violation } from './types.js';

const live = (s: KernelState): Task[] => [...s.tasks.values()].filter((t) => t.state !== 'zombie');
const violation = (invariant: string, subject: string, message: string): Violation => ({ invariant, subject, message });

/** Every mounted hierarchy plus the dummy root. */
const allHierarchies = (s: KernelState): Hierarchy[] => [s.cg.dummy, ...s.cg.hierarchies.values()];

function checkTree(h: Hierarchy, out: Violation[]): void {
  rootViolations(h, out);
  for (const cg of h.cgroups.values()) treeLinkViolations(h, cg, out);
}

function rootViolations(h: Hierarchy, out: Violation[]): void {
  const root = h.cgroups.get(ROOT);
  if (!root || root.parent !== null) out.push(violation('cgroup-tree', `${h.name}:/`, 'hierarchy has no root cgroup'));
}

/** `cg`'s links to its children and its parent, both ways. */
function treeLinkViolations(h: Hierarchy, cg: Cgroup, out: Violation[]): void {
  const id = 'cgroup-tree';
  const where = `${h.name}:${cg.path}`;
  for (const c of cg.children) {
    if (h.cgroups.get(c)?.parent !== cg.path) out.push(violation(id, where, `child ${c} missing or not pointing back`));
  }
  if (cg.path === ROOT) return;
  const parent = cg.parent === null ? undefined : h.cgroups.get(cg.parent);
  const name = cg.path.slice(cg.path.lastIndexOf('/') + 1);
  const expected = cg.parent === ROOT ? `/${name}` : `${cg.parent}/${name}`;
  if (!parent || !parent.children.includes(cg.path) || expected !== cg.path) out.push(violation(id, where, 'not a child of its parent'));
}

/** The membership checks of one task; each cgroup it is in counted in `counts` (when given). */
function taskMembership(s: KernelState, t: Task, out: Violation[], counts: Map<Cgroup, number> | null): void {
  if (t.state === 'zombie') {
    if (t.cssSet !== NO_CSS_SET) out.push(violation('cgroup-tree', `task ${t.pid}`, 'zombie still in cgroups'));
    return;
  }
  const cs = s.cg.cssSets.get(t.cssSet);
  if (!cs) {
    out.push(violation('cgroup-tree', `task ${t.pid}`, `live task references no css_set (${t.cssSet})`));
    return;
  }
  if (cs.cgroups.size !== s.cg.hierarchies.size) out.push(violation('cgroup-tree', `task ${t.pid}`, 'not in one cgroup of every mounted hierarchy'));
  for (const h of s.cg.hierarchies.values()) {
    const path = cs.cgroups.get(h.name);
    const cg = path === undefined ? undefined : h.cgroups.get(path);
    if (!cg) out.push(violation('cgroup-tree', `task ${t.pid}`, `in no cgroup of ${h.name}`));
    else if (counts) counts.set(cg, (counts.get(cg) ?? 0) + 1);
  }
}

const countViolation = (h: Hierarchy, cg: Cgroup, n: number): Violation =>
  violation('cgroup-tree', cgroupName(h, cg), `task count ${cg.taskCount}, but ${n} live tasks`);

/**
 * Task counts of the cgroups a touched task left or joined: each is the sum of the refcounts of
 * the css_sets linking it, kept by the links index (`cgroupLinks`) and settled here for the
 * css_sets those tasks left or joined (an untouched css_set's refcount and tasks did not change:
 * a task changes css_set only at a choke point, and the refcount with it). css-set checks those
 * refcounts against the tasks; where the sum disagrees, the tasks are counted (`liveTasksIn`), so
 * a reported count is always the counted one.
 */
function touchedCounts(s: KernelState, touched: Touched, out: Violation[]): void {
  const w = s.cg;
  const hs: Hierarchy[] = [];
  const cgs: Cgroup[] = [];
  // Only the cgroups a task left or joined: where before and after differ.
  const note = (cs: CssSet | null, other: CssSet | null): void => {
    cs?.cgroups.forEach((path, hn) => {
      if (other && other.cgroups.get(hn) === path) return;
      const h = w.hierarchies.get(hn);
      const cg = h?.cgroups.get(path);
      if (h && cg && !cgs.includes(cg)) {
        hs.push(h);
        cgs.push(cg);
      }
    });
  };
  let links: CgroupLinks | null = null;
  cssSetMoves(s, touched, (before, after) => {
    links ??= cgroupLinks(s, touched);
    settle(s, links, before);
    settle(s, links, after);
    note(before, after);
    note(after, before);
  });
  cgs.forEach((cg, i) => {
    const h = hs[i] as Hierarchy;
    // A sum that disagrees is a violation of css-set or of this one: count the tasks, as `check` does.
    if (((links as CgroupLinks | null)?.sums.get(h.name)?.get(cg.path) ?? 0) === cg.taskCount) return;
    const n = liveTasksIn(s, h, cg);
    if (n !== cg.taskCount) out.push(countViolation(h, cg, n));
  });
}

/** The live tasks whose css_set puts them in `cg` (what `check` counts for it, through `taskMembership`). */
function liveTasksIn(s: KernelState, h: Hierarchy, cg: Cgroup): number {
  let n = 0;
  for (const t of s.tasks.values()) {
    if (t.state === 'zombie') continue;
    const path = s.cg.cssSets.get(t.cssSet)?.cgroups.get(h.name);
    if (path !== undefined && h.cgroups.get(path) === cg) n++;
  }
  return n;
}

/**
 * The links index of the checker (`touched.links`), brought up to date: built from every css_set,
 * then each event files the css_sets created since (ids from `nextCssSetId`, never reused). A
 * css_set's links are set when it is created (`find_css_set`) and change only in wholesale ops,
 * after which the checker drops the index; so a cgroup's list holds every css_set that links it.
 */
function cgroupLinks(s: KernelState, touched: Touched): CgroupLinks {
  let links = touched.links;
  if (links === null || links.s !== s) {
    links = { s, nextId: 0, byPath: new Map(), refs: new Map(), sums: new Map() };
    for (const cs of s.cg.cssSets.values()) fileLinks(s, links, cs);
    touched.links = links;
  } else {
    for (let id = links.nextId; id < s.cg.nextCssSetId; id++) {
      const cs = s.cg.cssSets.get(id);
      if (cs) fileLinks(s, links, cs);
    }
  }
  links.nextId = s.cg.nextCssSetId;
  return links;
}

function fileLinks(s: KernelState, links: CgroupLinks, cs: CssSet): void {
  for (const [hn, path] of cs.cgroups) {
    let paths = links.byPath.get(hn);
    if (!paths) links.byPath.set(hn, (paths = new Map()));
    const list = paths.get(path);
    if (list) list.push(cs);
    else paths.set(path, [cs]);
  }
  settle(s, links, cs);
}

/** Brings `cs`'s share of its cgroups' sums to its refcount now (0 once freed). Idempotent. */
function settle(s: KernelState, links: CgroupLinks, cs: CssSet | null): void {
  if (!cs) return;
  const freed = s.cg.cssSets.get(cs.id) !== cs;
  const now = freed ? 0 : cs.refcount;
  const delta = now - (links.refs.get(cs) ?? 0);
  if (freed) links.refs.delete(cs);
  else links.refs.set(cs, now);
  if (delta === 0) return;
  for (const [hn, path] of cs.cgroups) {
    let sums = links.sums.get(hn);
    if (!sums) links.sums.set(hn, (sums = new Map()));
    sums.set(path, (sums.get(path) ?? 0) + delta);
  }
}

/** The live css_sets filed under `hn:path`; freed ones leave the list. */
function linkedCssSets(s: KernelState, links: CgroupLinks, hn: string, path: string): readonly CssSet[] {
  const list = links.byPath.get(hn)?.get(path);
  if (!list) return [];
  let kept = 0;
  for (const cs of list) if (s.cg.cssSets.get(cs.id) === cs) list[kept++] = cs;
  list.length = kept;
  return list;
}

/** cgroup-tree (reference: Invariants and postconditions). */
const cgroupTree: Invariant = {
  id: 'cgroup-tree',
  description: 'every hierarchy is a tree from its root; every live task is in exactly one cgroup of each mounted hierarchy; zombies are in none; per-cgroup task counts match',
  check: (s) => {
    const out: Violation[] = [];
    const counts = new Map<Cgroup, number>();
    for (const h of allHierarchies(s)) checkTree(h, out);
    for (const t of s.tasks.values()) taskMembership(s, t, out, counts);
    for (const h of s.cg.hierarchies.values()) {
      for (const cg of h.cgroups.values()) {
        const n = counts.get(cg) ?? 0;
        if (n !== cg.taskCount) out.push(countViolation(h, cg, n));
      }
    }
    return out;
  },
  /**
   * The tree links of the cgroup a mkdir or rmdir names and of its parent (the only cgroups either
   * changes), the touched tasks' memberships, the counts of their cgroups.
   */
  checkTouched: (s, _v, touched) => {
    const out: Violation[] = [];
    for (const d of touched.dirs) {
      const h = s.cg.hierarchies.get(d.hierarchy);
      if (!h) continue;
      rootViolations(h, out);
      for (const path of [d.parent, d.path]) {
        const cg = h.cgroups.get(path);
        if (cg) treeLinkViolations(h, cg, out);
      }
    }
    for (const pid of touched.tasks) {
      const t = s.tasks.get(pid);
      if (t) taskMembership(s, t, out, null);
    }
    touchedCounts(s, touched, out);
    return out;
  },
};

/** css-set (reference: Invariants and postconditions). */
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
      refViolations(s, cs, refs.get(cs.id) ?? 0, out);
      const hash = contentViolations(s, cs, out);
      if (keys.has(hash)) out.push(violation(id, `css_set ${cs.id}`, 'same content as another css_set'));
      keys.add(hash);
      missingCgroups(s, cs, null, out);
    }
    tableSize(s, out);
    return out;
  },
  /**
   * The touched css_sets: refcounts against the tasks referencing them (`cssSetRefs`), the cgroups they point at, and
   * for the ones the event created, key, table entry and uniqueness. Content never changes but
   * on mount, umount, load or unload (checked in full); after an rmdir, the links of the css_sets
   * filed under the cgroup it names (`cgroupLinks`).
   */
  checkTouched: (s, _v, touched) => {
    const w = s.cg;
    const out: Violation[] = [];
    const { cssSets: sets, refs: n } = cssSetRefs(s, touched);
    sets.forEach((cs, i) => {
      refViolations(s, cs, n[i] as number, out);
      if (cs.id >= touched.cssSetIdsFrom) {
        const hash = contentViolations(s, cs, out);
        if (sameContentAsEarlier(w.cssSets.values(), cs, hash)) out.push(violation('css-set', `css_set ${cs.id}`, 'same content as another css_set'));
      }
      missingCgroups(s, cs, null, out);
    });
    // Only an rmdir takes a cgroup away: the css_sets filed under the cgroup it names.
    for (const d of touched.dirs) {
      if (s.cg.hierarchies.get(d.hierarchy)?.cgroups.has(d.path)) continue;
      for (const cs of linkedCssSets(s, cgroupLinks(s, touched), d.hierarchy, d.path)) if (!sets.includes(cs)) missingCgroups(s, cs, [d.hierarchy], out);
    }
    tableSize(s, out);
    return out;
  },
};

function refViolations(s: KernelState, cs: CssSet, refs: number, out: Violation[]): void {
  const subject = `css_set ${cs.id}`;
  if (cs.refcount !== refs) out.push(violation('css-set', subject, `refcount ${cs.refcount}, but ${refs} tasks`));
  if (cs.refcount === 0 && cs.id !== s.cg.initCssSet) out.push(violation('css-set', subject, 'unreferenced css_set not freed'));
}

/** Key and table entry of `cs`; returns the hash of its content. */
function contentViolations(s: KernelState, cs: CssSet, out: Violation[]): string {
  const w = s.cg;
  const hash = cssSetHash(cs.cgroups, cssFor(w, cs.cgroups));
  if (hash !== cs.key) out.push(violation('css-set', `css_set ${cs.id}`, 'key is not the hash of its content'));
  if (w.cssSetTable.get(cs.key) !== cs.id) out.push(violation('css-set', `css_set ${cs.id}`, 'not in the table under its key'));
  return hash;
}

/** Whether a css_set before `cs` (table order) has content hashing to `hash` (taken from its key). */
function sameContentAsEarlier(all: Iterable<CssSet>, cs: CssSet, hash: string): boolean {
  for (const other of all) {
    if (other === cs) return false;
    if (other.key === hash) return true;
  }
  return false;
}

/** `cs`'s links to cgroups that do not exist (only into hierarchies `only`, when given). */
function missingCgroups(s: KernelState, cs: CssSet, only: readonly string[] | null, out: Violation[]): void {
  for (const [hn, path] of cs.cgroups) {
    if (only && !only.includes(hn)) continue;
    if (!s.cg.hierarchies.get(hn)?.cgroups.has(path)) out.push(violation('css-set', `css_set ${cs.id}`, `points at missing cgroup ${hn}:${path}`));
  }
}

function tableSize(s: KernelState, out: Violation[]): void {
  if (s.cg.cssSetTable.size !== s.cg.cssSets.size) out.push(violation('css-set', 'css_set table', 'table and css_sets differ in size'));
}

/** subsys-slots (reference: Invariants and postconditions). */
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
  /** Slots change only by register, load, unload, mount and umount, which are checked in full. */
  checkTouched: () => [],
};

/** The env of the registered cpuset subsystem, or null (the cpuset invariants then have nothing to check). */
function cpusetEnv(s: KernelState, v: SemanticVersion): SubsysEnv | null {
  const slot = findSlot(s.cg, 'cpuset');
  return slot ? subsysEnv(s.cg, s.config, v, slot.name, hierarchyOfSlot(s.cg, slot)) : null;
}

/** cpuset-subset (reference: Invariants and postconditions). */
const cpusetSubset: Invariant = {
  id: 'cpuset-subset',
  description: "every cpuset's cpus/mems ⊆ its parent's, and its exclusive flags imply its parent's",
  checkTouched: (s, v, touched) => (cpusetTouched(s, touched) ? cpusetSubset.check(s, v, undefined) : []),
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

/** cpuset-exclusive (reference: Invariants and postconditions). */
const cpusetExclusive: Invariant = {
  id: 'cpuset-exclusive',
  description: 'no two sibling cpusets overlap where either is exclusive for that resource',
  checkTouched: (s, v, touched) => (cpusetTouched(s, touched) ? cpusetExclusive.check(s, v, undefined) : []),
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

/** Whether the event added a cpuset or changed cpuset settings (mkdir, a write to a subsystem file, in the cpuset hierarchy). */
function cpusetTouched(s: KernelState, touched: Touched): boolean {
  if (touched.hierarchies.length === 0 && touched.settings.length === 0) return false;
  const slot = findSlot(s.cg, 'cpuset');
  if (slot === undefined) return false;
  const name = hierarchyOfSlot(s.cg, slot).name;
  return touched.hierarchies.includes(name) || touched.settings.includes(name);
}

const allOnline = (xs: readonly number[], on: ReadonlySet<number>): boolean => xs.length > 0 && xs.every((x) => on.has(x));

/**
 * Whether the effective cpus and mems of a task in cpuset `cg` (null: no cpuset subsystem, or in
 * none) are non-empty and online; `memo` keeps the answer per cgroup.
 */
function effectiveOnline(s: KernelState, env: SubsysEnv | null, cg: Cgroup | null, memo: Map<Cgroup | null, boolean>): boolean {
  let ok = memo.get(cg);
  if (ok !== undefined) return ok;
  const cpus = env && cg ? guaranteeOnline(env, cg, 'cpus') : [...s.cg.cpusOnline];
  const mems = env && cg ? guaranteeOnline(env, cg, 'mems') : [...s.cg.memsOnline];
  ok = allOnline(cpus, s.cg.cpusOnline) && allOnline(mems, s.cg.memsOnline);
  memo.set(cg, ok);
  return ok;
}

function emptyCpuset(env: SubsysEnv, cg: Cgroup, out: Violation[]): void {
  const cs = cpusetOf(env, cg);
  if (cg.taskCount > 0 && (cs.cpus.length === 0 || cs.mems.length === 0)) {
    out.push(violation('cpuset-nonempty', cgroupName(env.hierarchy, cg), 'cpuset with tasks has no cpus or no mems'));
  }
}

function taskNonempty(s: KernelState, env: SubsysEnv | null, t: Task, memo: Map<Cgroup | null, boolean>, out: Violation[]): void {
  const cg = env ? taskCgroupIn(s.cg, env.hierarchy, t) : null;
  if (!effectiveOnline(s, env, cg, memo)) out.push(violation('cpuset-nonempty', `task ${t.pid}`, 'effective cpus or mems empty or offline'));
}

/** cpuset-nonempty (reference: Invariants and postconditions). */
const cpusetNonempty: Invariant = {
  id: 'cpuset-nonempty',
  description: 'every cpuset with live tasks has non-empty cpus and mems (2009); every live task\'s effective cpus and mems are non-empty and online (both)',
  check: (s, v) => {
    const env = cpusetEnv(s, v);
    const out: Violation[] = [];
    if (env && v.emptyWithTasks === 'ENOSPC') for (const cg of env.hierarchy.cgroups.values()) emptyCpuset(env, cg, out);
    const memo = new Map<Cgroup | null, boolean>();
    for (const t of s.tasks.values()) if (t.state !== 'zombie') taskNonempty(s, env, t, memo, out);
    return out;
  },
  /**
   * In full after a change to the cpuset hierarchy; else the touched live tasks and their cpusets.
   * The answer per cpuset (`effectiveOnline`) depends on its and its ancestors' settings and on the
   * online sets, which only those changes and wholesale ops (hotplug, mount, ...) change: it is kept
   * from event to event (`touched.online`), and dropped then.
   */
  checkTouched: (s, v, touched) => {
    if (cpusetTouched(s, touched)) {
      touched.online = null;
      return cpusetNonempty.check(s, v, undefined);
    }
    const out: Violation[] = [];
    // Looked up at the first task whose css_set changed: most events move none.
    let kept: EffectiveOnline | null = null;
    const seen: Cgroup[] = [];
    const cpuset = (env: SubsysEnv | null, cs: CssSet | null): void => {
      const path = cs && env && v.emptyWithTasks === 'ENOSPC' ? cs.cgroups.get(env.hierarchy.name) : undefined;
      const cg = path === undefined || !env ? undefined : env.hierarchy.cgroups.get(path);
      if (env && cg && !seen.includes(cg)) {
        seen.push(cg);
        emptyCpuset(env, cg, out);
      }
    };
    // Only a task whose css_set changed can change its cpuset, or its cpusets' task counts.
    cssSetMoves(s, touched, (before, after, pid) => {
      kept ??= keptOnline(s, v, touched);
      cpuset(kept.env, before);
      cpuset(kept.env, after);
      const t = s.tasks.get(pid);
      if (t && t.state !== 'zombie') taskNonempty(s, kept.env, t, kept.byCgroup, out);
    });
    return out;
  },
};

/** cpuset-nonempty's kept answers for `s` (`touched.online`), made when missing. */
function keptOnline(s: KernelState, v: SemanticVersion, touched: Touched): EffectiveOnline {
  let kept = touched.online;
  if (kept === null || kept.s !== s) touched.online = kept = { s, env: cpusetEnv(s, v), byCgroup: new Map() };
  return kept;
}

export const CGROUP_INVARIANTS: Invariant[] = [cgroupTree, cssSetInv, subsysSlots, cpusetSubset, cpusetExclusive, cpusetNonempty];
