import type { Ctx } from '../reducer/context.js';
import { type Failure, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { isVisible, viewToPid } from '../vpid/view.js';
import { invokeAttach, invokeCanAttach } from './callbacks.js';
import { afterLeave, moveTask } from './membership.js';
import type { Cgroup, Hierarchy } from './types.js';
import { taskCgroupIn } from './world.js';

/**
 * The task a pid argument names (seed 001 `attach_task`, 2.6.33 `attach_task_by_pid`): 0 is the
 * caller; otherwise the number is in the caller's view and must name a live task it can see.
 */
export function attachTarget(ctx: Ctx, caller: Task, pid: number): Task | null {
  if (pid === 0) return caller;
  if (pid < 0) return null;
  const g = viewToPid(ctx.s, caller, pid);
  const task = g === null ? undefined : ctx.s.tasks.get(g);
  if (!task || task.state === 'zombie' || !isVisible(ctx.s, caller, task)) return null;
  return task;
}

/**
 * The `can_attach` of every subsystem of `h` in call order; the first error wins (seed 001
 * `attach_task` loop). Nothing changes except consumed injections.
 */
export function canAttachAll(ctx: Ctx, h: Hierarchy, cg: Cgroup, task: Task): Failure | null {
  for (const name of h.subsystems) {
    const e = invokeCanAttach(ctx, name, h, cg, task);
    if (e) return e;
  }
  return null;
}

/** The change half of an attach: move, `attach`/`post_attach`, then the old cgroup's release check. */
export function commitAttach(ctx: Ctx, h: Hierarchy, cg: Cgroup, task: Task): void {
  ctx.record.task(task);
  const old = moveTask(ctx.s.cg, h, task, cg);
  invokeAttach(ctx, h.subsystems, h, cg, old, task);
  if (old !== cg) afterLeave(ctx, h, old);
}

/**
 * `attach_task` (seed 001) / `cgroup_attach_task` (2.6.33): verify with every `can_attach`, then
 * change. 2009 returns at once when the task is already there; 2006 runs the callbacks again.
 */
export function attachTask(ctx: Ctx, h: Hierarchy, cg: Cgroup, task: Task): Result<void> {
  if (taskCgroupIn(ctx.s.cg, h, task) === cg && !ctx.v.reattachRunsCallbacks) return success(undefined);
  const e = canAttachAll(ctx, h, cg, task);
  if (e) return e;
  // Nothing may fail below here.
  commitAttach(ctx, h, cg, task);
  return success(undefined);
}
