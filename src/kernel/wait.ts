import type { SemanticVersion } from '../semantics/versions.js';
import type { Ctx, TaskHandler } from '../reducer/context.js';
import { blocked, err, ok, type Outcome, type WaitStatus } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { pidToView, viewToPid } from '../vpid/view.js';
import { doNotifyParent, releaseTask, zombieReportable } from './reap.js';
import { removeFrom } from './tasklist.js';

/** Which tasks a `wait` selector matches (`eligible_child`): pid > 0, -1, 0, < -1. */
type Selector = { pid: number } | { pgid: number } | { any: true } | { none: true };

function selector(s: KernelState, caller: Task, pid: number): Selector {
  if (pid === -1) return { any: true };
  if (pid === 0) return { pgid: caller.pgid };
  const g = viewToPid(s, caller, Math.abs(pid));
  if (g === null) return { none: true };
  return pid > 0 ? { pid: g } : { pgid: g };
}

function matches(sel: Selector, t: Task): boolean {
  if ('any' in sel) return true;
  if ('pid' in sel) return t.pid === sel.pid;
  if ('pgid' in sel) return t.pgid === sel.pgid;
  return false;
}

/**
 * The tasks `caller` traces in the order `wait` visits them (`v.ptracedOrder`): attach order
 * (2.6.18: `__ptrace_link` appends the tracee to the tracer's `children`), or the newest first
 * (6.x: `__ptrace_link` does `list_add` at the head of `tracer->ptraced`, which `ptrace_do_wait` walks).
 */
function tracedInWaitOrder(v: SemanticVersion, caller: Task): readonly number[] {
  return v.ptracedOrder === 'newest-first' ? [...caller.traced].reverse() : caller.traced;
}

/**
 * The caller's eligible tasks in reference: wait order, each passed to `visit` until it returns a report:
 * its children (fork order, then reparent order), then the tasks it traces that are not its
 * children (attach order) — 2.6.18 walks `children` then `ptrace_children`. Returns the report,
 * else whether any task was eligible. `visit` may change the lists only when it returns a report
 * (a reap), as the walk stops there.
 */
function forEachEligible<R>(s: KernelState, v: SemanticVersion, caller: Task, sel: Selector, visit: (t: Task) => R | null): R | boolean {
  if ('none' in sel) return false;
  if ('pid' in sel) {
    const t = s.tasks.get(sel.pid);
    if (!t || (t.parent !== caller.pid && t.tracer !== caller.pid)) return false;
    return visit(t) ?? true;
  }
  let any = false;
  for (const pid of caller.children) {
    const t = s.tasks.get(pid);
    if (!t || !matches(sel, t)) continue;
    any = true;
    const r = visit(t);
    if (r !== null) return r;
  }
  for (const pid of tracedInWaitOrder(v, caller)) {
    const t = s.tasks.get(pid);
    if (!t || t.parent === caller.pid || !matches(sel, t)) continue;
    any = true;
    const r = visit(t);
    if (r !== null) return r;
  }
  return any;
}

interface WaitFlags {
  untraced: boolean;
  continued: boolean;
}

/**
 * `wait_task_zombie`: the real parent reaps; a tracer that is not the real parent gets the report,
 * detaches, and leaves the zombie to the parent (who may now reap it at once, reference: exit step 6).
 */
function waitTaskZombie(ctx: Ctx, caller: Task, t: Task): WaitStatus {
  const status = { ...(t.exitStatus as WaitStatus) };
  if (t.parent === caller.pid) {
    releaseTask(ctx, t);
  } else {
    ctx.record.task(caller);
    ctx.record.task(t);
    removeFrom(caller.traced, t.pid);
    t.tracer = 0;
    doNotifyParent(ctx, t);
  }
  return status;
}

/** What `t` has to report to `caller`, consuming it (`wait_task_zombie/stopped/continued`), or null. */
function reportOf(ctx: Ctx, caller: Task, t: Task, flags: WaitFlags): WaitStatus | null {
  const s = ctx.s;
  const isTracer = t.tracer === caller.pid;
  if (t.state === 'zombie') {
    // Still traced by someone else: reported to that tracer first, not to the real parent.
    if (t.tracer !== 0 && !isTracer) return null;
    if (!zombieReportable(s, t)) return null;
    // Nothing may fail below here.
    return waitTaskZombie(ctx, caller, t);
  }
  if (t.state === 'stopped' && t.stopReport !== 0 && (flags.untraced || isTracer)) {
    // Nothing may fail below here.
    const sig = t.stopReport;
    t.stopReport = 0;
    return { stopped: sig };
  }
  if (t.contReport && flags.continued) {
    // Nothing may fail below here.
    t.contReport = false;
    return { continued: true };
  }
  return null;
}

/**
 * `wait {by, pid?, nohang?, untraced?, continued?}` (2.6.18 `do_wait`, seed 002 E.9–E.10): the
 * first eligible task with something to report is reported; none eligible → ECHILD; nothing to
 * report → 0 with WNOHANG, else the caller blocks. The pid is converted before a reap frees it.
 */
export const sysWait: TaskHandler<'wait'> = (ctx, ev, caller): Outcome => {
  const s = ctx.s;
  const flags = { untraced: ev.untraced ?? false, continued: ev.continued ?? false };
  const r = forEachEligible(s, ctx.v, caller, selector(s, caller, ev.pid ?? -1), (t): Outcome | null => {
    const pid = pidToView(s, caller, t.pid);
    const status = reportOf(ctx, caller, t, flags);
    return status ? ok({ pid, status }) : null;
  });
  if (r === false) return err('ECHILD', 'wait-no-child', caller.pid, ev.pid ?? -1);
  if (r !== true) return r;
  return ev.nohang ? ok(0) : blocked('wait-nothing', caller.pid, ev.pid ?? -1);
};
