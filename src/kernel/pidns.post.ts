import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import { isVisible, viewToPid } from '../vpid/view.js';
import { pidNrNs, pidNsForChildren, pidNsLevel, taskActivePidNs } from './pidns.js';
import { MAX_PID_NS_LEVEL } from './pidns-types.js';
import { post, runnableCaller, show } from './post-util.js';

/**
 * What unshare, setns and fork promise about pid namespaces (reference: pid namespaces), restated
 * from 6.x kernel/pid_namespace.c (`copy_pid_ns`, `create_pid_namespace`, `pidns_install`) and
 * kernel/pid.c (`alloc_pid`) rather than from the handlers.
 */
type Ev<K extends Event['op']> = Extract<Event, { op: K }>;

interface NsPre {
  caller: Task | null;
  active: number;
  forChildren: number;
  level: number;
  spaces: number;
}

function nsPre(s: KernelState, _v: SemanticVersion, ev: { by: number }): NsPre {
  const c = runnableCaller(s, ev.by);
  const caller = c ? { ...c } : null;
  const active = c ? taskActivePidNs(s, c.pid) : 0;
  // pid_for_children is the calling thread's own (`by`)
  const forChildren = c ? pidNsForChildren(s, ev.by) : 0;
  return { caller, active, forChildren, level: pidNsLevel(s, active), spaces: s.pidns.spaces.size };
}

const outcomeText = (o: object): string => show('ret' in o ? { ret: (o as { ret: unknown }).ret } : o);

export const UNSHARE_POSTCONDITIONS = [
  post<Ev<'unshare'>, NsPre>({
    id: 'post-unshare-result',
    doc: 'unshare of a new pid namespace fails with EINVAL exactly when the kernel lacks CLONE_NEWPID or the caller\'s pid_for_children is not its active namespace, with ENOSPC exactly when the new one would be deeper than 32, else returns 0 (6.x copy_pid_ns, create_pid_namespace)',
    before: nsPre,
    check(pre, _s, v, ev, o) {
      if (!pre.caller) return null;
      const newpid = (ev.flags ?? []).includes('newpid');
      const want = !newpid ? { ret: 0 } : v.newpidFlag === 'unknown' || pre.forChildren !== pre.active ? { err: 'EINVAL' } : pre.level + 1 > MAX_PID_NS_LEVEL ? { err: 'ENOSPC' } : { ret: 0 };
      return outcomeText(o) === show(want) ? null : `${outcomeText(o)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'unshare'>, NsPre>({
    id: 'post-unshare-namespace',
    doc: "after a successful unshare of a new pid namespace the caller's active namespace is unchanged and its pid_for_children is a new, empty namespace one level below it (6.x create_pid_namespace)",
    before: nsPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o) || !(ev.flags ?? []).includes('newpid') || s.pidns.spaces.size === pre.spaces) return null;
      const c = pre.caller.pid;
      if (taskActivePidNs(s, c) !== pre.active) return `caller ${c} moved to namespace ${taskActivePidNs(s, c)}`;
      const ns = pidNsForChildren(s, ev.by);
      const space = s.pidns.spaces.get(ns);
      if (!space || space.parent !== pre.active || space.level !== pre.level + 1 || space.nrs.size !== 0) return `pid_for_children ${ns} of caller ${c} is not a new empty namespace below ${pre.active}`;
      return null;
    },
  }),
];

interface SetnsPre extends NsPre {
  target: number | null;
  /** The pid names a thread other than its process's leader. */
  thread: boolean;
}

function setnsPre(s: KernelState, v: SemanticVersion, ev: Ev<'setns'>): SetnsPre {
  const pre = nsPre(s, v, ev);
  const g = pre.caller && ev.pid > 0 ? viewToPid(s, pre.caller, ev.pid) : null;
  const t = g === null ? undefined : s.tasks.get(g);
  const seen = t && pre.caller && isVisible(s, pre.caller, t);
  return { ...pre, target: seen && t.state !== 'zombie' ? t.pid : null, thread: !!seen && t.tgid !== t.pid };
}

export const SETNS_POSTCONDITIONS = [
  post<Ev<'setns'>, SetnsPre>({
    id: 'post-setns-result',
    doc: 'setns fails with ENOSYS exactly when the kernel has no pid namespaces, else with EINVAL exactly for a pid <= 0, else with ENOENT exactly for a thread other than its leader, else with ESRCH exactly when the pid names no live task the caller sees, else returns 0 (6.x pidfd_open, validate_nsset)',
    before: setnsPre,
    check(pre, _s, v, ev, o) {
      if (!pre.caller) return null;
      const want = v.newpidFlag === 'unknown' ? { err: 'ENOSYS' } : ev.pid <= 0 ? { err: 'EINVAL' } : pre.thread ? { err: 'ENOENT' } : pre.target === null ? { err: 'ESRCH' } : { ret: 0 };
      return outcomeText(o) === show(want) ? null : `${outcomeText(o)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'setns'>, SetnsPre>({
    id: 'post-setns-namespace',
    doc: "after a successful setns the caller's pid_for_children is the target's active pid namespace, which is the caller's own or below it, and the caller's active namespace is unchanged (6.x pidns_install)",
    before: setnsPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      if (pre.target === null) return `setns succeeded, but names no task the caller sees`;
      const c = pre.caller.pid;
      const want = taskActivePidNs(s, pre.target);
      if (pidNsForChildren(s, ev.by) !== want) return `pid_for_children of ${ev.by} is ${pidNsForChildren(s, ev.by)}, target ${pre.target} is in ${want}`;
      if (taskActivePidNs(s, c) !== pre.active) return `caller ${c} moved to namespace ${taskActivePidNs(s, c)}`;
      if (pidNrNs(s, pre.target, pre.active) === 0) return `target ${pre.target} is not numbered in the caller's namespace`;
      return null;
    },
  }),
];

/** What fork promises about the child's namespace: it is the parent's pid_for_children (or a new one below it with `newpid`). */
export const FORK_PIDNS_POSTCONDITION = post<Ev<'fork'>, NsPre>({
  id: 'post-fork-pidns',
  doc: "a forked child's active pid namespace is the parent's pid_for_children, or with newpid under linux-6 a new one below it in which the child is 1 and init; fork returns the child's number in the parent's active namespace (6.x alloc_pid, copy_process)",
  before: nsPre,
  check(pre, s, v, ev, o) {
    if (!pre.caller || !('ret' in o) || typeof o.ret !== 'number' || v.vps) return null;
    const child = findChild(s, pre.caller.pid, o.ret, pre.active);
    if (!child) return `fork returned ${o.ret}, which names no new child of ${pre.caller.pid} in its namespace`;
    const ns = taskActivePidNs(s, child.pid);
    if (ev.newpid && v.newpidFlag === 'new-namespace') {
      const space = s.pidns.spaces.get(ns);
      if (!space || space.parent !== pre.forChildren || space.reaper !== child.pid || pidNrNs(s, child.pid, ns) !== 1) return `child ${child.pid} is not init (1) of a new namespace below ${pre.forChildren}`;
    } else if (ns !== pre.forChildren) return `child ${child.pid} is in namespace ${ns}, the parent's pid_for_children is ${pre.forChildren}`;
    return null;
  },
});

/** The parent's child whose number in namespace `ns` is `nr`. */
function findChild(s: KernelState, parent: number, nr: number, ns: number): Task | undefined {
  const p = s.tasks.get(parent);
  for (const c of p?.children ?? []) if (pidNrNs(s, c, ns) === nr) return s.tasks.get(c);
  return undefined;
}
