import { cgroupExit } from '../cgroup/hooks.js';
import type { Ctx, TaskHandler } from '../reducer/context.js';
import { err, ok } from '../reducer/outcome.js';
import { type ExitStatus, isAlive, type Task } from '../state/task.js';
import { advanceExitState, isExiting } from './exitstate.js';
import { fatal } from './fatal.js';
import { ptraceUntrace } from './ptrace-untrace.js';
import { killOrphanedPgrp } from './hangup.js';
import { doNotifyParent, releaseTask, zombieReportable } from './reap.js';
import { forgetOriginalParent } from './reparent.js';
import { SIGKILL } from './signo.js';
import { exitTaskPidNs, isPidNsInit, zapPidNsProcesses } from './pidns.js';
import { findNewReaper } from './subreaper.js';
import { isThread } from './thread-group.js';
import { releaseThread, zapOtherThreads } from './threads.js';
import { isGlobalInit, isVpsInit } from './vpsinit.js';

/**
 * Step 2 (`exit_ptrace` → `__ptrace_detach` → `__ptrace_unlink` in 6.18; 2.6.18
 * `forget_original_parent` → `__ptrace_unlink` → `ptrace_untrace`): every tracee is unlinked, and
 * one in a trace stop is woken (`signal_wake_up` / `ptrace_signal_wake_up`). A woken tracee whose
 * stop signal its tracer collected (`wait_task_stopped` clears `exit_code`) runs again
 * (ptraceUntrace); one whose stop is still unreported takes that SIGSTOP again and stops, its stop
 * now its real parent's to report.
 */
function exitPtrace(ctx: Ctx, tracer: Task): void {
  const tracees = tracer.traced;
  tracer.traced = [];
  for (const pid of tracees) {
    const t = ctx.s.tasks.get(pid);
    if (!t) continue;
    ctx.record.task(t);
    t.tracer = 0;
    // A zombie its tracer leaves becomes its real parent's to reap (reference: exit step 6).
    doNotifyParent(ctx, t);
    // Last: the woken tracee may die of a pending signal and be reaped at once.
    ptraceUntrace(ctx, t);
  }
}

/**
 * Step 3 (OpenVZ VPS init death, as `zap_pid_ns_processes`): SIGKILL every other live task of the
 * VPS in ascending pid order with full exit processing, then reap every zombie child — except one
 * traced by another task, which is not this init's to reap.
 */
function zapVpsProcesses(ctx: Ctx, init: Task): void {
  const victims: number[] = [];
  for (const t of ctx.s.tasks.values()) if (t.vps === init.vps && t.pid !== init.pid && isAlive(t)) victims.push(t.pid);
  victims.sort((a, b) => a - b);
  for (const pid of victims) {
    const t = ctx.s.tasks.get(pid);
    if (t && isAlive(t) && !isExiting(t)) doExit(ctx, t, { signaled: SIGKILL });
  }
  for (const pid of [...init.children]) {
    const c = ctx.s.tasks.get(pid);
    if (c && c.state === 'zombie' && (c.tracer === 0 || c.tracer === init.pid)) releaseTask(ctx, c);
  }
}

/**
 * Step 5 (2.6.18 `exit_notify`): the exiting task's own pgrp, when its parent was the link that
 * kept it unorphaned (a different pgrp of the same session).
 */
function orphanOwnPgrp(ctx: Ctx, t: Task): void {
  const parent = ctx.s.tasks.get(t.parent);
  if (!parent || parent.pgid === t.pgid || parent.sid !== t.sid) return;
  killOrphanedPgrp(ctx, t.pgid, t);
}

/** Step 6: the task becomes a zombie (seed 002 E.8: before its parent is notified), then do_notify_parent. */
function exitZombie(ctx: Ctx, t: Task, status: ExitStatus): void {
  advanceExitState(t, 'zombie');
  t.exitStatus = status;
  t.stopReport = 0;
  t.contReport = false;
  t.pending = [];
  doNotifyParent(ctx, t);
}

/**
 * `do_exit` → `exit_notify` (reference: exit steps 1–6, in this order): cgroup_exit, ptrace detach of
 * tracees, VPS init zap, `forget_original_parent` (to `findNewReaper`: a child subreaper or the child reaper), the own-pgrp orphan rule, zombie + notify.
 * Used by `exit` (`do_group_exit`: the other threads end first, `zap_other_threads`), fatal
 * signals, node_down and VPS init death; called for a non-leader thread, only that thread ends. A stopped task being killed is
 * woken first (SIGKILL wakes it; it runs do_exit), so it no longer counts as a stopped member.
 */
export function doExit(ctx: Ctx, task: Task, status: ExitStatus): void {
  if (!isAlive(task) || isExiting(task)) return;
  if (isThread(task)) return releaseThread(ctx, task);
  ctx.record.exit(task);
  advanceExitState(task, 'exiting');
  zapOtherThreads(ctx, task);
  task.leaderExited = null;
  task.state = 'running';
  task.stopReport = 0;
  cgroupExit(ctx, task);
  exitPtrace(ctx, task);
  if (isVpsInit(ctx.s, task)) zapVpsProcesses(ctx, task);
  exitTaskPidNs(ctx.s, task);
  if (isPidNsInit(ctx.s, task)) zapPidNsProcesses(ctx, task, (t) => doExit(ctx, t, { signaled: SIGKILL }), (t) => zombieReportable(ctx.s, t) && (releaseTask(ctx, t), true));
  forgetOriginalParent(ctx, task, findNewReaper(ctx.s, task));
  orphanOwnPgrp(ctx, task);
  exitZombie(ctx, task, status);
}

fatal.doExit = doExit;

/** `exit {by, code}` (`sys_exit`): the status keeps `code & 255`; global init cannot exit. */
export const sysExit: TaskHandler<'exit'> = (ctx, ev, caller) => {
  if (isGlobalInit(caller)) return err('EPERM', 'exit-global-init');
  // Nothing may fail below here.
  doExit(ctx, caller, { exited: ev.code & 255 });
  return ok(0);
};

