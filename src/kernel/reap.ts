import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { vpsTaskReaped } from '../vpid/lifecycle.js';
import { advanceExitState } from './exitstate.js';
import { SIGCHLD } from './signo.js';
import { removeFrom, unhashTask } from './tasklist.js';
import { isVpsInit, vpsHasOtherTasks, vpsOf } from './vpsinit.js';
import { isPidNsInit, pidNsHasOtherTasks, pidNsInitWaiting } from './pidns.js';

/**
 * Whether zombie `t` can be reported by wait at all: a VPS init's zombie waits until every other
 * task of its VPS has been reaped (reference: exit step 3, `zap_pid_ns_processes`), and a pid
 * namespace init's until every other task it numbers has (6.x kernel/pid_namespace.c).
 */
export function zombieReportable(s: KernelState, t: Task): boolean {
  if (isPidNsInit(s, t)) return !pidNsHasOtherTasks(s, t);
  if (!isVpsInit(s, t)) return true;
  return !vpsHasOtherTasks(s, t.vps, t.pid);
}

/**
 * `do_notify_parent` for a zombie (seed 002 E.8: the task is a zombie before its parent is told):
 * the zombie is released at once when nobody will wait for it — its parent is global init with
 * `initReaps`, or its parent ignores SIGCHLD. A zombie traced by a task other than its parent is
 * reported to that tracer first and never released here.
 */
export function doNotifyParent(ctx: Ctx, t: Task): void {
  if (t.state !== 'zombie') return;
  if (t.tracer !== 0 && t.tracer !== t.parent) return;
  if (!zombieReportable(ctx.s, t)) return;
  const parent = ctx.s.tasks.get(t.parent);
  if (!parent) return;
  const autoReap = (parent.pid === 1 && ctx.s.config.initReaps) || parent.dispositions.get(SIGCHLD) === 'ignore';
  if (autoReap) releaseTask(ctx, t);
}

/**
 * `release_task`: the zombie disappears — ptrace link, parent's child list, task table, pid hashes
 * (numbers no longer in use are freed, with their vpids) — and the VPID layer is told. When this
 * was the last task keeping a VPS init's zombie unreportable, that zombie's parent is notified now.
 */
export function releaseTask(ctx: Ctx, t: Task): void {
  const s = ctx.s;
  advanceExitState(t, 'released');
  if (t.tracer !== 0) {
    const tracer = s.tasks.get(t.tracer);
    if (tracer) {
      ctx.record.task(tracer);
      removeFrom(tracer.traced, t.pid);
    }
    t.tracer = 0;
  }
  const nsInit = pidNsInitWaiting(s, t);
  unhashTask(ctx, t);
  vpsTaskReaped(ctx, t);
  if (nsInit && zombieReportable(s, nsInit)) doNotifyParent(ctx, nsInit);
  const vps = vpsOf(s, t);
  if (!vps || vps.init === t.pid) return;
  const init = s.tasks.get(vps.init);
  if (init && init.state === 'zombie' && zombieReportable(s, init)) doNotifyParent(ctx, init);
}
