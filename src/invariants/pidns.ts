import { MAX_PID_NS_LEVEL, ROOT_PIDNS } from '../kernel/pidns-types.js';
import type { KernelState } from '../state/types.js';
import type { Invariant, Violation } from './types.js';

/**
 * `pidns-bijection` (reference: Invariants and postconditions), the modern counterpart of
 * `vpid-bijection`: in every pid namespace the numbers and the global numbers they stand for are
 * a bijection (6.x kernel/pid.c: each namespace's idr maps a number to one `struct pid`, and that
 * pid's `numbers[level]` maps back), and they nest: a number's namespaces go one level down at a
 * time from the root, each the parent of the next (`create_pid_namespace`), never below
 * MAX_PID_NS_LEVEL. An init that is still in the task table is number 1 of its namespace; a
 * pid_for_children is the task's own namespace or one below it (`pidns_install`, `copy_pid_ns`).
 * Checked in full after every event that may change tasks; with no namespace it costs three size checks.
 */
const ID = 'pidns-bijection';
const v = (subject: string, message: string): Violation => ({ invariant: ID, subject, message });

function namespaceViolations(s: KernelState): Violation[] {
  const out: Violation[] = [];
  const root = s.config.rootPidNsLevel;
  const level = (id: number): number | undefined => (id === ROOT_PIDNS ? root : s.pidns.spaces.get(id)?.level);
  for (const n of s.pidns.spaces.values()) {
    const subject = `pidns ${n.id}`;
    if (level(n.parent) === undefined) out.push(v(subject, `parent namespace ${n.parent} does not exist`));
    else if (n.level !== (level(n.parent) as number) + 1) out.push(v(subject, `level ${n.level} is not one below its parent ${n.parent}'s`));
    if (n.level > MAX_PID_NS_LEVEL) out.push(v(subject, `level ${n.level} is deeper than ${MAX_PID_NS_LEVEL}`));
    const depth = n.level - root - 1;
    for (const [nr, g] of n.nrs) {
      const u = s.pidns.upids.get(g);
      if (!u || u.nss[depth] !== n.id || u.nrs[depth] !== nr) out.push(v(subject, `number ${nr} stands for ${g}, whose number here is not ${nr}`));
    }
    const init = n.reaper === 0 ? undefined : s.tasks.get(n.reaper);
    if (init && n.nrs.get(1) !== init.pid) out.push(v(subject, `init ${init.pid} is not number 1`));
  }
  return out;
}

function numberViolations(s: KernelState): Violation[] {
  const out: Violation[] = [];
  for (const [g, u] of s.pidns.upids) {
    const subject = `pid ${g}`;
    if (!s.numUse.has(g)) out.push(v(subject, 'has namespace numbers but is not in use'));
    if (u.nss.length !== u.nrs.length) out.push(v(subject, `${u.nss.length} namespaces but ${u.nrs.length} numbers`));
    let parent = ROOT_PIDNS;
    u.nss.forEach((ns, i) => {
      const n = s.pidns.spaces.get(ns);
      if (!n || n.parent !== parent) out.push(v(subject, `namespace ${ns} at depth ${i + 1} is not a child of ${parent}`));
      else if (n.nrs.get(u.nrs[i] as number) !== g) out.push(v(subject, `number ${u.nrs[i]} in namespace ${ns} does not stand for it`));
      parent = ns;
    });
  }
  return out;
}

function forChildrenViolations(s: KernelState): Violation[] {
  const out: Violation[] = [];
  for (const [pid, ns] of s.pidns.forChildren) {
    const u = s.pidns.upids.get(pid);
    const active = u ? (u.nss[u.nss.length - 1] as number) : ROOT_PIDNS;
    let n = ns;
    while (n !== active && n !== ROOT_PIDNS) n = s.pidns.spaces.get(n)?.parent ?? ROOT_PIDNS;
    if (ns === active || n !== active) out.push(v(`task ${pid}`, `pid_for_children ${ns} is not below its namespace ${active}`));
    if (!s.tasks.has(pid)) out.push(v(`task ${pid}`, 'has a pid_for_children but is no task'));
  }
  return out;
}

export const pidnsBijection: Invariant = {
  id: ID,
  description: 'per pid namespace, numbers and the global numbers they stand for are a bijection, and they nest one level at a time below the root (at most 32 deep); a namespace init in the task table is its number 1; a pid_for_children is at or below its task\'s namespace',
  check(s) {
    const w = s.pidns;
    if (w.spaces.size === 0 && w.upids.size === 0 && w.forChildren.size === 0) return [];
    return [...namespaceViolations(s), ...numberViolations(s), ...forChildrenViolations(s)];
  },
};

export const PIDNS_INVARIANTS: Invariant[] = [pidnsBijection];
