/**
 * Pid namespaces as the reducer keeps them (6.x include/linux/pid_namespace.h, include/linux/pid.h).
 * The root namespace (id 0, level `config.rootPidNsLevel`) numbers every task with its global pid,
 * as before namespaces existed; a task in a namespace below it also has a number at every level
 * down to its own (`struct pid`'s `numbers[]`, `struct upid`). Mainline 2.6.18 had none of this
 * (pid namespaces arrived in 2.6.24): under the seed-era versions the world stays empty.
 */
export interface PidNamespace {
  /** Creation order, 1 up; 0 is the root namespace. */
  id: number;
  level: number;
  /** The parent namespace's id. */
  parent: number;
  /** Global pid of `child_reaper` (the task numbered 1 in it), 0 before its first task and once that init was reaped. */
  reaper: number;
  /** `PIDNS_ADDING` of `pid_allocated`: cleared by `disable_pid_allocation` when its init dies. */
  adding: boolean;
  /** The cursor of its `idr_alloc_cyclic` (the last number handed out). */
  last: number;
  /** Its idr: number in this namespace -> global number. */
  nrs: Map<number, number>;
}

/** A number's upids below the root, index 0 at level root + 1: namespace ids and numbers. */
export interface Upids {
  nss: number[];
  nrs: number[];
}

export interface PidNsWorld {
  /** Every namespace below the root by id (the root itself is implicit). */
  spaces: Map<number, PidNamespace>;
  /** Global number -> its numbers below the root; absent for a number of the root namespace only. */
  upids: Map<number, Upids>;
  /** Global pid -> `nsproxy->pid_ns_for_children`, only where it differs from the task's active namespace. */
  forChildren: Map<number, number>;
  /** The id the next namespace gets. */
  nextId: number;
}

/** The root namespace's id. */
export const ROOT_PIDNS = 0;
/** MAX_PID_NS_LEVEL (6.x include/linux/pid_namespace.h). */
export const MAX_PID_NS_LEVEL = 32;

export const emptyPidNsWorld = (): PidNsWorld => ({ spaces: new Map(), upids: new Map(), forChildren: new Map(), nextId: 1 });
