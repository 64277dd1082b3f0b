import type { Ctx } from '../reducer/context.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';

/*
 * Thread groups (CLONE_THREAD, 2.6.18 and 6.x `copy_process`). A process is its leader's record
 * (pid = tgid): parent, children, pgrp, session, dispositions, stop state and exit status are
 * process-wide (`signal_struct`, `sighand_struct`) and live there. Each further thread is a task
 * record of its own with `tgid` naming the leader: it has its own tid (a pid of the shared pid
 * space) and its own cgroup membership (`tasks` lists threads), and nothing else. A thread calls
 * as its process (src/reducer/apply.ts gives handlers the leader as caller and the thread in
 * `ctx.thread`); a pid naming a thread names its process for kill, getpgid, getsid and ptrace
 * (`group_send_sig_info` with PIDTYPE_TGID, `same_thread_group`).
 */

/** Whether `t` is a thread other than its group's leader (`!thread_group_leader`). */
export const isThread = (t: Task): boolean => t.tgid !== t.pid;

/** The leader of `t`'s thread group: the process (`t->group_leader`). */
export function groupLeader(s: KernelState, t: Task): Task {
  if (t.tgid === t.pid) return t;
  const leader = s.tasks.get(t.tgid);
  if (!leader) throw new Error(`internal: thread ${t.pid} has no leader ${t.tgid}`);
  return leader;
}

/** The thread that makes the current call (`current`): the calling thread, else the caller. */
export const currentThread = (ctx: Ctx, caller: Task): Task => ctx.thread ?? caller;

/** Whether the group of `leader` has a live thread besides the leader thread (`!thread_group_empty`). */
export const hasOtherThreads = (leader: Task): boolean => leader.threads.length > 0;

/** The group's live threads, leader first unless its thread has exited, then ascending tid. */
export function liveThreads(s: KernelState, leader: Task): Task[] {
  const out = leader.leaderExited ? [] : [leader];
  for (const tid of leader.threads) out.push(s.tasks.get(tid) as Task);
  return out;
}
