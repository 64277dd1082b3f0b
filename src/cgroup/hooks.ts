import type { Ctx } from '../reducer/context.js';
import { type Errno, failure, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { canAttachAll, commitAttach } from './attach.js';
import { traceCall } from './callbacks.js';
import { getCssSet, putCssSet } from './cssset.js';
import { afterLeave } from './membership.js';
import { type CssSet, NO_CSS_SET } from './types.js';
import { cssSetOf, hierarchyOfSlot, pluginOf, registeredSlots, sortedHierarchies, subsysEnv, taskCgroupIn } from './world.js';

/** Runs the `fork` or `exit` callback of every registered subsystem that has one, in id order (2.6.33). */
function forkExitCallbacks(ctx: Ctx, which: 'fork' | 'exit', task: Task): void {
  for (const slot of registeredSlots(ctx.s.cg)) {
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
  getCssSet(cs);
  for (const h of sortedHierarchies(ctx.s.cg)) (taskCgroupIn(ctx.s.cg, h, child) as NonNullable<ReturnType<typeof taskCgroupIn>>).taskCount++;
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
  const left = sortedHierarchies(ctx.s.cg).map((h) => ({ h, cg: taskCgroupIn(ctx.s.cg, h, task) }));
  task.cssSet = NO_CSS_SET;
  putCssSet(ctx.s.cg, cs);
  for (const { h, cg } of left) {
    if (!cg) continue;
    cg.taskCount--;
    afterLeave(ctx, h, cg);
  }
}

/** A live task's memberships as `[hierarchy, path]`, hierarchies sorted (for checkpoint images, SPEC 8.4). */
export function taskCgroupPaths(ctx: Pick<Ctx, 's'>, task: Task): [string, string][] {
  const cs = cssSetOf(ctx.s.cg, task);
  if (!cs) return [];
  return [...cs.cgroups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Puts a restored task into the cgroups of its image (SPEC 8.4): a hierarchy or cgroup that no
 * longer exists → ENOENT; each move is checked with `can_attach` first; all moves happen only once
 * every check passed, with the `attach` callbacks.
 */
export function cgroupRestoreMemberships(ctx: Ctx, task: Task, paths: readonly [string, string][]): Result<void> {
  const targets = [];
  for (const [name, path] of paths) {
    const h = ctx.s.cg.hierarchies.get(name);
    const cg = h?.cgroups.get(path);
    if (!h || !cg) return failure('ENOENT');
    targets.push({ h, cg });
  }
  for (const { h, cg } of targets) {
    if (taskCgroupIn(ctx.s.cg, h, task) === cg) continue;
    const e: Errno | null = canAttachAll(ctx, h, cg, task);
    if (e) return failure(e);
  }
  for (const { h, cg } of targets) if (taskCgroupIn(ctx.s.cg, h, task) !== cg) commitAttach(ctx, h, cg, task);
  return success(undefined);
}
