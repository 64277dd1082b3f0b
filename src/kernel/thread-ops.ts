import { cgroupFork } from '../cgroup/hooks.js';
import type { TaskHandler } from '../reducer/context.js';
import { defineOp } from '../reducer/op.js';
import { err, errOf, ok } from '../reducer/outcome.js';
import { newTask } from '../state/boot.js';
import type { Task } from '../state/task.js';
import { pidToView } from '../vpid/view.js';
import { caller } from '../workload/gen.js';
import { pickOr } from '../workload/pick.js';
import { doExit } from './exit.js';
import { allocPidmap, getPidNum } from './pidmap.js';
import { allocPidNs, attachPidNs, pidNsForChildren, taskActivePidNs } from './pidns.js';
import { currentThread, hasOtherThreads } from './thread-group.js';
import { releaseThread } from './threads.js';
import { THREAD_POSTCONDITIONS } from './threads.post.js';
import { isGlobalInit } from './vpsinit.js';

/**
 * `clone_thread {by}` (`copy_process` with CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 2.6.18 and
 * 6.x): a new thread of the caller's process. Its tid comes from the pid allocator (`alloc_pid`:
 * EAGAIN when full); it joins the css_set of the thread that made it (`cgroup_fork`); it is not
 * a child of anyone (`exit_signal` -1, never on a `children` list) and shares everything
 * process-wide with its leader. Threads inside an OpenVZ VPS are not modelled (EINVAL). In a pid
 * namespace the thread is numbered in its process's namespace and every one above (`alloc_pid` of
 * `pid_ns_for_children`); 6.x `copy_process` refuses CLONE_THREAD once the caller's
 * pid_for_children is another namespace than its own (EINVAL, after `unshare(CLONE_NEWPID)`), and
 * a namespace whose init has died takes no task (ENOMEM).
 */
export const sysCloneThread: TaskHandler<'clone_thread'> = (ctx, _ev, caller) => {
  if (caller.vps !== 0) return err('EINVAL', 'thread-in-vps', caller.pid);
  const ns = taskActivePidNs(ctx.s, caller.pid);
  if (pidNsForChildren(ctx.s, currentThread(ctx, caller).pid) !== ns) return err('EINVAL', 'pidns-for-children-differs', caller.pid);
  const r = allocPidmap(ctx);
  if (!r.ok) return errOf(r);
  const numbers = allocPidNs(ctx.s, { ns, create: false });
  if (!numbers.ok) return errOf(numbers);
  // Nothing may fail below here.
  const tid = r.value;
  const thread = newTask({ pid: tid, parent: 0, pgid: 0, sid: 0, node: caller.node, vps: 0, cssSet: caller.cssSet });
  thread.tgid = caller.pid;
  const self = currentThread(ctx, caller);
  // dup_task_struct copies the calling thread's cpus_mask (6.x dup_user_cpus_ptr the request)
  if (self.affinity) thread.affinity = [...self.affinity];
  ctx.record.task(thread);
  ctx.record.task(caller);
  ctx.s.tasks.set(tid, thread);
  getPidNum(ctx, tid);
  attachPidNs(ctx, thread, numbers.value);
  let i = caller.threads.length;
  while (i > 0 && (caller.threads[i - 1] as number) > tid) i--;
  caller.threads.splice(i, 0, tid);
  cgroupFork(ctx, currentThread(ctx, caller), thread);
  return ok(pidToView(ctx.s, caller, tid));
};

/** `gettid {by}` (`sys_gettid`): the calling thread's own id; the leader's is its pid. */
export const sysGettid: TaskHandler<'gettid'> = (ctx, _ev, caller) => ok(pidToView(ctx.s, caller, currentThread(ctx, caller).pid));

/**
 * `exit_thread {by, code}` (`sys_exit`, not `exit_group`): only the calling thread ends. A
 * non-leader thread is released at once (6.x `exit_notify`: autoreap). The leader's thread, while
 * other threads live, keeps its status for later (`delay_group_leader`:
 * wait does not report the process yet). The last thread to go ends the process with the
 * leader's status (`wait_task_zombie`: `exit_code`, no SIGNAL_GROUP_EXIT). Global init's last
 * thread cannot exit (EPERM, as `exit`).
 */
export const sysExitThread: TaskHandler<'exit_thread'> = (ctx, ev, caller) => {
  const me = currentThread(ctx, caller);
  const status = { exited: ev.code & 255 };
  const last = me === caller ? !hasOtherThreads(caller) : caller.leaderExited !== null && caller.threads.length === 1;
  if (last && isGlobalInit(caller)) return err('EPERM', 'exit-global-init');
  // Nothing may fail below here.
  if (me !== caller) {
    releaseThread(ctx, me);
    if (last) doExit(ctx, caller, caller.leaderExited ?? status);
  } else if (last) {
    doExit(ctx, caller, status);
  } else {
    // The model keeps the exited leader in its cgroups until the group ends (6.x moves it to its
    // css_set's dying tasks); `tasks` and `cgroup.procs` do not list it, as 6.x does not.
    ctx.record.task(caller);
    caller.leaderExited = status;
  }
  return ok(0);
};

/** A thread of a live process to act as the caller, or the process itself. */
function anyThread(t: Task | number, sel: number, tasks: ReadonlyMap<number, Task>): number {
  if (typeof t === 'number') return t;
  const ids = t.leaderExited ? [...t.threads] : [t.pid, ...t.threads];
  return pickOr(ids.filter((id) => tasks.has(id)), sel, t.pid);
}

export const cloneThreadOp = defineOp({
  name: 'clone_thread',
  env: false,
  handler: sysCloneThread,
  post: THREAD_POSTCONDITIONS.clone_thread,
  models: 'copy_process with CLONE_THREAD (2.6.18 and 6.18 kernel/fork.c)',
  returns: "the new thread's tid in the caller's view",
  effect: 'scoped',
  rules: ['vps', 'newpidFlag'],
  // ESRCH: the caller; EINVAL: inside a VPS (not modelled), or pid_for_children differs; EAGAIN:
  // alloc_pidmap. (A dead namespace's ENOMEM needs a live caller in it, and zap_pid_ns_processes
  // has killed every one.)
  errnos: ['ESRCH', 'EINVAL', 'EAGAIN'],
  reasons: [{ reason: 'thread-in-vps', if: { vps: true } }, 'pidmap-full', { reason: 'pidns-for-children-differs', if: { newpidFlag: 'new-namespace' } }],
  gen: [{ weight: 3, make: (g) => { const t = caller(g); return { op: 'clone_thread', by: anyThread(t, g.next(), g.s.tasks) }; } }],
});

export const gettidOp = defineOp({
  name: 'gettid',
  env: false,
  handler: sysGettid,
  post: THREAD_POSTCONDITIONS.gettid,
  models: 'sys_gettid (2.6.18 kernel/timer.c, 6.18 kernel/sys.c)',
  returns: "the calling thread's id in the caller's view (a single-threaded process's pid)",
  effect: 'none',
  errnos: ['ESRCH'],
  gen: [{ weight: 1, make: (g) => { const t = caller(g); return { op: 'gettid', by: anyThread(t, g.next(), g.s.tasks) }; } }],
});

export const exitThreadOp = defineOp({
  name: 'exit_thread',
  env: false,
  handler: sysExitThread,
  post: THREAD_POSTCONDITIONS.exit_thread,
  models: 'sys_exit → do_exit of one thread, exit_notify, release_task, delay_group_leader (6.18 kernel/exit.c; 2.6.18 alike)',
  returns: '0',
  args: { code: "exit code; the process's status keeps code & 255 when this is its leader's thread" },
  effect: 'scoped',
  exits: true,
  // global init's last thread
  errnos: ['ESRCH', 'EPERM'],
  reasons: ['exit-global-init'],
  gen: [{ weight: 3, make: (g) => { const t = caller(g); const sel = g.next(); return { op: 'exit_thread', by: anyThread(t, sel, g.s.tasks), code: sel % 7 }; } }],
});
