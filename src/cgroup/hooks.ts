import type { Ctx } from '../reducer/context.js';
import { type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { traceCall } from './callbacks.js';
import { getCssSet, putCssSet } from './cssset.js';
import { afterLeave } from './membership.js';
import { type Cgroup, type CssSet, NO_CSS_SET } from './types.js';
import { pluginOf } from './plugins.js';
import { cssSetCgroupIn, cssSetOf, hierarchyOfSlot, sortedHierarchies, subsysEnv } from './world.js';

/** Runs the `fork` or `exit` callback of every registered subsystem that has one, in id order (2.6.33). */
function forkExitCallbacks(ctx: Ctx, which: 'fork' | 'exit', task: Task): void {
  for (const slot of ctx.s.cg.slots) {
    if (slot === null) continue;
    const cb = pluginOf(slot.name)[which];
    if (!cb) continue;
    cb(subsysEnv(ctx.s.cg, ctx.s.config, ctx.v, slot.name, hierarchyOfSlot(ctx.s.cg, slot)), task);
    traceCall(ctx, slot.name, which);
  }
}

/**
 * `cgroup_fork` + `cgroup_fork_callbacks` (seed 001 `container_fork`): the child shares its
 * parent's css_set and so joins every cgroup the parent is in. It cannot fail.
 */
export function cgroupFork(ctx: Ctx, parent: Task, child: Task): Result<void> {
  const cs = cssSetOf(ctx.s.cg, parent) as CssSet;
  child.cssSet = cs.id;
  cs.tasks.add(child.pid);
  getCssSet(cs);
  for (const h of sortedHierarchies(ctx.s.cg)) (cssSetCgroupIn(h, cs) as Cgroup).taskCount++;
  forkExitCallbacks(ctx, 'fork', child);
  return success(undefined);
}

/**
 * `cgroup_exit`: the task leaves every cgroup (hierarchies in name order); each left empty with
 * notify_on_release goes to ctx.released. The task then references no css_set (a zombie is in none).
 */
export function cgroupExit(ctx: Ctx, task: Task): void {
  const cs = cssSetOf(ctx.s.cg, task);
  if (!cs) return;
  forkExitCallbacks(ctx, 'exit', task);
  task.cssSet = NO_CSS_SET;
  cs.tasks.delete(task.pid);
  putCssSet(ctx.s.cg, cs);
  // `cs` may be freed now, but its links still say which cgroups the task has left.
  for (const h of sortedHierarchies(ctx.s.cg)) {
    const cg = cssSetCgroupIn(h, cs);
    if (!cg) continue;
    cg.taskCount--;
    afterLeave(ctx, h, cg);
  }
}
