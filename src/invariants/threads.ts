import { isThread } from '../kernel/thread-group.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { Invariant, Violation } from './types.js';

/**
 * `thread-group` (reference: threads): a thread's `tgid` names a live process leader that lists
 * it; a thread carries no process-wide state of its own (parent, children, pgid, sid 0; the
 * leader's VPS and node); a leader lists its threads ascending, each pointing back; a leader
 * whose thread has exited still has a live thread (the group leader stays until the group is
 * empty, `delay_group_leader`), and a zombie leader has none (`zap_other_threads`).
 */
const v = (subject: string, message: string): Violation => ({ invariant: 'thread-group', subject, message });

function threadViolations(s: KernelState, t: Task, out: Violation[]): void {
  const subject = `task ${t.pid}`;
  if (isThread(t)) {
    const leader = s.tasks.get(t.tgid);
    if (!leader || isThread(leader)) out.push(v(subject, `thread group ${t.tgid} has no leader`));
    else {
      if (!leader.threads.includes(t.pid)) out.push(v(subject, `leader ${t.tgid} does not list thread ${t.pid}`));
      if (leader.state === 'zombie') out.push(v(subject, `thread ${t.pid} outlives its zombie leader ${t.tgid}`));
      if (leader.vps !== t.vps || leader.node !== t.node) out.push(v(subject, `thread ${t.pid} is in another VPS or on another node than its leader ${t.tgid}`));
    }
    if (t.parent !== 0 || t.children.length > 0 || t.pgid !== 0 || t.sid !== 0 || t.threads.length > 0 || t.leaderExited !== null || t.state !== 'running') {
      out.push(v(subject, `thread ${t.pid} carries process-wide state of its own`));
    }
    return;
  }
  for (let i = 0; i < t.threads.length; i++) {
    const tid = t.threads[i] as number;
    if (i > 0 && (t.threads[i - 1] as number) >= tid) out.push(v(subject, 'threads are not listed in ascending order'));
    if (s.tasks.get(tid)?.tgid !== t.pid) out.push(v(subject, `lists thread ${tid}, which does not point back`));
  }
  if (t.leaderExited !== null && t.threads.length === 0) out.push(v(subject, `leader ${t.pid} has exited and its group has no thread left, but the process is not a zombie`));
  if (t.state === 'zombie' && t.threads.length > 0) out.push(v(subject, `zombie ${t.pid} still has threads`));
}

export const threadGroup: Invariant = {
  id: 'thread-group',
  description: "a thread's tgid names a live leader that lists it; threads carry no process-wide state; a leader whose thread exited keeps a live thread, a zombie has none",
  check(s) {
    const out: Violation[] = [];
    for (const t of s.tasks.values()) threadViolations(s, t, out);
    return out;
  },
  /** The touched tasks and their leaders (a thread's creation or end touches both). */
  checkTouched(s, _v, touched) {
    const out: Violation[] = [];
    for (const pid of touched.tasks) {
      const t = s.tasks.get(pid);
      if (!t) continue;
      threadViolations(s, t, out);
    }
    return out;
  },
};
