import type { Ctx } from '../reducer/context.js';
import { type Failure, failure, type Result, success } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import { isAlive, type Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { MAX_PID_NS_LEVEL, type PidNamespace, ROOT_PIDNS, type Upids } from './pidns-types.js';

/**
 * Pid namespaces (reference: pid namespaces), after 6.x kernel/pid.c (`alloc_pid`, `free_pid`,
 * `pid_nr_ns`, `find_pid_ns`, `task_active_pid_ns`) and kernel/pid_namespace.c
 * (`create_pid_namespace`, `copy_pid_ns`, `pidns_install`, `zap_pid_ns_processes`). The root
 * namespace numbers every task with its global pid; a namespace below it is a `PidNamespace`,
 * and a number allocated there has a number at every level (`Upids`). While no namespace exists
 * every function here answers as if the machine had only the root one.
 */

/** `task_active_pid_ns`: the namespace of the task's own deepest number. */
export function taskActivePidNs(s: KernelState, pid: number): number {
  const u = s.pidns.upids.get(pid);
  return u ? (u.nss[u.nss.length - 1] as number) : ROOT_PIDNS;
}

/** A namespace's level: the root's is `config.rootPidNsLevel`. */
export function pidNsLevel(s: KernelState, ns: number): number {
  return ns === ROOT_PIDNS ? s.config.rootPidNsLevel : (s.pidns.spaces.get(ns) as PidNamespace).level;
}

/** `nsproxy->pid_ns_for_children`: where the task's next child gets its pid. */
export const pidNsForChildren = (s: KernelState, pid: number): number => s.pidns.forChildren.get(pid) ?? taskActivePidNs(s, pid);

/**
 * `pid_nr_ns` (6.x kernel/pid.c): global number `n` as namespace `ns` numbers it, 0 when `n` has
 * no number there (its namespace is not `ns` nor below it).
 */
export function pidNrNs(s: KernelState, n: number, ns: number): number {
  if (ns === ROOT_PIDNS) return n;
  const u = s.pidns.upids.get(n);
  if (!u) return 0;
  const i = pidNsLevel(s, ns) - s.config.rootPidNsLevel - 1;
  return u.nss[i] === ns ? (u.nrs[i] as number) : 0;
}

/** `find_pid_ns`: the global number namespace `ns` numbers `nr`, or null. */
export function findPidNs(s: KernelState, nr: number, ns: number): number | null {
  if (ns === ROOT_PIDNS) return nr;
  return s.pidns.spaces.get(ns)?.nrs.get(nr) ?? null;
}

/** Whether `t` is the init (`child_reaper`) of a namespace below the root. */
export function isPidNsInit(s: KernelState, t: Task): boolean {
  const ns = taskActivePidNs(s, t.pid);
  return ns !== ROOT_PIDNS && s.pidns.spaces.get(ns)?.reaper === t.pid;
}

/**
 * `find_child_reaper` (6.x kernel/exit.c) for the children of exiting `t`: the init of `t`'s
 * namespace, or, for that init itself, the init of the nearest namespace above that still lives;
 * undefined when that is the root namespace (whose reaper is global init).
 */
export function pidNsChildReaper(s: KernelState, t: Task): Task | undefined {
  for (let ns = taskActivePidNs(s, t.pid); ns !== ROOT_PIDNS; ) {
    const space = s.pidns.spaces.get(ns) as PidNamespace;
    const r = space.reaper === t.pid ? undefined : s.tasks.get(space.reaper);
    if (r && isAlive(r)) return r;
    ns = space.parent;
  }
  return undefined;
}

/**
 * Whether a task other than `init` whose active namespace is `init`'s or below it is still in the
 * task table: until none is, the init's zombie cannot be reported (`zap_pid_ns_processes` waits
 * until `pid_allocated` is down to its own pids). A full scan, run only while such an init is a zombie.
 */
export function pidNsHasOtherTasks(s: KernelState, init: Task): boolean {
  const ns = taskActivePidNs(s, init.pid);
  for (const t of s.tasks.values()) if (t.pid !== init.pid && pidNrNs(s, t.pid, ns) !== 0) return true;
  return false;
}

/**
 * The zombie init of the innermost namespace of `t` (other than `t`) that waits in
 * `zap_pid_ns_processes` for its members to be reaped: releasing `t` may make it reportable.
 */
export function pidNsInitWaiting(s: KernelState, t: Task): Task | undefined {
  for (let ns = taskActivePidNs(s, t.pid); ns !== ROOT_PIDNS; ) {
    const space = s.pidns.spaces.get(ns) as PidNamespace;
    const init = space.reaper === t.pid ? undefined : s.tasks.get(space.reaper);
    if (init && init.state === 'zombie') return init;
    ns = space.parent;
  }
  return undefined;
}

/** The namespace a fork of `parent` allocates in, and whether it is new (`copy_pid_ns` result). */
export interface PidNsPlan {
  /** The namespace the child's pid comes from: an existing one, or the parent of the new one. */
  ns: number;
  create: boolean;
}

/**
 * `copy_namespaces` → `copy_pid_ns` → `create_pid_namespace` (6.x kernel/pid_namespace.c), the
 * checks a fork makes before `alloc_pid`: a new namespace only from a task whose pid_for_children
 * is its active one (EINVAL), and at most MAX_PID_NS_LEVEL deep (ENOSPC). Under a version whose
 * kernel does not know CLONE_NEWPID (2.6.18) the flag is ignored, as `copy_process` ignored it.
 */
export function copyPidNs(s: KernelState, v: SemanticVersion, parent: Task, newpid: boolean): Result<PidNsPlan> {
  const ns = pidNsForChildren(s, parent.pid);
  if (!newpid || v.newpidFlag === 'unknown') return success({ ns, create: false });
  const e = checkNewPidNs(s, parent);
  return e ?? success({ ns, create: true });
}

/** The two refusals of `copy_pid_ns` + `create_pid_namespace`, shared by clone and unshare. */
export function checkNewPidNs(s: KernelState, caller: Task): Failure | null {
  const ns = pidNsForChildren(s, caller.pid);
  if (ns !== taskActivePidNs(s, caller.pid)) return failure('EINVAL', 'pidns-for-children-differs', caller.pid);
  const level = pidNsLevel(s, ns) + 1;
  if (level > MAX_PID_NS_LEVEL) return failure('ENOSPC', 'pidns-too-deep', level);
  return null;
}

/**
 * A forced number below the root (clone3's `set_tid` of one number, 6.x kernel/pid.c `alloc_pid`):
 * it is the child's number in its innermost namespace `ns`, checked there before any number is
 * taken: 1 up to pid_max (EINVAL), not other than 1 while the namespace has no init yet (EINVAL),
 * (a namespace whose init died still has its `child_reaper`: the fork fails later, ENOMEM), and
 * free (`idr_alloc` ENOSPC, returned as EEXIST).
 */
export function checkForcedNr(s: KernelState, ns: number | null, nr: number): Failure | null {
  if (nr < 1 || nr >= s.config.pidMax) return failure('EINVAL', 'fork-pid-range', nr, s.config.pidMax);
  const space = ns === null ? undefined : s.pidns.spaces.get(ns);
  // `!tmp->child_reaper`: a namespace whose init has died still names it (alloc_pid's ENOMEM follows)
  if (nr !== 1 && (space === undefined || (space.reaper === 0 && space.adding))) return failure('EINVAL', 'fork-pid-no-init', nr);
  if (space?.nrs.has(nr)) return failure('EEXIST', 'fork-pid-in-use', nr);
  return null;
}

/** `idr_alloc_cyclic` of one namespace, as `alloc_pid` calls it: after the cursor, wrapping to 1 (RESERVED_PIDS once the cursor passed it). */
function allocNr(s: KernelState, space: PidNamespace): number {
  const { pidMax, reservedPids } = s.config;
  const min = space.last >= reservedPids ? reservedPids : 1;
  for (let c = Math.max(space.last + 1, min), tries = pidMax; tries > 0; tries--, c++) {
    if (c >= pidMax) c = min;
    if (!space.nrs.has(c)) return c;
  }
  return 0;
}

/** The numbers a new task gets below the root, worked out before anything changes. */
export interface PidNsNumbers {
  plan: PidNsPlan;
  upids: Upids;
  /**
   * A namespace whose cursor the fork leaves where it was: the one a forced number was taken in
   * (`idr_alloc`, not `idr_alloc_cyclic`) when it is not the forking task's own, whose cursor
   * alone `ns_last_pid` sets; null for none.
   */
  keepCursor: number | null;
}

/**
 * `alloc_pid` (6.x kernel/pid.c) below the root, after the root number is taken: a number at every
 * level from the innermost namespace out (1 in a new namespace), then ENOMEM when the innermost
 * namespace no longer accepts tasks (its init died: PIDNS_ADDING is clear). `forced` is a number
 * checkForcedNr accepted for the innermost namespace. The root number's
 * cursor has moved by then (reference: Outcomes, `allocates`); the other cursors move only on success.
 */
export function allocPidNs(s: KernelState, plan: PidNsPlan, forced?: number, forkerNs: number = ROOT_PIDNS): Result<PidNsNumbers> {
  const upids: Upids = { nss: [], nrs: [] };
  for (let ns = plan.ns; ns !== ROOT_PIDNS; ) {
    const space = s.pidns.spaces.get(ns) as PidNamespace;
    // a forced number (checkForcedNr) is the innermost one of an existing namespace
    const nr = forced !== undefined && !plan.create && ns === plan.ns ? forced : allocNr(s, space);
    if (nr === 0) return failure('EAGAIN', 'pidmap-full', s.config.pidMax);
    upids.nss.unshift(ns);
    upids.nrs.unshift(nr);
    ns = space.parent;
  }
  if (!plan.create && plan.ns !== ROOT_PIDNS && !(s.pidns.spaces.get(plan.ns) as PidNamespace).adding) return failure('ENOMEM', 'pidns-dead', plan.ns);
  return success({ plan, upids, keepCursor: forced !== undefined && !plan.create && plan.ns !== forkerNs ? plan.ns : null });
}

/** `create_pid_namespace`: a new, empty namespace below `parent` that accepts tasks. */
export function createPidNamespace(s: KernelState, parent: number): PidNamespace {
  const space: PidNamespace = { id: s.pidns.nextId++, level: pidNsLevel(s, parent) + 1, parent, reaper: 0, adding: true, last: 0, nrs: new Map() };
  s.pidns.spaces.set(space.id, space);
  return space;
}

/**
 * The commit of `alloc_pid` + `copy_process`'s `is_child_reaper`: the child's numbers enter every
 * namespace's idr, and the task numbered 1 becomes its namespace's `child_reaper`.
 */
export function attachPidNs(ctx: Ctx, child: Task, n: PidNsNumbers): void {
  const s = ctx.s;
  const { nss, nrs } = n.upids;
  if (n.plan.create) {
    const space = createPidNamespace(s, n.plan.ns);
    nss.push(space.id);
    nrs.push(1);
  }
  if (nss.length === 0) return;
  ctx.record.number(child.pid);
  for (let i = 0; i < nss.length; i++) {
    const space = s.pidns.spaces.get(nss[i] as number) as PidNamespace;
    const nr = nrs[i] as number;
    space.nrs.set(nr, child.pid);
    if (nss[i] !== n.keepCursor) space.last = nr;
    if (nr === 1 && space.reaper === 0) space.reaper = child.pid;
  }
  s.pidns.upids.set(child.pid, { nss, nrs });
}

/**
 * `free_pid` below the root: the last hold on global number `n` is gone, so are its numbers in
 * every namespace. A namespace whose init it was keeps no reaper (its `child_reaper` pointed at
 * the task, not at the number, which a later task may get).
 */
export function freePidNs(s: KernelState, n: number): void {
  const u = s.pidns.upids.get(n);
  if (!u) return;
  s.pidns.upids.delete(n);
  for (let i = 0; i < u.nss.length; i++) {
    const space = s.pidns.spaces.get(u.nss[i] as number);
    if (!space) continue;
    space.nrs.delete(u.nrs[i] as number);
    if (space.reaper === n) space.reaper = 0;
  }
}

/** `exit_task_namespaces`: an exiting task drops its pid_for_children. */
export function exitTaskPidNs(s: KernelState, t: Task): void {
  s.pidns.forChildren.delete(t.pid);
}

/** `disable_pid_allocation` (6.x kernel/pid.c), the first thing `zap_pid_ns_processes` does. */
export function disablePidAllocation(s: KernelState, init: Task): void {
  const space = s.pidns.spaces.get(taskActivePidNs(s, init.pid));
  if (space) space.adding = false;
}

/**
 * `zap_pid_ns_processes` (6.x kernel/pid_namespace.c) when the init of a namespace exits: no task
 * may join any more, then every other live task of the namespace and of the namespaces below
 * (every task it numbers) is SIGKILLed, in ascending number order of the namespace. `kill` runs
 * their exit processing (src/kernel/exit.ts passes `doExit`), and the init reaps its zombie children
 * (`reap` releases one if wait could report it, and says whether it did).
 */
export function zapPidNsProcesses(ctx: Ctx, init: Task, kill: (t: Task) => void, reap: (t: Task) => boolean): void {
  const s = ctx.s;
  disablePidAllocation(s, init);
  const space = s.pidns.spaces.get(taskActivePidNs(s, init.pid)) as PidNamespace;
  const victims = [...space.nrs.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
  for (const g of victims) {
    const t = s.tasks.get(g);
    if (t && t !== init && isAlive(t)) kill(t);
  }
  // `kernel_wait4(-1)` until ECHILD: a zombie init below becomes reapable once its own members are gone.
  for (let progress = true; progress; ) {
    progress = false;
    for (const pid of [...init.children]) {
      const c = s.tasks.get(pid);
      if (c && c.state === 'zombie' && (c.tracer === 0 || c.tracer === init.pid) && reap(c)) progress = true;
    }
  }
}

/** Sets the caller's pid_for_children (unshare or setns); kept only where it differs from the active namespace. */
export function setPidNsForChildren(s: KernelState, t: Task, ns: number): void {
  if (ns === taskActivePidNs(s, t.pid)) s.pidns.forChildren.delete(t.pid);
  else s.pidns.forChildren.set(t.pid, ns);
}
