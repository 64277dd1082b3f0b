import type { Ctx, TaskHandler } from '../reducer/context.js';
import { errOf, type Failure, failure, isFailure, err, ok } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { isVisible, pidToView, viewToPid } from '../vpid/view.js';
import { changePgrp } from './tasklist.js';
import { groupLeader, isThread } from './thread-group.js';
import { isGlobalInit, isVpsInit } from './vpsinit.js';

/**
 * A pid argument that names a task (`find_task_by_pid` in the caller's view): 0 (or absent) is the
 * caller; a number the caller cannot see names nothing (reference: Modelling simplifications).
 */
export function findTaskByVpid(s: KernelState, caller: Task, pid: number | undefined): Task | undefined {
  const t = findThreadByVpid(s, caller, pid);
  return t && groupLeader(s, t);
}

/** The task a pid names, a non-leader thread included (`find_task_by_vpid` itself); findTaskByVpid gives its process. */
export function findThreadByVpid(s: KernelState, caller: Task, pid: number | undefined): Task | undefined {
  if (pid === undefined || pid === 0) return caller;
  if (pid < 0) return undefined;
  const g = viewToPid(s, caller, pid);
  const t = g === null ? undefined : s.tasks.get(g);
  return t && isVisible(s, caller, t) ? t : undefined;
}

/** Whether some task of session `sid` has pgid `pgid` (`find_task_by_pid_type(PIDTYPE_PGID)` + session check). */
function pgrpInSession(s: KernelState, pgid: number, sid: number): boolean {
  const members = s.pgrps.get(pgid);
  if (!members) return false;
  for (const pid of members) if (s.tasks.get(pid)?.sid === sid) return true;
  return false;
}

/**
 * The checks of 2.6.18 `sys_setpgid` in their order (seed 002 H.1); the target's new pgid, or an
 * errno. `sys_setpgid` turns pid 0 into the caller's pid and then pgid 0 into the pid *before* its
 * `pgid < 0` check, so `setpgid(-1, 0)` is EINVAL, not ESRCH (2.6.18 to 6.18 alike).
 */
function checkSetpgid(s: KernelState, caller: Task, pid: number, pgidArg: number): { target: Task; pgid: number } | Failure {
  const pgidAsGiven = pgidArg === 0 ? pid : pgidArg;
  if (pgidAsGiven < 0) return failure('EINVAL', 'setpgid-negative', pgidAsGiven);
  const named = findThreadByVpid(s, caller, pid);
  if (!named) return failure('ESRCH', 'no-such-task', pid);
  // 6.x `sys_setpgid`: `if (!thread_group_leader(p)) goto out` with EINVAL, right after the lookup.
  if (isThread(named)) return failure('EINVAL', 'setpgid-thread', pid);
  const target = named;
  if (target.parent === caller.pid) {
    if (target.sid !== caller.sid) return failure('EPERM', 'setpgid-other-session', pid, caller.pid);
    if (target.execd) return failure('EACCES', 'setpgid-execd', pid);
  } else if (target !== caller) return failure('ESRCH', 'setpgid-not-child', pid, caller.pid);
  if (target.sid === target.pid) return failure('EPERM', 'setpgid-leader', pid);
  if (pgidArg === 0) return { target, pgid: target.pid };
  const pgid = viewToPid(s, caller, pgidArg);
  if (pgid === null) return failure('EPERM', 'setpgid-pgid-invisible', pgidArg);
  if (pgid !== target.pid && !pgrpInSession(s, pgid, caller.sid)) return failure('EPERM', 'setpgid-pgid-elsewhere', pgidArg, pidToView(s, caller, caller.sid));
  return { target, pgid };
}

/** `setpgid {by, pid, pgid}` (reference: setpgid). */
export const sysSetpgid: TaskHandler<'setpgid'> = (ctx, ev, caller) => {
  const r = checkSetpgid(ctx.s, caller, ev.pid, ev.pgid);
  if (isFailure(r)) return errOf(r);
  // Nothing may fail below here.
  if (r.target.pgid !== r.pgid) changePgrp(ctx, r.target, r.pgid, r.target.sid);
  return ok(0);
};

/** `setsid {by}` (2.6.18 `sys_setsid`): the caller leads a new session and pgrp; returns the sid. */
export const sysSetsid: TaskHandler<'setsid'> = (ctx, _ev, caller) => {
  const s = ctx.s;
  if (caller.sid === caller.pid) return err('EPERM', 'setsid-leader', caller.pid);
  if (caller.pid > 1 && s.pgrps.has(caller.pid)) return err('EPERM', 'setsid-pgrp-exists', caller.pid);
  // Nothing may fail below here.
  changePgrp(ctx, caller, caller.pid, caller.pid);
  return ok(pidToView(s, caller, caller.pid));
};

export const sysGetpid: TaskHandler<'getpid'> = (ctx, _ev, caller) => ok(pidToView(ctx.s, caller, caller.pid));

/**
 * `getppid` (seed 004 `get_task_ppid`): 0 for global init and for a VPS init; a parent outside the
 * caller's VPS shows its global pid ("global pid can be used everywhere"). Always the real parent.
 */
export const sysGetppid: TaskHandler<'getppid'> = (ctx, _ev, caller) => {
  const s = ctx.s;
  if (isGlobalInit(caller) || isVpsInit(s, caller)) return ok(0);
  const parent = s.tasks.get(caller.parent);
  if (parent && caller.vps !== 0 && parent.vps !== caller.vps) return ok(parent.pid);
  return ok(pidToView(s, caller, caller.parent));
};

/** getpgid/getsid: a number of `pid`'s task (0/absent: the caller), ESRCH if not visible. */
function readIdOf(ctx: Ctx, caller: Task, pid: number | undefined, field: 'pgid' | 'sid') {
  const t = findTaskByVpid(ctx.s, caller, pid);
  return t ? ok(pidToView(ctx.s, caller, t[field])) : err('ESRCH', 'no-such-task', pid ?? 0);
}

export const sysGetpgid: TaskHandler<'getpgid'> = (ctx, ev, caller) => readIdOf(ctx, caller, ev.pid, 'pgid');
export const sysGetsid: TaskHandler<'getsid'> = (ctx, ev, caller) => readIdOf(ctx, caller, ev.pid, 'sid');
