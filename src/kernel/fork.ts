import { cgroupFork } from '../cgroup/hooks.js';
import { takeInjection } from '../cgroup/inject.js';
import type { Ctx, TaskHandler } from '../reducer/context.js';
import { errOf, type Failure, failure, ok, type Result, success } from '../reducer/outcome.js';
import { newTask } from '../state/boot.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { allocVpid } from '../vpid/map.js';
import type { Vps } from '../vpid/types.js';
import { VPID_DIV } from '../vpid/types.js';
import { pidToView } from '../vpid/view.js';
import { allocPidmap, checkForcedPid } from './pidmap.js';
import { allocPidNs, attachPidNs, checkForcedNr, copyPidNs, pidNsForChildren, taskActivePidNs } from './pidns.js';
import { ROOT_PIDNS } from './pidns-types.js';
import { hashTask, unhashTask } from './tasklist.js';
import { currentThread } from './thread-group.js';
import { liveVpsInit, vpsOf } from './vpsinit.js';

export interface ForkOptions {
  pid?: number;
  node?: number;
  vpid?: number;
  vps?: Vps;
  newSession?: boolean;
  /** clone(CLONE_NEWPID): the child starts a new pid namespace (reference: pid namespaces). */
  newpid?: boolean;
}

/** Whether cluster node `node` exists and is up (reference: migrate; also fork's `node`, `rfork`). */
export const nodeUp = (s: KernelState, node: number): boolean => node >= 0 && node < s.nodesUp.length && s.nodesUp[node] === true;

/** The child `task_struct` (`dup_task_struct` + `copy_signal`/`copy_sighand`): copies of the caller's ids and dispositions. */
function dupTask(parent: Task, pid: number, opts: ForkOptions, vps: Vps | undefined): Task {
  const leader = opts.newSession === true;
  const child = newTask({
    pid,
    parent: parent.pid,
    pgid: leader ? pid : parent.pgid,
    sid: leader ? pid : parent.sid,
    node: opts.node ?? parent.node,
    vps: vps?.id ?? 0,
    cssSet: parent.cssSet,
  });
  // Most tasks have no non-default disposition: the child keeps newTask's empty map.
  for (const [sig, action] of parent.dispositions) child.dispositions.set(sig, action);
  return child;
}

/**
 * `copy_process` after the syscall's argument checks (reference: fork order): injected `fork` fault
 * (before allocation, like a failed `dup_task_struct`), `copy_pid_ns` (EINVAL, ENOSPC), `alloc_pidmap`
 * (EAGAIN; sets `last`, which stays on a later failure), the numbers below the root (ENOMEM in a
 * namespace whose init died), `alloc_vpid` when the child is in a VPS, then `cgroup_fork` with the
 * child already hashed; a cgroup failure unhashes it, which frees its pid and vpid again.
 */
export function copyProcess(ctx: Ctx, parent: Task, opts: ForkOptions): Result<Task> {
  const s = ctx.s;
  const injected = takeInjection(ctx, 'fork', null);
  if (injected) return failure(injected, 'injected', 'fork');
  // the forking thread's pid_for_children (each thread has its own nsproxy)
  const nsPlan = copyPidNs(s, ctx.v, currentThread(ctx, parent), opts.newpid === true);
  if (!nsPlan.ok) return nsPlan;
  // a forced pid names the child's innermost number: the global pid at the root, else one below it
  const innerForced = opts.pid !== undefined && (nsPlan.value.create || nsPlan.value.ns !== ROOT_PIDNS);
  let pid: number;
  if (opts.pid !== undefined && !innerForced) {
    pid = opts.pid;
    s.last = pid;
  } else {
    const r = allocPidmap(ctx);
    if (!r.ok) return r;
    pid = r.value;
  }
  const nsNumbers = allocPidNs(s, nsPlan.value, innerForced ? opts.pid : undefined, taskActivePidNs(s, parent.pid));
  if (!nsNumbers.ok) return nsNumbers;
  const vps = opts.vps ?? vpsOf(s, parent);
  if (vps) {
    ctx.record.vps(vps.id);
    const isInit = opts.vpid === 1 && liveVpsInit(s, vps) === undefined;
    const v = allocVpid(ctx, vps, pid, opts.vpid, isInit);
    if (!v.ok) return v;
  }
  const child = dupTask(parent, pid, opts, vps);
  // dup_task_struct copies the forking thread's cpus_mask (6.x dup_user_cpus_ptr the request)
  const self = currentThread(ctx, parent);
  if (self.affinity) child.affinity = [...self.affinity];
  hashTask(ctx, child);
  // `cgroup_fork`: the css_set of the forking thread, which may be in other cgroups than its leader.
  const cg = cgroupFork(ctx, currentThread(ctx, parent), child);
  if (!cg.ok) {
    unhashTask(ctx, child);
    return cg;
  }
  // Nothing may fail below here.
  attachPidNs(ctx, child, nsNumbers.value);
  return success(child);
}

/** `fork.vpid` (reference: fork): only inside a VPS, and only 1 or a number with the VPID bit below pid_max. */
function checkVpidRequest(s: KernelState, caller: Task, vpid: number): Failure | null {
  if (caller.vps === 0 || !s.vpses.has(caller.vps)) return failure('EINVAL', 'fork-vpid-outside-vps', caller.pid, vpid);
  if (vpid !== 1 && ((vpid & VPID_DIV) === 0 || vpid < 0 || vpid >= s.config.pidMax)) return failure('EINVAL', 'fork-vpid-invalid', vpid, s.config.pidMax);
  return null;
}

/**
 * The syscall's own checks, in reference: fork order: `node`, `pid`, `vpid`. `node` (seed 002's rfork)
 * and `vpid` (seed 004) are ENOSYS under a version without that mechanism (`linux-6`).
 */
function checkForkArgs(s: KernelState, v: SemanticVersion, caller: Task, thread: Task, ev: { pid?: number; vpid?: number; node?: number; newpid?: boolean }): Failure | null {
  if (ev.node !== undefined && !v.cluster) return failure('ENOSYS', 'no-cluster');
  if (ev.vpid !== undefined && !v.vps) return failure('ENOSYS', 'no-vps');
  if (ev.node !== undefined && !nodeUp(s, ev.node)) return failure('EINVAL', 'node-not-up', ev.node);
  if (ev.pid !== undefined) {
    // clone3 `set_tid`: the number in the child's innermost pid namespace (6.x alloc_pid)
    const create = ev.newpid === true && v.newpidFlag === 'new-namespace';
    const ns = pidNsForChildren(s, thread.pid);
    const e = create ? checkForcedNr(s, null, ev.pid) : ns === ROOT_PIDNS ? checkForcedPid(s, ev.pid) : checkForcedNr(s, ns, ev.pid);
    if (e) return e;
  }
  if (ev.vpid !== undefined) return checkVpidRequest(s, caller, ev.vpid);
  return null;
}

/** `fork {by, pid?, vpid?, node?}` (`do_fork`, seed 002's rfork for `node`): the child's pid in the caller's view. */
export const sysFork: TaskHandler<'fork'> = (ctx, ev, caller) => {
  const e = checkForkArgs(ctx.s, ctx.v, caller, currentThread(ctx, caller), ev);
  if (e) return errOf(e);
  const opts: ForkOptions = {};
  if (ev.pid !== undefined) opts.pid = ev.pid;
  if (ev.vpid !== undefined) opts.vpid = ev.vpid;
  if (ev.node !== undefined) opts.node = ev.node;
  if (ev.newpid === true) opts.newpid = true;
  const r = copyProcess(ctx, caller, opts);
  return r.ok ? ok(pidToView(ctx.s, caller, r.value.pid)) : errOf(r);
};
