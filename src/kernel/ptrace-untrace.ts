import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import { isExiting } from './exitstate.js';
import { deliverPending, resumeTask } from './signal.js';

/**
 * `ptrace_untrace` (2.6.18 kernel/ptrace.c; in 6.18 the end of `__ptrace_unlink`), for a tracee
 * its tracer leaves by exiting: the trace stop is woken unless a group stop holds it
 * (`SIGNAL_STOP_STOPPED`). The model keeps no separate group stop for a tracee (ptrace does not
 * intercept delivery), so it tells the two kinds of stop apart by the report: a stop its tracer
 * collected with `wait` (which clears `exit_code`, so the woken tracee has no signal to take)
 * resumes, and the fatal signals that waited for it are delivered; a stop still unreported is the
 * attach or signal SIGSTOP the woken tracee takes again, so it stays stopped with its report.
 * The same in every version: 2.6.18's `signal_wake_up` and 6.18's `ptrace_signal_wake_up`.
 */
export function ptraceUntrace(ctx: Ctx, t: Task): void {
  if (t.state !== 'stopped' || t.stopReport !== 0 || isExiting(t)) return;
  ctx.record.task(t);
  resumeTask(t, false);
  deliverPending(ctx, t);
}
