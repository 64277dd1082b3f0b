import type { Ctx, TaskHandler } from '../reducer/context.js';
import { err, ok, type Outcome } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { isVisible, pidToView, seesAll, viewToPid } from '../vpid/view.js';
import { isPidNsInit, pidNrNs, taskActivePidNs } from './pidns.js';
import { isExiting } from './exitstate.js';
import { fatal } from './fatal.js';
import { isOrphanedPgrp } from './orphan.js';
import { defaultAction, isUncatchable, isValidSignal, SIGCONT, SIGKILL, SIGSTOP } from './signo.js';
import { pgrpMembers } from './tasklist.js';
import { groupLeader, isThread } from './thread-group.js';
import { isGlobalInit, isVpsInit, vpsOf } from './vpsinit.js';

/**
 * Init protection (2.6.18 `sig_ignored` + `SIGNAL_UNKILLABLE`-style rule of reference: Signals): global init
 * ignores every signal it has not set a handler or ignore for; a VPS init likewise, except
 * SIGKILL and SIGSTOP sent from the host (`sender` null is the kernel, which is on the host); the
 * init of a pid namespace likewise (6.x `sig_task_ignored`), except SIGKILL and SIGSTOP sent from
 * an ancestor namespace (`fromAncestorPidNs`).
 */
function initIgnores(s: KernelState, sender: Task | null, target: Task, sig: number): boolean {
  if (target.dispositions.has(sig)) return false;
  if (isGlobalInit(target)) return true;
  if (isPidNsInit(s, target)) return !(fromAncestorPidNs(s, sender, target) && isUncatchable(sig));
  if (!isVpsInit(s, target)) return false;
  const fromHost = sender === null || sender.vps === 0;
  return !(fromHost && isUncatchable(sig));
}

/**
 * `send_signal_locked`'s `force` (6.x kernel/signal.c): the kernel's own signals, and a sender the
 * target's namespace does not number (`!task_pid_nr_ns(current, task_active_pid_ns(t))`, an ancestor
 * namespace), may SIGKILL or SIGSTOP a pid namespace's init (`sig_task_ignored`: SIGNAL_UNKILLABLE).
 */
function fromAncestorPidNs(s: KernelState, sender: Task | null, target: Task): boolean {
  return sender === null || pidNrNs(s, sender.pid, taskActivePidNs(s, target.pid)) === 0;
}

/** Stops a running task with `sig` (`do_signal_stop`): a new unreported stop, no pending continuation. */
export function stopTask(t: Task, sig: number): void {
  if (t.state !== 'running') return;
  t.state = 'stopped';
  t.stopReport = sig;
  t.contReport = false;
}

/**
 * Resumes a stopped task. `continued` (a SIGCONT, not a ptrace resume) leaves a continuation for
 * WCONTINUED (`SIGNAL_STOP_CONTINUED`); either way an unreported stop is gone.
 */
export function resumeTask(t: Task, continued: boolean): void {
  if (t.state !== 'stopped') return;
  t.state = 'running';
  t.stopReport = 0;
  if (continued) t.contReport = true;
}

/**
 * A resumed task dequeues the fatal signals that arrived while it was stopped, lowest first
 * (`dequeue_signal` order): the first one kills it.
 */
export function deliverPending(ctx: Ctx, t: Task): void {
  if (t.state !== 'running' || t.pending.length === 0) return;
  const sig = t.pending[0] as number;
  t.pending = [];
  fatal.doExit(ctx, t, { signaled: sig });
}

/** Queues a fatal signal on a stopped task; standard signals do not queue twice. */
function addPending(t: Task, sig: number): void {
  if (t.pending.includes(sig)) return;
  t.pending.push(sig);
  t.pending.sort((a, b) => a - b);
}

/** The default action of `sig` on `t` (`get_signal_to_deliver` after `handle_stop_signal`). */
function defaultDeliver(ctx: Ctx, t: Task, sig: number): void {
  if (sig === SIGKILL) return fatal.doExit(ctx, t, { signaled: SIGKILL });
  switch (defaultAction(sig)) {
    case 'stop':
      if (t.state === 'stopped') return;
      // Job-control stops are discarded in an orphaned pgrp (`is_orphaned_pgrp` check); SIGSTOP is not.
      if (sig !== SIGSTOP && isOrphanedPgrp(ctx.s, t.pgid)) return;
      return stopTask(t, sig);
    case 'terminate':
      if (t.state === 'stopped') return addPending(t, sig);
      return fatal.doExit(ctx, t, { signaled: sig });
    case 'continue':
    case 'ignore':
      return;
  }
}

/**
 * Signal delivery (`group_send_sig_info` → `handle_stop_signal` → `sig_ignored` → delivery),
 * reference: Signals. SIGCONT resumes a stopped task before anything else looks at the signal, whatever its
 * disposition and even for an init; then init protection; then the disposition. `sender` null is
 * the kernel (orphaned-pgrp SIGHUP/SIGCONT). A signal to a thread goes to its process
 * (`group_send_sig_info` with PIDTYPE_TGID: shared pending, group stop, a fatal signal kills
 * every thread).
 */
export function sendSignal(ctx: Ctx, sender: Task | null, thread: Task, sig: number): void {
  const target = groupLeader(ctx.s, thread);
  if (sig === 0 || target.state === 'zombie' || isExiting(target)) return;
  ctx.record.task(target);
  const wasStopped = target.state === 'stopped';
  if (sig === SIGCONT) resumeTask(target, true);
  if (!initIgnores(ctx.s, sender, target, sig)) {
    const action = target.dispositions.get(sig);
    if (action === 'catch') target.caught.set(sig, (target.caught.get(sig) ?? 0) + 1);
    else if (action !== 'ignore') defaultDeliver(ctx, target, sig);
  }
  if (sig === SIGCONT && wasStopped && target.state === 'running') deliverPending(ctx, target);
}

/**
 * The targets of `kill(pid, sig)` in the caller's view (`kill_something_info`, seed 002 G.1), as
 * global pids in ascending order, or null when there are none (ESRCH).
 */
function killTargets(s: KernelState, caller: Task, pid: number): number[] | null {
  if (pid > 0) {
    const g = viewToPid(s, caller, pid);
    const t = g === null ? undefined : s.tasks.get(g);
    return t && isVisible(s, caller, t) ? [t.pid] : null;
  }
  if (pid === -1) return killAllTargets(s, caller);
  let pgid = caller.pgid;
  if (pid < -1) {
    const g = viewToPid(s, caller, -pid);
    if (g === null) return null;
    pgid = g;
  }
  const all = pgrpMembers(s, pgid);
  // A host caller sees every task (isVisible): no filtered copy. A caller in a pid namespace
  // reaches every member, even those it cannot name (6.x `__kill_pgrp_info` walks the group's
  // PIDTYPE_PGID list with no namespace check); a VPS caller only its VPS's (seed 004).
  const members = seesAll(s, caller) || caller.vps === 0 ? all : all.filter((m) => isVisible(s, caller, s.tasks.get(m) as Task));
  return members.length > 0 ? members : null;
}

/**
 * kill -1 (`kill_something_info`'s for_each_process loop): every task the caller can see except
 * itself and the init of its namespace — global init on the host, the VPS init inside a VPS.
 * Processes, not threads (`for_each_process`).
 */
function killAllTargets(s: KernelState, caller: Task): number[] | null {
  const nsInit = vpsOf(s, caller)?.init ?? 1;
  const out: number[] = [];
  for (const t of s.tasks.values()) {
    if (t.pid === caller.pid || t.pid === nsInit || isThread(t)) continue;
    // 6.x `kill_something_info`: `task_pid_vnr(p) > 1`, so the init of a pid namespace is spared too.
    if (!seesAll(s, caller) && pidToView(s, caller, t.pid) === 1) continue;
    if (isVisible(s, caller, t)) out.push(t.pid);
  }
  out.sort((a, b) => a - b);
  return out.length > 0 ? out : null;
}

/** The ESRCH of a kill whose target set is empty, with the reason of its kind of target. */
function noKillTarget(s: KernelState, caller: Task, pid: number): Outcome {
  if (pid > 0) return err('ESRCH', 'kill-no-task', pid);
  if (pid === -1) return err('ESRCH', 'kill-all-none', caller.pid);
  return err('ESRCH', 'kill-empty-pgrp', pid === 0 ? pidToView(s, caller, caller.pgid) : -pid);
}

/** `kill {by, pid, sig}` (reference: Signals): targets are resolved before the signal is checked. */
export const sysKill: TaskHandler<'kill'> = (ctx, ev, caller) => {
  const targets = killTargets(ctx.s, caller, ev.pid);
  if (!targets) return noKillTarget(ctx.s, caller, ev.pid);
  if (!isValidSignal(ev.sig)) return err('EINVAL', 'signal-invalid', ev.sig);
  // Nothing may fail below here.
  for (const pid of targets) {
    const t = ctx.s.tasks.get(pid);
    if (t) sendSignal(ctx, caller, t, ev.sig);
  }
  return ok(0);
};

/**
 * `signal {by, sig, action}` (`do_sigaction`, 2.6.18 and 6.18 kernel/signal.c): SIGKILL and SIGSTOP
 * take no action at all, `default` included (`act && sig_kernel_only(sig)` → EINVAL).
 */
export const sysSignal: TaskHandler<'signal'> = (_ctx, ev, caller) => {
  if (!isValidSignal(ev.sig) || ev.sig === 0) return err('EINVAL', 'sigaction-invalid', ev.sig);
  if (isUncatchable(ev.sig)) return err('EINVAL', 'sigaction-uncatchable', ev.sig, ev.action);
  // Nothing may fail below here.
  if (ev.action === 'default') caller.dispositions.delete(ev.sig);
  else caller.dispositions.set(ev.sig, ev.action);
  return ok(0);
};
