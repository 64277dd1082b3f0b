import type { Ctx } from '../reducer/context.js';
import { failure, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { isVisible, viewToPid } from '../vpid/view.js';
import { currentThread, groupLeader, liveThreads } from '../kernel/thread-group.js';
import { attachTarget, attachTask, canAttachAll, commitAttach } from './attach.js';
import type { Cgroup, Hierarchy } from './types.js';
import { taskCgroupIn } from './world.js';

/**
 * A zombie the caller can see under `pid` (6.x `find_task_by_vpid` finds a task until it is
 * reaped), or null. A group leader whose thread has exited while other threads live is one too.
 */
function visibleZombie(ctx: Ctx, caller: Task, pid: number): Task | null {
  if (pid <= 0) return null;
  const g = viewToPid(ctx.s, caller, pid);
  const t = g === null ? undefined : ctx.s.tasks.get(g);
  return t && (t.state === 'zombie' || t.leaderExited !== null) && isVisible(ctx.s, caller, t) ? t : null;
}

/**
 * Writing a pid to `cgroup.procs` (6.x `cgroup_procs_write_start` with `threadgroup`, then
 * `cgroup_attach_task` over the whole group, 2.6.33's `cgroup_attach_proc` the same): the pid
 * (0: the writer) names any thread of the group, and every live thread of it moves; each
 * `can_attach` runs first, so a refusal moves none.
 */
function attachGroup(ctx: Ctx, h: Hierarchy, cg: Cgroup, leader: Task): Result<void> {
  const threads = liveThreads(ctx.s, leader).filter((t) => ctx.v.reattachRunsCallbacks || taskCgroupIn(ctx.s.cg, h, t) !== cg);
  for (const t of threads) {
    const e = canAttachAll(ctx, h, cg, t);
    if (e) return e;
  }
  // Nothing may fail below here.
  for (const t of threads) commitAttach(ctx, h, cg, t);
  return success(undefined);
}

/** The group a `cgroup.procs` write names: the writer's for 0, else the live process of the thread the pid names. */
function procsTarget(ctx: Ctx, caller: Task, pid: number): Task | null {
  if (pid === 0) return caller;
  if (pid < 0) return null;
  const g = viewToPid(ctx.s, caller, pid);
  const t = g === null ? undefined : ctx.s.tasks.get(g);
  if (!t || !isVisible(ctx.s, caller, t)) return null;
  const leader = groupLeader(ctx.s, t);
  return leader.state === 'zombie' || liveThreads(ctx.s, leader).length === 0 ? null : leader;
}

/**
 * Attaching the task `pid` names to `cg` (writing it to `tasks` or `cgroup.procs`, or `attach`):
 * the pid is looked up first (ESRCH before any `can_attach`, in every version), then attached.
 * `tasks` moves the one thread the pid names (0: the writing thread); `cgroup.procs`
 * (`threadgroup`) moves its whole thread group. A zombie is ESRCH under 2.6.33
 * (`cgroup_attach_task` refuses PF_EXITING); under 6.x (`zombieAttach: noop`)
 * `cgroup_migrate_add_task` skips it, no task migrates, no `can_attach` runs, and the write
 * succeeds having moved nothing.
 */
export function attachPid(ctx: Ctx, h: Hierarchy, cg: Cgroup, caller: Task, pid: number, threadgroup = false): Result<void> {
  const task = threadgroup ? procsTarget(ctx, caller, pid) : pid === 0 ? currentThread(ctx, caller) : attachTarget(ctx, caller, pid);
  if (task && task.leaderExited === null) return threadgroup ? attachGroup(ctx, h, cg, task) : attachTask(ctx, h, cg, task);
  if (ctx.v.zombieAttach === 'noop' && visibleZombie(ctx, caller, pid)) return success(undefined);
  return failure('ESRCH', 'attach-no-task', pid);
}
