import { isOrphanedPgrp } from '../kernel/orphan.js';
import { isAlive, type Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { VPID_DIV } from '../vpid/types.js';
import type { Invariant, Violation } from './types.js';

/** Invariants of the process model and the cluster (SPEC 9). */

const v = (invariant: string, subject: string, message: string): Violation => ({ invariant, subject, message });

/** `pid-unique`: pids unique; numbers in use within (0, pidMax), never with the VPID bit; `numUse` exact. */
const pidUnique: Invariant = {
  id: 'pid-unique',
  description: 'no two tasks share a pid; every number in use (pid, pgid, sid) is in 0 < n < pidMax; with vpid, none has bit 10 set',
  check(s) {
    const out: Violation[] = [];
    const counts = new Map<number, number>();
    for (const [key, t] of s.tasks) {
      if (t.pid !== key) out.push(v('pid-unique', `task ${key}`, `task table key ${key} holds pid ${t.pid}`));
      for (const n of [t.pid, t.pgid, t.sid]) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const [n, c] of counts) {
      if (!(n > 0 && n < s.config.pidMax)) out.push(v('pid-unique', `number ${n}`, `number ${n} in use outside 0 < n < pidMax (${s.config.pidMax})`));
      if (s.config.pidVirt === 'vpid' && (n & VPID_DIV) !== 0) out.push(v('pid-unique', `number ${n}`, `number ${n} in use has the VPID bit (bit 10) set`));
      if (s.numUse.get(n) !== c) out.push(v('pid-unique', `number ${n}`, `number ${n} is held ${c} times but numUse says ${s.numUse.get(n) ?? 0}`));
    }
    for (const n of s.numUse.keys()) if (!counts.has(n)) out.push(v('pid-unique', `number ${n}`, `numUse lists ${n}, which no task holds`));
    return out;
  },
};

function treeViolations(s: KernelState, t: Task): Violation[] {
  const out: Violation[] = [];
  const subject = `task ${t.pid}`;
  if (t.pid === 1) {
    if (t.parent !== 0) out.push(v('task-tree', subject, `global init has parent ${t.parent}`));
  } else {
    const parent = s.tasks.get(t.parent);
    if (!parent) out.push(v('task-tree', subject, `parent ${t.parent} does not exist`));
    else if (!parent.children.includes(t.pid)) out.push(v('task-tree', subject, `parent ${t.parent} does not list it as a child`));
    else if (parent.state === 'zombie' && isAlive(t)) out.push(v('task-tree', subject, `live task still points at zombie parent ${t.parent}`));
  }
  for (const c of t.children) {
    if (s.tasks.get(c)?.parent !== t.pid) out.push(v('task-tree', subject, `lists child ${c}, which does not point back`));
  }
  if (new Set(t.children).size !== t.children.length) out.push(v('task-tree', subject, 'lists a child twice'));
  return out;
}

/** Follows parent links from `t`; a walk longer than the task count is a cycle. */
function inCycle(s: KernelState, t: Task): boolean {
  let p: Task | undefined = t;
  for (let steps = 0; p && p.pid !== 1; steps++) {
    if (steps > s.tasks.size) return true;
    p = s.tasks.get(p.parent);
  }
  return false;
}

/** `task-tree`: a live-or-zombie parent listing each task, no cycles, no live child of a zombie. */
const taskTree: Invariant = {
  id: 'task-tree',
  description: 'every task but global init has a live-or-zombie parent that lists it as a child; no cycles; zombies have no live children that still point at them',
  check(s) {
    const out: Violation[] = [];
    if (!s.tasks.get(1) || !isAlive(s.tasks.get(1) as Task)) out.push(v('task-tree', 'task 1', 'global init is not alive'));
    for (const t of s.tasks.values()) {
      out.push(...treeViolations(s, t));
      if (inCycle(s, t)) out.push(v('task-tree', `task ${t.pid}`, 'parent links form a cycle'));
    }
    return out;
  },
};

/** `pgrp-session`: one session per pgrp, leaders lead their own pgrp, ids in use, `pgrps` index exact. */
const pgrpSession: Invariant = {
  id: 'pgrp-session',
  description: "every task's pgrp is inside its session; a session leader has pgid = sid = pid; every pgid and sid names a number in use",
  check(s) {
    const out: Violation[] = [];
    const sessionOf = new Map<number, number>();
    for (const t of s.tasks.values()) {
      const subject = `task ${t.pid}`;
      const sid = sessionOf.get(t.pgid);
      if (sid === undefined) sessionOf.set(t.pgid, t.sid);
      else if (sid !== t.sid) out.push(v('pgrp-session', `pgrp ${t.pgid}`, `pgrp ${t.pgid} spans sessions ${sid} and ${t.sid}`));
      if (t.sid === t.pid && t.pgid !== t.pid) out.push(v('pgrp-session', subject, `session leader has pgid ${t.pgid}`));
      if (!((s.numUse.get(t.pgid) ?? 0) > 0)) out.push(v('pgrp-session', subject, `pgid ${t.pgid} is not a number in use`));
      if (!((s.numUse.get(t.sid) ?? 0) > 0)) out.push(v('pgrp-session', subject, `sid ${t.sid} is not a number in use`));
      if (!s.pgrps.get(t.pgid)?.has(t.pid)) out.push(v('pgrp-session', subject, `pgrp index of ${t.pgid} lacks it`));
    }
    for (const [pgid, members] of s.pgrps) {
      for (const pid of members) {
        if (s.tasks.get(pid)?.pgid !== pgid) out.push(v('pgrp-session', `pgrp ${pgid}`, `pgrp index lists ${pid}, which is not a member`));
      }
    }
    return out;
  },
};

/** `ptrace-links`: both ends of every link agree; nobody traces itself; tracers are live. */
const ptraceLinks: Invariant = {
  id: 'ptrace-links',
  description: 'tracee.tracer ⇔ tracer lists tracee; no task traces itself; tracers are live',
  check(s) {
    const out: Violation[] = [];
    for (const t of s.tasks.values()) {
      const subject = `task ${t.pid}`;
      if (t.tracer === t.pid) out.push(v('ptrace-links', subject, 'traces itself'));
      if (t.tracer !== 0) {
        const tracer = s.tasks.get(t.tracer);
        if (!tracer || !isAlive(tracer)) out.push(v('ptrace-links', subject, `tracer ${t.tracer} is not live`));
        else if (!tracer.traced.includes(t.pid)) out.push(v('ptrace-links', subject, `tracer ${t.tracer} does not list it`));
      }
      for (const x of t.traced) {
        if (s.tasks.get(x)?.tracer !== t.pid) out.push(v('ptrace-links', subject, `lists tracee ${x}, whose tracer is not ${t.pid}`));
      }
      if (t.traced.length > 0 && !isAlive(t)) out.push(v('ptrace-links', subject, 'a zombie still traces tasks'));
    }
    return out;
  },
};

interface OrphanBefore {
  /** pgrps that existed and were not orphaned before the event. */
  unorphaned: Set<number>;
  /** tasks live before the event. */
  live: Set<number>;
}

const liveStopped = (s: KernelState, pgid: number): number | undefined =>
  [...(s.pgrps.get(pgid) ?? [])].find((pid) => s.tasks.get(pid)?.state === 'stopped');

/**
 * `orphan-stopped`: no pgrp the event made orphaned keeps a stopped member. "Made orphaned" is the
 * transition POSIX and 2.6.18 `exit_notify` act on: a pgrp that existed unorphaned before an event
 * in which some task exited. (setpgid/setsid can orphan a pgrp too, and the kernel sends nothing
 * then; see docs/semantics.md.)
 */
const orphanStopped: Invariant<OrphanBefore> = {
  id: 'orphan-stopped',
  description: 'no pgrp that the event made orphaned (orphaned after, not before) still has a stopped member',
  before(s) {
    const unorphaned = new Set<number>();
    for (const pgid of s.pgrps.keys()) if (!isOrphanedPgrp(s, pgid)) unorphaned.add(pgid);
    const live = new Set<number>();
    for (const t of s.tasks.values()) if (isAlive(t)) live.add(t.pid);
    return { unorphaned, live };
  },
  check(s, _v, before) {
    if (!before) return [];
    let exited = false;
    for (const pid of before.live) {
      const t = s.tasks.get(pid);
      if (!t || !isAlive(t)) exited = true;
    }
    if (!exited) return [];
    const out: Violation[] = [];
    for (const pgid of before.unorphaned) {
      if (!s.pgrps.has(pgid) || !isOrphanedPgrp(s, pgid)) continue;
      const stopped = liveStopped(s, pgid);
      if (stopped !== undefined) out.push(v('orphan-stopped', `pgrp ${pgid}`, `pgrp ${pgid} became orphaned with stopped member ${stopped}`));
    }
    return out;
  },
};

/** `cluster`: every live task runs on an up node; global init on node 0. */
const cluster: Invariant = {
  id: 'cluster',
  description: 'every live task runs on an up node; global init runs on node 0',
  check(s) {
    const out: Violation[] = [];
    for (const t of s.tasks.values()) {
      if (isAlive(t) && s.nodesUp[t.node] !== true) out.push(v('cluster', `task ${t.pid}`, `runs on node ${t.node}, which is not up`));
    }
    const init = s.tasks.get(1);
    if (init && init.node !== 0) out.push(v('cluster', 'task 1', `global init runs on node ${init.node}`));
    return out;
  },
};

export const PROCESS_INVARIANTS: Invariant[] = [pidUnique, taskTree, pgrpSession, ptraceLinks, orphanStopped as Invariant, cluster];
