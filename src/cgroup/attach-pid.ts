import type { Ctx } from '../reducer/context.js';
import { failure, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { isVisible, viewToPid } from '../vpid/view.js';
import { attachTarget, attachTask } from './attach.js';
import type { Cgroup, Hierarchy } from './types.js';

/**
 * A zombie the caller can see under `pid` (6.x `find_task_by_vpid` finds a task until it is
 * reaped), or null.
 */
function visibleZombie(ctx: Ctx, caller: Task, pid: number): Task | null {
  if (pid <= 0) return null;
  const g = viewToPid(ctx.s, caller, pid);
  const t = g === null ? undefined : ctx.s.tasks.get(g);
  return t && t.state === 'zombie' && isVisible(ctx.s, caller, t) ? t : null;
}

/**
 * Attaching the task `pid` names to `cg` (writing it to `tasks` or `cgroup.procs`, or `attach`):
 * the pid is looked up first (ESRCH before any `can_attach`, in every version), then attached.
 * A zombie is ESRCH under 2.6.33 (`cgroup_attach_task` refuses PF_EXITING); under 6.x
 * (`zombieAttach: noop`) `cgroup_migrate_add_task` skips it, no task migrates, no `can_attach`
 * runs, and the write succeeds having moved nothing.
 */
export function attachPid(ctx: Ctx, h: Hierarchy, cg: Cgroup, caller: Task, pid: number): Result<void> {
  const task = attachTarget(ctx, caller, pid);
  if (task) return attachTask(ctx, h, cg, task);
  if (ctx.v.zombieAttach === 'noop' && visibleZombie(ctx, caller, pid)) return success(undefined);
  return failure('ESRCH', 'attach-no-task', pid);
}
