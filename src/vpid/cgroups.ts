import { attachTask } from '../cgroup/attach.js';
import type { Cgroup, Hierarchy } from '../cgroup/types.js';
import { envIn } from '../cgroup/callbacks.js';
import { pluginOf } from '../cgroup/plugins.js';
import { cssSetOf, ROOT, sortedHierarchies, taskCgroupIn } from '../cgroup/world.js';
import type { Ctx } from '../reducer/context.js';
import { type Failure, failure, isFailure, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';

/**
 * The cgroup side of checkpoint/restore (reference: vps_restore), through the cgroup layer's own API: a task's
 * memberships as (hierarchy, path) pairs, and putting a restored task back with `attachTask`
 * (every `can_attach`, then the move), so the cgroup invariants hold by construction.
 */

/** Hierarchy name -> cgroup path of every mounted hierarchy `t` is in, sorted by hierarchy (none for a zombie). */
export function taskCgroupPaths(s: KernelState, t: Task): [string, string][] {
  const cs = cssSetOf(s.cg, t);
  if (!cs) return [];
  return sortedHierarchies(s.cg).flatMap((h): [string, string][] => {
    const path = cs.cgroups.get(h.name);
    return path === undefined ? [] : [[h.name, path]];
  });
}

/** Where a restored task goes in each mounted hierarchy: its recorded cgroup, or the root of one mounted since. */
function restoreTargets(s: KernelState, paths: readonly [string, string][]): { h: Hierarchy; cg: Cgroup }[] | Failure {
  const recorded = new Map(paths);
  const out: { h: Hierarchy; cg: Cgroup }[] = [];
  for (const h of sortedHierarchies(s.cg)) {
    const path = recorded.get(h.name) ?? ROOT;
    const cg = h.cgroups.get(path);
    if (!cg) return failure('ENOENT', 'image-cgroup-gone', h.name, path);
    out.push({ h, cg });
  }
  for (const [name, path] of recorded) if (!s.cg.hierarchies.has(name)) return failure('ENOENT', 'image-cgroup-gone', name, path);
  return out;
}

/** Whether every recorded cgroup still exists: a restore checks this before it creates anything. */
export function checkRestorableCgroups(s: KernelState, paths: readonly [string, string][]): Failure | null {
  const r = restoreTargets(s, paths);
  return isFailure(r) ? r : null;
}

/**
 * Whether every `can_attach` of the hierarchies a restored task goes into accepts its recorded
 * cgroup now (asked for `caller`, whose fork the task is; no fault is consumed). Only what the
 * plugins decide: the restore checks queued faults itself.
 */
export function canAttachRecorded(ctx: Ctx, caller: Task, paths: readonly [string, string][]): boolean {
  const targets = restoreTargets(ctx.s, paths);
  if (isFailure(targets)) return false;
  return targets.every(({ h, cg }) => h.subsystems.every((name) => (pluginOf(name).canAttach?.(envIn(ctx, name, h), cg, caller) ?? null) === null));
}

/** Attaches live `task` to its recorded cgroups (root of hierarchies it had none in); `can_attach` may refuse. */
export function restoreCgroups(ctx: Ctx, task: Task, paths: readonly [string, string][]): Result<void> {
  const targets = restoreTargets(ctx.s, paths);
  if (isFailure(targets)) return targets;
  for (const { h, cg } of targets) {
    // Already there (inherited from the restoring caller): 2006 would run the callbacks again.
    if (taskCgroupIn(ctx.s.cg, h, task) === cg) continue;
    const r = attachTask(ctx, h, cg, task);
    if (!r.ok) return r;
  }
  return success(undefined);
}
