import type { Ctx, TaskHandler } from '../reducer/context.js';
import { err, ok, type Outcome } from '../reducer/outcome.js';
import { pidToView } from '../vpid/view.js';
import type { Task } from '../state/task.js';
import { findTaskByVpid } from './sessions.js';
import { deliverPending, resumeTask, sendSignal, stopTask } from './signal.js';
import { isValidSignal, SIGSTOP } from './signo.js';
import { removeFrom } from './tasklist.js';

/** `__ptrace_link`: `tracee` joins the end of `tracer`'s traced list. */
function ptraceLink(ctx: Ctx, tracer: Task, tracee: Task): void {
  ctx.record.task(tracer);
  ctx.record.task(tracee);
  tracee.tracer = tracer.pid;
  tracer.traced.push(tracee.pid);
}

/** `__ptrace_unlink` (seed 002 F.1–F.3): the real parent is untouched. */
export function ptraceUnlink(ctx: Ctx, tracee: Task): void {
  const tracer = ctx.s.tasks.get(tracee.tracer);
  ctx.record.task(tracee);
  if (tracer) {
    ctx.record.task(tracer);
    removeFrom(tracer.traced, tracee.pid);
  }
  tracee.tracer = 0;
}

/**
 * `ptrace_attach` (seed 002 F.5): ESRCH if not visible; EPERM for the caller itself, global init
 * (where the version's `ptraceAttachInit` says so: 2.6.18, not 6.x), a zombie or an already traced task. The tracee is stopped by a forced SIGSTOP
 * (`force_sig_specific`, so init protection does not apply); an already stopped tracee stays as it is.
 */
function ptraceAttach(ctx: Ctx, caller: Task, pid: number | undefined): Outcome {
  const t = pid === undefined || pid === 0 ? undefined : findTaskByVpid(ctx.s, caller, pid);
  if (!t) return err('ESRCH', 'no-such-task', pid ?? 0);
  if (t === caller) return err('EPERM', 'ptrace-self', pid ?? 0);
  if (t.pid <= 1 && ctx.v.ptraceAttachInit === 'EPERM') return err('EPERM', 'ptrace-init', pid ?? 0);
  if (t.state === 'zombie') return err('EPERM', 'ptrace-zombie', pid ?? 0);
  if (t.tracer !== 0) return err('EPERM', 'ptrace-traced', pid ?? 0, pidToView(ctx.s, caller, t.tracer));
  // Nothing may fail below here.
  ptraceLink(ctx, caller, t);
  stopTask(t, SIGSTOP);
  return ok(0);
}

/** `ptrace_traceme`: EPERM when already traced (or for global init, which has no parent). */
function ptraceTraceme(ctx: Ctx, caller: Task): Outcome {
  const parent = ctx.s.tasks.get(caller.parent);
  if (caller.tracer !== 0) return err('EPERM', 'traceme-traced', caller.pid, caller.tracer);
  if (!parent) return err('EPERM', 'traceme-no-parent', caller.pid);
  // Nothing may fail below here.
  ptraceLink(ctx, parent, caller);
  return ok(0);
}

/**
 * `ptrace_detach` / PTRACE_CONT (`ptrace_check_attached` first: ESRCH unless the caller traces a
 * stopped target; then `valid_signal` → EIO). Both resume the tracee, which then takes `sig` and
 * the fatal signals that were pending while it was stopped.
 */
function ptraceResume(ctx: Ctx, caller: Task, pid: number | undefined, sig: number, detach: boolean): Outcome {
  const t = pid === undefined || pid === 0 ? undefined : findTaskByVpid(ctx.s, caller, pid);
  if (!t) return err('ESRCH', 'no-such-task', pid ?? 0);
  if (t.tracer !== caller.pid) return err('ESRCH', 'ptrace-not-tracer', pid ?? 0, caller.pid);
  if (t.state !== 'stopped') return err('ESRCH', 'ptrace-not-stopped', pid ?? 0);
  if (!isValidSignal(sig)) return err('EIO', 'ptrace-signal-invalid', sig);
  // Nothing may fail below here.
  ctx.record.task(t);
  if (detach) ptraceUnlink(ctx, t);
  resumeTask(t, false);
  if (sig !== 0) sendSignal(ctx, caller, t, sig);
  deliverPending(ctx, t);
  return ok(0);
}

/** `ptrace {by, request, pid?, sig?}` (reference: ptrace). */
export const sysPtrace: TaskHandler<'ptrace'> = (ctx, ev, caller) => {
  switch (ev.request) {
    case 'attach':
      return ptraceAttach(ctx, caller, ev.pid);
    case 'traceme':
      return ptraceTraceme(ctx, caller);
    case 'detach':
      return ptraceResume(ctx, caller, ev.pid, ev.sig ?? 0, true);
    case 'cont':
      return ptraceResume(ctx, caller, ev.pid, ev.sig ?? 0, false);
  }
};
