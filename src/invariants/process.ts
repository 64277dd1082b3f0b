import { isOrphanedPgrp } from '../kernel/orphan.js';
import { isAlive, type Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { VPID_DIV } from '../vpid/types.js';
import { isThread } from '../kernel/thread-group.js';
import { heldCounts } from './holds.js';
import { threadGroup } from './threads.js';
import type { Invariant, Violation } from './types.js';

/** Invariants of the process model and the cluster (reference: Invariants and postconditions). */

const v = (invariant: string, subject: string, message: string): Violation => ({ invariant, subject, message });

/** `pid-unique`: pids unique; numbers in use within (0, pidMax), never with the VPID bit; `numUse` exact. */
const keyViolation = (key: number, t: Task): Violation => v('pid-unique', `task ${key}`, `task table key ${key} holds pid ${t.pid}`);

/** The violations of number `n`, held `c` times by tasks (0: held by none). */
function numberViolations(s: KernelState, n: number, c: number, out: Violation[]): void {
  if (c === 0) {
    if (s.numUse.has(n)) out.push(v('pid-unique', `number ${n}`, `numUse lists ${n}, which no task holds`));
    return;
  }
  if (!(n > 0 && n < s.config.pidMax)) out.push(v('pid-unique', `number ${n}`, `number ${n} in use outside 0 < n < pidMax (${s.config.pidMax})`));
  if (s.config.pidVirt === 'vpid' && (n & VPID_DIV) !== 0) out.push(v('pid-unique', `number ${n}`, `number ${n} in use has the VPID bit (bit 10) set`));
  if (s.numUse.get(n) !== c) out.push(v('pid-unique', `number ${n}`, `number ${n} is held ${c} times but numUse says ${s.numUse.get(n) ?? 0}`));
}

const bump = (counts: Map<number, number>, n: number): void => void counts.set(n, (counts.get(n) ?? 0) + 1);

const pidUnique: Invariant = {
  id: 'pid-unique',
  description: 'no two tasks share a pid; every number in use (pid, pgid, sid) is in 0 < n < pidMax; with vpid, none has bit 10 set',
  check(s) {
    const out: Violation[] = [];
    const counts = new Map<number, number>();
    for (const [key, t] of s.tasks) {
      if (t.pid !== key) out.push(keyViolation(key, t));
      bump(counts, t.pid);
      // A non-leader thread holds its tid only: its process's pgid and sid are its leader's holds.
      if (isThread(t)) continue;
      bump(counts, t.pgid);
      bump(counts, t.sid);
    }
    for (const [n, c] of counts) numberViolations(s, n, c, out);
    for (const n of s.numUse.keys()) if (!counts.has(n)) numberViolations(s, n, 0, out);
    return out;
  },
  /** The touched tasks' table keys; the holds of the touched numbers (`heldCounts`). */
  checkTouched(s, _v, touched) {
    const out: Violation[] = [];
    for (const pid of touched.tasks) {
      const t = s.tasks.get(pid);
      if (t && t.pid !== pid) out.push(keyViolation(pid, t));
    }
    const nums = touched.numbers;
    if (nums.length === 0) return out;
    const counts = heldCounts(s, touched);
    nums.forEach((n, i) => numberViolations(s, n, counts[i] as number, out));
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
  if (hasDuplicate(t.children)) out.push(v('task-tree', subject, 'lists a child twice'));
  return out;
}

/** Whether `xs` holds a value twice (no allocation: global init's long list reuses one set). */
function hasDuplicate(xs: readonly number[]): boolean {
  if (xs.length > 32) {
    seen.clear();
    for (const x of xs) seen.add(x);
    return seen.size !== xs.length;
  }
  for (let i = 1; i < xs.length; i++) if (xs.lastIndexOf(xs[i] as number, i - 1) >= 0) return true;
  return false;
}
const seen = new Set<number>();

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
    initAlive(s, out);
    for (const t of s.tasks.values()) taskTreeOf(s, t, out);
    return out;
  },
  /** The touched tasks (their parent and child links both ways), and a zombie's children. */
  checkTouched(s, _v, touched) {
    const out: Violation[] = [];
    for (const pid of touched.tasks) {
      if (pid === 1) initAlive(s, out);
      const t = s.tasks.get(pid);
      if (!t) continue;
      taskTreeOf(s, t, out);
      if (t.state !== 'zombie') continue;
      for (const c of t.children) {
        const child = s.tasks.get(c);
        if (child && !touched.tasks.includes(c)) taskTreeOf(s, child, out);
      }
    }
    return out;
  },
};

function initAlive(s: KernelState, out: Violation[]): void {
  const init = s.tasks.get(1);
  if (!init || !isAlive(init)) out.push(v('task-tree', 'task 1', 'global init is not alive'));
}

function taskTreeOf(s: KernelState, t: Task, out: Violation[]): void {
  // A non-leader thread is no one's child (thread-group checks its link to its leader).
  if (isThread(t)) return;
  for (const x of treeViolations(s, t)) out.push(x);
  if (inCycle(s, t)) out.push(v('task-tree', `task ${t.pid}`, 'parent links form a cycle'));
}

/** `pgrp-session`: one session per pgrp, leaders lead their own pgrp, ids in use, `pgrps` index exact. */
const pgrpSession: Invariant = {
  id: 'pgrp-session',
  description: "every task's pgrp is inside its session; a session leader has pgid = sid = pid; every pgid and sid names a number in use",
  check(s) {
    const out: Violation[] = [];
    const sessionOf = new Map<number, number>();
    for (const t of s.tasks.values()) {
      spansSessions(sessionOf, t, out);
      taskPgrpViolations(s, t, out);
    }
    for (const [pgid, members] of s.pgrps) indexViolations(s, pgid, members, out);
    return out;
  },
  /**
   * The touched tasks; the pgrps they are in and the touched numbers' pgrps (index and session).
   * Only touched tasks join or leave a pgrp or change session (changePgrp, hashTask and unhashTask
   * touch them first), so of a pgrp's index only their entries changed, and its untouched members
   * are still in the one session all its members shared before. A pgrp whose members may now be in
   * two sessions is rescanned in task-table order, as `check`.
   */
  checkTouched(s, _v, touched) {
    const out: Violation[] = [];
    const pgids: number[] = [];
    for (const pid of touched.tasks) {
      const t = s.tasks.get(pid);
      if (!t) continue;
      taskPgrpViolations(s, t, out);
      if (!pgids.includes(t.pgid)) pgids.push(t.pgid);
    }
    for (const n of touched.numbers) if (!pgids.includes(n)) pgids.push(n);
    let mixed: number[] | null = null;
    for (const pgid of pgids) {
      const members = s.pgrps.get(pgid);
      if (!members) continue;
      for (const pid of touched.tasks) if (members.has(pid)) indexViolation(s, pgid, pid, out);
      if (spansTwo(s, members, touched.tasks)) (mixed ??= []).push(pgid);
    }
    if (mixed) {
      const sessionOf = new Map<number, number>();
      for (const t of s.tasks.values()) if (mixed.includes(t.pgid)) spansSessions(sessionOf, t, out);
    }
    return out;
  },
};

/** Whether the index members of a pgrp may belong to two sessions: the touched ones against each other and one untouched one. */
function spansTwo(s: KernelState, members: ReadonlySet<number>, touched: readonly number[]): boolean {
  let sid: number | undefined;
  for (const pid of members) {
    if (touched.includes(pid)) continue;
    sid = s.tasks.get(pid)?.sid;
    if (sid !== undefined) break;
  }
  for (const pid of touched) {
    const m = members.has(pid) ? s.tasks.get(pid) : undefined;
    if (!m) continue;
    if (sid === undefined) sid = m.sid;
    else if (m.sid !== sid) return true;
  }
  return false;
}

function spansSessions(sessionOf: Map<number, number>, t: Task, out: Violation[]): void {
  if (isThread(t)) return;
  const sid = sessionOf.get(t.pgid);
  if (sid === undefined) sessionOf.set(t.pgid, t.sid);
  else if (sid !== t.sid) out.push(v('pgrp-session', `pgrp ${t.pgid}`, `pgrp ${t.pgid} spans sessions ${sid} and ${t.sid}`));
}

function taskPgrpViolations(s: KernelState, t: Task, out: Violation[]): void {
  if (isThread(t)) return;
  const subject = `task ${t.pid}`;
  if (t.sid === t.pid && t.pgid !== t.pid) out.push(v('pgrp-session', subject, `session leader has pgid ${t.pgid}`));
  if (!((s.numUse.get(t.pgid) ?? 0) > 0)) out.push(v('pgrp-session', subject, `pgid ${t.pgid} is not a number in use`));
  if (!((s.numUse.get(t.sid) ?? 0) > 0)) out.push(v('pgrp-session', subject, `sid ${t.sid} is not a number in use`));
  if (!s.pgrps.get(t.pgid)?.has(t.pid)) out.push(v('pgrp-session', subject, `pgrp index of ${t.pgid} lacks it`));
}

function indexViolations(s: KernelState, pgid: number, members: ReadonlySet<number>, out: Violation[]): void {
  for (const pid of members) indexViolation(s, pgid, pid, out);
}

function indexViolation(s: KernelState, pgid: number, pid: number, out: Violation[]): void {
  if (s.tasks.get(pid)?.pgid !== pgid) out.push(v('pgrp-session', `pgrp ${pgid}`, `pgrp index lists ${pid}, which is not a member`));
}

/** `ptrace-links`: both ends of every link agree; nobody traces itself; tracers are live. */
const ptraceLinks: Invariant = {
  id: 'ptrace-links',
  description: 'tracee.tracer ⇔ tracer lists tracee; no task traces itself; tracers are live',
  check(s) {
    const out: Violation[] = [];
    for (const t of s.tasks.values()) ptraceViolations(s, t, out);
    return out;
  },
  /** The touched tasks, their tracers and their tracees. */
  checkTouched(s, _v, touched) {
    const out: Violation[] = [];
    const seen: number[] = [];
    const one = (pid: number): void => {
      if (seen.includes(pid)) return;
      seen.push(pid);
      const t = s.tasks.get(pid);
      if (t) ptraceViolations(s, t, out);
    };
    for (const pid of touched.tasks) {
      one(pid);
      const t = s.tasks.get(pid);
      if (!t) continue;
      if (t.tracer !== 0) one(t.tracer);
      for (const x of t.traced) one(x);
    }
    return out;
  },
};

function ptraceViolations(s: KernelState, t: Task, out: Violation[]): void {
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

interface OrphanBefore {
  /** pgrps that existed and were not orphaned before the event. */
  unorphaned: Set<number>;
  /** tasks live before the event. */
  live: number[];
}

function liveStopped(s: KernelState, pgid: number): number | undefined {
  for (const pid of s.pgrps.get(pgid) ?? []) if (s.tasks.get(pid)?.state === 'stopped') return pid;
  return undefined;
}

/** pgrp `pgid` (which existed unorphaned before) is orphaned now and has a stopped member. */
function orphanedStopped(s: KernelState, pgid: number, out: Violation[]): void {
  if (!s.pgrps.has(pgid) || !isOrphanedPgrp(s, pgid)) return;
  const stopped = liveStopped(s, pgid);
  if (stopped !== undefined) out.push(v('orphan-stopped', `pgrp ${pgid}`, `pgrp ${pgid} became orphaned with stopped member ${stopped}`));
}

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
    const live: number[] = [];
    for (const t of s.tasks.values()) if (isAlive(t)) live.push(t.pid);
    return { unorphaned, live };
  },
  check(s, _v, before) {
    if (!before || !someExited(s, before.live)) return [];
    const out: Violation[] = [];
    for (const pgid of before.unorphaned) orphanedStopped(s, pgid, out);
    return out;
  },
  /**
   * Only when exit processing ran (touched.exited), and only the pgrps of the touched tasks: an
   * exit can orphan only the pgrp of a task that died, was reparented or was signalled. Whether
   * each was orphaned before the event is what exit processing recorded (`touched.orphanedBefore`,
   * so the checker takes no `before`): a pgrp it did not record kept its orphaned state.
   */
  recordsBefore: true,
  checkTouched(s, _v, touched) {
    if (!touched.exited) return [];
    const out: Violation[] = [];
    const pgids: number[] = [];
    for (const pid of touched.tasks) {
      const t = s.tasks.get(pid);
      if (!t || pgids.includes(t.pgid)) continue;
      pgids.push(t.pgid);
      if (touched.orphanedBefore.get(t.pgid) === false) orphanedStopped(s, t.pgid, out);
    }
    return out;
  },
};

function someExited(s: KernelState, live: readonly number[]): boolean {
  for (const pid of live) {
    const t = s.tasks.get(pid);
    if (!t || !isAlive(t)) return true;
  }
  return false;
}

/** `cluster`: every live task runs on an up node; global init on node 0. */
const cluster: Invariant = {
  id: 'cluster',
  description: 'every live task runs on an up node; global init runs on node 0',
  check(s) {
    const out: Violation[] = [];
    for (const t of s.tasks.values()) nodeViolation(s, t, out);
    initNode(s, out);
    return out;
  },
  checkTouched(s, _v, touched) {
    const out: Violation[] = [];
    for (const pid of touched.tasks) {
      const t = s.tasks.get(pid);
      if (t) nodeViolation(s, t, out);
      if (pid === 1) initNode(s, out);
    }
    return out;
  },
};

function nodeViolation(s: KernelState, t: Task, out: Violation[]): void {
  if (isAlive(t) && s.nodesUp[t.node] !== true) out.push(v('cluster', `task ${t.pid}`, `runs on node ${t.node}, which is not up`));
}

function initNode(s: KernelState, out: Violation[]): void {
  const init = s.tasks.get(1);
  if (init && init.node !== 0) out.push(v('cluster', 'task 1', `global init runs on node ${init.node}`));
}

export const PROCESS_INVARIANTS: Invariant[] = [pidUnique, taskTree, pgrpSession, ptraceLinks, orphanStopped as Invariant, cluster, threadGroup];
