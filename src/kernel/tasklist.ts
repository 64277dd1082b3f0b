import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { getPidNum, putPidNum } from './pidmap.js';

/**
 * The task list and its pid hashes (2.6.18 `attach_pid`/`detach_pid`, `SET_LINKS`/`REMOVE_LINKS`).
 * Every change of a task's pid, pgid or sid goes through here so that `numUse` and `pgrps` stay
 * exact indexes of the task table.
 */

function joinPgrp(s: KernelState, t: Task): void {
  let members = s.pgrps.get(t.pgid);
  if (!members) s.pgrps.set(t.pgid, (members = new Set()));
  members.add(t.pid);
}

function leavePgrp(s: KernelState, t: Task): void {
  const members = s.pgrps.get(t.pgid);
  if (!members) return;
  members.delete(t.pid);
  if (members.size === 0) s.pgrps.delete(t.pgid);
}

/** Makes a freshly built task visible: task table, pid/pgid/sid holds, pgrp index, parent's children. */
export function hashTask(ctx: Ctx, t: Task): void {
  const s = ctx.s;
  ctx.record.task(t);
  s.tasks.set(t.pid, t);
  getPidNum(ctx, t.pid);
  getPidNum(ctx, t.pgid);
  getPidNum(ctx, t.sid);
  joinPgrp(s, t);
  const parent = s.tasks.get(t.parent);
  if (parent) {
    ctx.record.task(parent);
    parent.children.push(t.pid);
  }
}

/** The inverse of hashTask (`__unhash_process`); numbers that fall out of use are freed. */
export function unhashTask(ctx: Ctx, t: Task): void {
  const s = ctx.s;
  ctx.record.task(t);
  const parent = s.tasks.get(t.parent);
  if (parent) {
    ctx.record.task(parent);
    removeFrom(parent.children, t.pid);
  }
  leavePgrp(s, t);
  s.tasks.delete(t.pid);
  putPidNum(ctx, t.pid);
  putPidNum(ctx, t.pgid);
  putPidNum(ctx, t.sid);
}

/**
 * Moves `t` into process group `pgid` of session `sid` (`detach_pid`+`attach_pid` for PIDTYPE_PGID
 * and PIDTYPE_SID). Holds are taken before old ones are dropped so a number shared by both never
 * drops to zero in between (which would free its vpid mapping).
 */
export function changePgrp(ctx: Ctx, t: Task, pgid: number, sid: number): void {
  const s = ctx.s;
  const oldPgid = t.pgid;
  const oldSid = t.sid;
  ctx.record.task(t);
  getPidNum(ctx, pgid);
  getPidNum(ctx, sid);
  leavePgrp(s, t);
  t.pgid = pgid;
  t.sid = sid;
  joinPgrp(s, t);
  putPidNum(ctx, oldPgid);
  putPidNum(ctx, oldSid);
}

/** Removes the first occurrence of `x` from `xs`, keeping the order of the rest. */
export function removeFrom<T>(xs: T[], x: T): void {
  const i = xs.indexOf(x);
  if (i >= 0) xs.splice(i, 1);
}

/** Tasks of `pgid` (zombies included), ascending global pid: the order group signals are sent in. */
export function pgrpMembers(s: KernelState, pgid: number): number[] {
  const members = s.pgrps.get(pgid);
  return members ? [...members].sort((a, b) => a - b) : [];
}
