import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import { findCssSetAfterMove, getCssSet, putCssSet } from './cssset.js';
import type { Cgroup, CgroupWorld, CssSet, Hierarchy } from './types.js';
import { cgroupName, cssSetOf } from './world.js';

/**
 * `check_for_release` (seed 001, 2.6.33): a cgroup with notify_on_release that has no live tasks
 * and no children is what `release_agent` would be run for; it is reported in `released`.
 */
export function checkForRelease(ctx: Ctx, h: Hierarchy, cg: Cgroup): void {
  if (cg.notifyOnRelease && cg.taskCount === 0 && cg.children.length === 0) ctx.released.push(cgroupName(h, cg));
}

/** A task has left `cg`: (2.6.33 `CGRP_RELEASABLE`) it may now be released. */
export function afterLeave(ctx: Ctx, h: Hierarchy, cg: Cgroup): void {
  cg.releasable = true;
  checkForRelease(ctx, h, cg);
}

/** Switches `task` to the css_set `next` (taking the new reference before dropping the old). */
export function switchCssSet(w: CgroupWorld, task: Task, next: CssSet): void {
  const old = cssSetOf(w, task) as CssSet;
  getCssSet(next);
  task.cssSet = next.id;
  old.tasks.delete(task.pid);
  next.tasks.add(task.pid);
  putCssSet(w, old);
}

/**
 * The membership change of an attach (`cgroup_attach_task` between its callbacks): `task` moves
 * from its cgroup of `h` to `to`. The caller checks for release of the old cgroup afterwards.
 */
export function moveTask(w: CgroupWorld, h: Hierarchy, task: Task, to: Cgroup): Cgroup {
  const cs = cssSetOf(w, task) as CssSet;
  const from = h.cgroups.get(cs.cgroups.get(h.name) as string) as Cgroup;
  switchCssSet(w, task, findCssSetAfterMove(w, cs, h.name, to.path));
  from.taskCount--;
  to.taskCount++;
  return from;
}
