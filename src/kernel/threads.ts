import { cgroupExit, cgroupFork } from '../cgroup/hooks.js';
import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import { putPidNum } from './pidmap.js';
import { exitTaskPidNs } from './pidns.js';
import { removeFrom } from './tasklist.js';
import { groupLeader } from './thread-group.js';

/** How a thread ends and how a group's other threads are ended (src/kernel/thread-group.ts says what a thread is). */

/**
 * A non-leader thread ends (`do_exit` of a thread, then `release_task` at once: a thread is
 * autoreaped, 6.x `exit_notify`): it leaves its cgroups and the task table, and its tid is free.
 */
export function releaseThread(ctx: Ctx, thread: Task): void {
  const leader = groupLeader(ctx.s, thread);
  ctx.record.task(thread);
  ctx.record.task(leader);
  cgroupExit(ctx, thread);
  removeFrom(leader.threads, thread.pid);
  exitTaskPidNs(ctx.s, thread);
  ctx.s.tasks.delete(thread.pid);
  putPidNum(ctx, thread.pid);
}

/**
 * `zap_other_threads` (`do_group_exit`, and a fatal signal's `complete_signal`): every thread of
 * the group but the leader's ends, ascending tid, before the process's own exit processing.
 */
export function zapOtherThreads(ctx: Ctx, leader: Task): void {
  for (const tid of [...leader.threads]) {
    const t = ctx.s.tasks.get(tid);
    if (t) releaseThread(ctx, t);
  }
}

/**
 * `de_thread` (exec by any thread, 2.6.18 and 6.x fs/exec.c): every other thread ends. When a
 * non-leader thread execs it takes its leader's place and pid (`exchange_tids`): the model keeps
 * the leader's record, which takes the exec'ing thread's cgroups, and a leader that had exited
 * lives again as that thread.
 */
export function deThread(ctx: Ctx, leader: Task, current: Task): void {
  if (current !== leader) {
    ctx.record.task(leader);
    cgroupExit(ctx, leader);
    cgroupFork(ctx, current, leader);
    leader.leaderExited = null;
  }
  zapOtherThreads(ctx, leader);
}
