import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import { killOrphanedPgrp } from './hangup.js';
import { doNotifyParent } from './reap.js';

/**
 * `forget_original_parent` + `reparent_thread` (2.6.18 kernel/exit.c, seed 002 E.2–E.6): every
 * child of `father`, in child order, gets `reaper` as its real parent (appended to the reaper's
 * children) and keeps its tracer. A zombie child is notified to its new parent (which may reap
 * it). Then, per child, the POSIX rule: if the child's pgrp differs from the father's but is in
 * the same session, and it is now orphaned with a stopped member, SIGHUP then SIGCONT.
 */
export function forgetOriginalParent(ctx: Ctx, father: Task, reaper: Task): void {
  const children = father.children;
  father.children = [];
  for (const pid of children) {
    const child = ctx.s.tasks.get(pid);
    if (!child || child.parent !== father.pid) continue;
    ctx.record.task(child);
    ctx.record.task(reaper);
    child.parent = reaper.pid;
    reaper.children.push(pid);
    const { pgid, sid } = child;
    doNotifyParent(ctx, child);
    if (pgid !== father.pgid && sid === father.sid) killOrphanedPgrp(ctx, pgid, null);
  }
}
