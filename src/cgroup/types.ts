/** Per-cgroup state of one subsystem; the core stores it and never looks inside (reference: mkdir). */
export type SubsysState = unknown;

/** One cgroup (a `struct container` / `struct cgroup`). */
export interface Cgroup {
  /** Absolute path, "/" for the root. */
  path: string;
  /** Parent's path; null for a hierarchy's root (the top container / top cgroup). */
  parent: string | null;
  /** Child paths, sorted (iteration never depends on creation history). */
  children: string[];
  notifyOnRelease: boolean;
  /** `CGRP_CPUSET_CLONE_CHILDREN` (6.x `cgroup.clone_children`): inherited by new children; cpuset copies the parent's masks into them. */
  cloneChildren: boolean;
  /** `CGRP_RELEASABLE`: a task or child has left it once (2.6.33; read by `debug.releasable`). */
  releasable: boolean;
  /** Live tasks in this cgroup. */
  taskCount: number;
  /** Subsystem name -> that subsystem's state for this cgroup (its css). */
  subsys: Map<string, SubsysState>;
}

/** A mounted hierarchy (or, in 2009, the dummy root that holds unbound subsystems). */
export interface Hierarchy {
  name: string;
  /** Bound subsystems in call order (reference: mkdir). */
  subsystems: string[];
  noprefix: boolean;
  releaseAgent: string;
  cgroups: Map<string, Cgroup>;
}

/** A registered subsystem in its slot (`subsys[]` / `cgroup_subsys[]`). */
export interface SubsysSlot {
  name: string;
  id: number;
  builtin: boolean;
  /** Name of the hierarchy it is bound to; null for the dummy root (2009 unbound). */
  hierarchy: string | null;
}

/** A css_set: the cgroup of every hierarchy (and so the css of every subsystem) a group of tasks shares. */
export interface CssSet {
  id: number;
  /** Hash of the content; the table key (reference: mount). */
  key: string;
  refcount: number;
  /** Hierarchy name -> cgroup path. */
  cgroups: Map<string, string>;
  /** Subsystem slot id -> `hierarchy:path` of its css (the dummy root is `:/`). */
  css: Map<number, string>;
  /** index: pids of the tasks using it (2.6.33 `css_set.tasks`, the list `cgroup_iter` walks). */
  tasks: Set<number>;
}

export type InjectPoint = 'create' | 'can_attach' | 'fork';
export interface Injection {
  point: InjectPoint;
  subsys: string | null;
  err: string;
  count: number;
}

/** Everything the cgroup layer keeps (reference: Operations). */
export interface CgroupWorld {
  hierarchies: Map<string, Hierarchy>;
  /** The dummy root of 2009 (`rootnode`): holds the top css of every unbound subsystem. */
  dummy: Hierarchy;
  slots: (SubsysSlot | null)[];
  cssSets: Map<number, CssSet>;
  /** css_set table: content hash -> css_set id. */
  cssSetTable: Map<string, number>;
  nextCssSetId: number;
  /** `init_css_set`: never freed, even at refcount 0. */
  initCssSet: number;
  cpusOnline: Set<number>;
  memsOnline: Set<number>;
}

/** A task's css_set id once it has left every cgroup (a zombie, reference: Invariants and postconditions cgroup-tree). */
export const NO_CSS_SET = 0;
