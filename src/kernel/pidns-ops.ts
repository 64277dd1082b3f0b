import type { TaskHandler } from '../reducer/context.js';
import { defineOp } from '../reducer/op.js';
import { err, errOf, ok } from '../reducer/outcome.js';
import type { Event } from '../trace/schema-types.js';
import { byOf, caller, callerTask, type Gen, targetPid } from '../workload/gen.js';
import { checkNewPidNs, createPidNamespace, setPidNsForChildren, taskActivePidNs } from './pidns.js';
import { SETNS_POSTCONDITIONS, UNSHARE_POSTCONDITIONS } from './pidns.post.js';
import { findThreadByVpid } from './sessions.js';
import { currentThread } from './thread-group.js';

/**
 * `unshare {by, flags}` (6.x kernel/fork.c `ksys_unshare` → `unshare_nsproxy_namespaces` →
 * `copy_pid_ns` → `create_pid_namespace`, kernel/pid_namespace.c): with `newpid` the caller keeps
 * its pid and namespace, and its pid_for_children becomes a new namespace one level below, where
 * its next child is init. 2.6.18 `sys_unshare` refuses a flag it does not know with EINVAL.
 */
export const sysUnshare: TaskHandler<'unshare'> = (ctx, ev, caller) => {
  if (!(ev.flags ?? []).includes('newpid')) return ok(0);
  if (ctx.v.newpidFlag === 'unknown') return err('EINVAL', 'unshare-flag-unknown', 'newpid');
  // pid_for_children belongs to the calling thread (its own nsproxy), not to its process
  const me = currentThread(ctx, caller);
  const e = checkNewPidNs(ctx.s, me);
  if (e) return errOf(e);
  // Nothing may fail below here.
  const space = createPidNamespace(ctx.s, taskActivePidNs(ctx.s, me.pid));
  setPidNsForChildren(ctx.s, me, space.id);
  return ok(0);
};

/**
 * `setns {by, pid}` with a pidfd of task `pid` and CLONE_NEWPID (6.x kernel/nsproxy.c `setns` →
 * `validate_nsset` → `pidns_install`, kernel/pid_namespace.c): `pid` is looked up in the caller's
 * namespace as `pidfd_open` does (EINVAL for pid <= 0, ESRCH when it names nothing, ENOENT for a
 * thread other than its process's leader, as `pidfd_prepare` refuses without PIDFD_THREAD); a
 * task that has exited has no namespaces (ESRCH). 2.6.18 has no setns (ENOSYS).
 */
export const sysSetns: TaskHandler<'setns'> = (ctx, ev, caller) => {
  const s = ctx.s;
  if (ctx.v.newpidFlag === 'unknown') return err('ENOSYS', 'setns-none');
  if (ev.pid <= 0) return err('EINVAL', 'setns-pid-invalid', ev.pid);
  const t = findThreadByVpid(s, caller, ev.pid);
  if (!t) return err('ESRCH', 'no-such-task', ev.pid);
  // pidfd_open without PIDFD_THREAD takes a process only: a thread's tid is ENOENT (6.18 pidfd_prepare)
  if (t.tgid !== t.pid) return err('ENOENT', 'setns-thread', ev.pid);
  if (t.state === 'zombie') return err('ESRCH', 'setns-zombie', ev.pid);
  // pidns_install's EINVAL (a namespace above the caller's) cannot happen here: a task the caller
  // can name has a number in the caller's namespace, so its own is that one or below it.
  // Nothing may fail below here.
  setPidNsForChildren(s, currentThread(ctx, caller), taskActivePidNs(s, t.pid));
  return ok(0);
};

function genUnshare(g: Gen): Event {
  const t = caller(g);
  return { op: 'unshare', by: byOf(t), flags: g.next() % 5 === 0 ? [] : ['newpid'] };
}

function genSetns(g: Gen): Event {
  const t = caller(g);
  const me = callerTask(g, t);
  const sel = g.next();
  if (g.bad && sel % 3 === 0) return { op: 'setns', by: byOf(t), pid: sel % 2 ? 0 : -1 };
  return { op: 'setns', by: byOf(t), pid: targetPid(g, me) };
}

export const unshareOp = defineOp({
  name: 'unshare',
  env: false,
  handler: sysUnshare,
  post: UNSHARE_POSTCONDITIONS,
  models: 'ksys_unshare → copy_pid_ns → create_pid_namespace (6.x kernel/fork.c, kernel/pid_namespace.c); 2.6.18 sys_unshare',
  returns: '0',
  args: { flags: '`["newpid"]` (CLONE_NEWPID): the caller\'s next child is init of a new pid namespace; `[]` changes nothing' },
  effect: 'scoped',
  rules: ['newpidFlag'],
  errnos: ['ESRCH', 'EINVAL', { errno: 'ENOSPC', if: { newpidFlag: 'new-namespace' } }],
  reasons: [{ reason: 'unshare-flag-unknown', if: { newpidFlag: 'unknown' } }, ...(['pidns-for-children-differs', 'pidns-too-deep'] as const).map((reason) => ({ reason, if: { newpidFlag: 'new-namespace' } } as const))],
  // unshare(0) changes nothing; unshare(CLONE_NEWPID) makes a namespace
  successes: { names: ['none', { name: 'newpid', if: { newpidFlag: 'new-namespace' } }], of: (ev) => ((ev.flags ?? []).includes('newpid') ? 'newpid' : 'none') },
  gen: [{ weight: 2, make: genUnshare }],
});

export const setnsOp = defineOp({
  name: 'setns',
  env: false,
  handler: sysSetns,
  post: SETNS_POSTCONDITIONS,
  models: 'setns → validate_nsset → pidns_install (6.x kernel/nsproxy.c, kernel/pid_namespace.c)',
  returns: '0',
  args: { pid: "the task whose active pid namespace becomes the caller's pid_for_children, in the caller's view (as `pidfd_open`)" },
  effect: 'scoped',
  rules: ['newpidFlag'],
  errnos: ['ESRCH', { errno: 'ENOSYS', if: { newpidFlag: 'unknown' } }, { errno: 'EINVAL', if: { newpidFlag: 'new-namespace' } }, { errno: 'ENOENT', if: { newpidFlag: 'new-namespace' } }],
  reasons: [{ reason: 'setns-none', if: { newpidFlag: 'unknown' } }, ...(['setns-pid-invalid', 'no-such-task', 'setns-thread', 'setns-zombie'] as const).map((reason) => ({ reason, if: { newpidFlag: 'new-namespace' } } as const))],
  gen: [{ weight: 1, make: genSetns }],
});
