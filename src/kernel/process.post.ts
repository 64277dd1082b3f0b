import { isPidNsInit, pidNsChildReaper, pidNsLevel, taskActivePidNs } from './pidns.js';
import type { Outcome } from '../reducer/outcome.js';
import type { Postcondition } from '../reducer/postcondition.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import { isVisible, pidToView, viewToPid } from '../vpid/view.js';
import { post, runnableCaller, show } from './post-util.js';

/**
 * Postconditions of the process ops (reference: Operations, issue 12): what fork, exit, kill, signal, the id
 * calls, exec and ptrace promise, restated from the reference rather than from the handlers.
 */
type Ev<K extends Event['op']> = Extract<Event, { op: K }>;
const VPID_BIT = 1024;

/** A task op's caller as it was before the event, or null when the dispatcher answered for it. */
interface CallerPre {
  caller: Task | null;
}

/** Global pids by the number the caller names (0 or absent: the caller itself); null when it names no visible task. */
function named(s: KernelState, caller: Task, pid: number | undefined): Task | null {
  if (pid === undefined || pid === 0) return caller;
  if (pid < 0) return null;
  const g = viewToPid(s, caller, pid);
  const t = g === null ? undefined : s.tasks.get(g);
  // A pid naming a thread names its process (reference: threads).
  const p = t && t.tgid !== t.pid ? s.tasks.get(t.tgid) : t;
  return p && isVisible(s, caller, p) ? p : null;
}

/** A cheap fingerprint of what an op that only reads must leave alone: the task table and the caller. */
function fingerprint(s: KernelState, by: number): string {
  const t = s.tasks.get(by);
  return `${s.tasks.size}/${s.last}/${s.numUse.size}/${s.pgrps.size}/${t ? `${t.pid},${t.parent},${t.pgid},${t.sid},${t.state},${t.children.length},${t.tracer},${t.traced.length},${t.node},${t.cssSet},${t.dispositions.size}` : '-'}`;
}

/** The effect postcondition of an op that only reads: nothing the fingerprint covers changes. */
function readsOnly<K extends 'getpid' | 'getppid' | 'getpgid' | 'getsid'>(op: K): Postcondition<Ev<K>> {
  return post<Ev<K>, string>({
    id: `post-${op}-reads-only`,
    doc: `${op} changes nothing (reference: setpgid)`,
    before: (s, _v, ev) => fingerprint(s, (ev as { by: number }).by),
    check: (pre, s, _v, ev) => (fingerprint(s, (ev as { by: number }).by) === pre ? null : `the state changed: ${pre} -> ${fingerprint(s, (ev as { by: number }).by)}`),
  });
}

const callerPre = (s: KernelState, _v: SemanticVersion, ev: { by: number }): CallerPre => ({ caller: runnableCaller(s, ev.by) ?? null });

// fork (reference: fork)
interface ForkPre extends CallerPre {
  tasks: number;
  children: number;
  pgid: number;
  sid: number;
  vps: number;
  node: number;
  cssSet: number;
}
const forkPre = (s: KernelState, v: SemanticVersion, ev: Ev<'fork'>): ForkPre => {
  const { caller } = callerPre(s, v, ev);
  return { caller, tasks: s.tasks.size, children: caller?.children.length ?? 0, pgid: caller?.pgid ?? 0, sid: caller?.sid ?? 0, vps: caller?.vps ?? 0, node: caller?.node ?? 0, cssSet: caller ? (s.tasks.get(ev.by)?.cssSet ?? 0) : 0 };
};
/** The child a successful fork returned, by the caller's view of its pid. */
function forkChild(s: KernelState, pre: ForkPre, o: Outcome): Task | null {
  if (!pre.caller || !('ret' in o) || typeof o.ret !== 'number') return null;
  const caller = s.tasks.get(pre.caller.pid);
  const g = caller ? viewToPid(s, caller, o.ret) : null;
  return g === null ? null : (s.tasks.get(g) ?? null);
}

export const FORK_POSTCONDITIONS = [
  post<Ev<'fork'>, ForkPre>({
    id: 'post-fork-result',
    doc: 'a successful fork returns a pid that was free, below pid_max and without the VPID bit (the forced pid, its number in its innermost pid namespace, or vpid when one was asked for) (reference: fork)',
    before: forkPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      const child = forkChild(s, pre, o);
      if (!child) return `returned ${show(o.ret)}, which names no task of the caller's view`;
      const g = child.pid;
      if (g <= 1 || g >= s.config.pidMax) return `pid ${g} outside 2..pid_max-1`;
      if (s.config.pidVirt === 'vpid' && (g & VPID_BIT) !== 0) return `pid ${g} has the VPID bit (${VPID_BIT})`;
      if (s.tasks.size !== pre.tasks + 1) return `the task table went from ${pre.tasks} to ${s.tasks.size} tasks, not one more: pid ${g} was not free`;
      if ((s.numUse.get(g) ?? 0) !== 1) return `number ${g} is used ${s.numUse.get(g) ?? 0} times after the fork: it was not free`;
      // a forced pid is the child's number in its innermost pid namespace (clone3 set_tid)
      const innermost = s.pidns.upids.get(g)?.nrs.at(-1) ?? g;
      if (ev.pid !== undefined && innermost !== ev.pid) return `forced pid ${ev.pid}, got ${innermost} (global ${g})`;
      if (ev.vpid !== undefined && o.ret !== ev.vpid) return `asked for vpid ${ev.vpid}, got ${show(o.ret)}`;
      return null;
    },
  }),
  post<Ev<'fork'>, ForkPre>({
    id: 'post-fork-child',
    doc: "a successful fork's child is a live child of the caller, last in its children, in the caller's pgrp, session, VPS, css_set and node (or the rfork node) (reference: fork, migrate, mkdir)",
    before: forkPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      const c = forkChild(s, pre, o);
      const p = s.tasks.get(pre.caller.pid);
      if (!c || !p) return null;
      if (c.parent !== p.pid || p.children[p.children.length - 1] !== c.pid || p.children.length !== pre.children + 1) return `child ${c.pid} is not the caller's newest child (parent ${c.parent}, children ${show(p.children)})`;
      if (c.state !== 'running') return `child ${c.pid} is ${c.state}`;
      if (c.pgid !== pre.pgid || c.sid !== pre.sid) return `child ${c.pid} in pgrp ${c.pgid} session ${c.sid}, caller in ${pre.pgid} ${pre.sid}`;
      if (c.vps !== pre.vps) return `child ${c.pid} in VPS ${c.vps}, caller in ${pre.vps}`;
      if (c.cssSet !== pre.cssSet) return `child ${c.pid} in css_set ${c.cssSet}, caller in ${pre.cssSet}`;
      const node = ev.node ?? pre.node;
      if (c.node !== node) return `child ${c.pid} on node ${c.node}, not ${node}`;
      return null;
    },
  }),
];

// exit (reference: exit)
interface ExitPre extends CallerPre {
  children: number[];
  reaper: number;
}
/**
 * The new parent reference: exit names: the nearest live ancestor in the caller's pid namespace marked a child subreaper (prctl),
 * else the child reaper: the live init of the caller's pid namespace or VPS (unless the caller is
 * it), else global init.
 */
function reaperOf(s: KernelState, t: Task): number {
  const nsReaper = pidNsChildReaper(s, t);
  const vps = t.vps === 0 ? undefined : s.vpses.get(t.vps);
  let reaper = nsReaper ? nsReaper.pid : 1;
  if (!nsReaper && vps && vps.init !== t.pid) {
    const init = s.tasks.get(vps.init);
    if (init && init.state !== 'zombie') reaper = init.pid;
  }
  // a subreaper counts only in the caller's own pid namespace
  const level = (x: Task): number => pidNsLevel(s, taskActivePidNs(s, x.pid));
  for (let a = s.tasks.get(t.parent); a && a.pid !== reaper && a.pid !== 0 && level(a) === level(t); a = s.tasks.get(a.parent)) {
    if (a.childSubreaper && a.state !== 'zombie') return a.pid;
  }
  return reaper;
}
const exitPre = (s: KernelState, v: SemanticVersion, ev: Ev<'exit'>): ExitPre => {
  const { caller } = callerPre(s, v, ev);
  return { caller, children: caller ? [...caller.children] : [], reaper: caller ? reaperOf(s, caller) : 1 };
};

export const EXIT_POSTCONDITIONS = [
  post<Ev<'exit'>, ExitPre>({
    id: 'post-exit-result',
    doc: 'exit fails (EPERM) exactly for global init and otherwise returns 0 (reference: exit)',
    before: exitPre,
    check(pre, _s, _v, _ev, o) {
      if (!pre.caller) return null;
      const want = pre.caller.pid === 1 ? { err: 'EPERM' } : { ret: 0 };
      return 'ret' in o ? (show({ ret: o.ret }) === show(want) ? null : `${show(o)}, expected ${show(want)}`) : show(o) === show(want) ? null : `${show(o)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'exit'>, ExitPre>({
    id: 'post-exit-zombie',
    doc: 'after exit the caller is a zombie with status code & 255, or already reaped (reference: exit)',
    before: exitPre,
    check(pre, s, _v, ev) {
      if (!pre.caller || pre.caller.pid === 1) return null;
      const t = s.tasks.get(pre.caller.pid);
      if (!t) return null;
      if (t.state !== 'zombie') return `task ${t.pid} is ${t.state} after exit`;
      return show(t.exitStatus) === show({ exited: ev.code & 255 }) ? null : `exit status ${show(t.exitStatus)}, code ${ev.code}`;
    },
  }),
  post<Ev<'exit'>, ExitPre>({
    id: 'post-exit-reparent',
    doc: "after exit every former child still in the task table has the nearest child-subreaper ancestor, else the child reaper (the caller's VPS init, else global init) as its real parent (reference: exit step 4, prctl)",
    before: exitPre,
    check(pre, s) {
      if (!pre.caller || pre.caller.pid === 1) return null;
      for (const pid of pre.children) {
        const c = s.tasks.get(pid);
        if (c && c.parent !== pre.reaper) return `former child ${pid} has parent ${c.parent}, not the child reaper ${pre.reaper}`;
      }
      return null;
    },
  }),
];

// kill and signal (reference: Signals)
interface KillPre extends CallerPre {
  /** The target set restated from reference: Signals, global pids. */
  targets: Set<number>;
  /** For the signal sent: how often every live task had caught it, and which tasks were alive. */
  caught: Map<number, number>;
  alive: number;
}
function killTargetsOf(s: KernelState, caller: Task, pid: number): Set<number> {
  const out = new Set<number>();
  if (pid > 0) {
    const t = named(s, caller, pid);
    if (t) out.add(t.pid);
    return out;
  }
  const nsInit = caller.vps === 0 ? 1 : (s.vpses.get(caller.vps)?.init ?? 1);
  const pgid = pid === 0 ? caller.pgid : pid < -1 ? viewToPid(s, caller, -pid) : null;
  if (pid !== -1 && pgid === null) return out;
  for (const t of s.tasks.values()) {
    // Processes are signalled, not threads (reference: threads); a process group reaches members
    // outside the caller's pid namespace, not outside its VPS (reference: pid namespaces)
    if (t.tgid !== t.pid || (!isVisible(s, caller, t) && (pid === -1 || caller.vps !== 0))) continue;
    if (pid === -1 ? t.pid !== caller.pid && t.pid !== nsInit && pidToView(s, caller, t.pid) !== 1 : t.pgid === pgid) out.add(t.pid);
  }
  return out;
}
const validSignal = (sig: number): boolean => Number.isInteger(sig) && sig >= 0 && sig <= 64;
const isInit = (s: KernelState, t: Task): boolean => t.pid === 1 || (t.vps !== 0 && s.vpses.get(t.vps)?.init === t.pid) || isPidNsInit(s, t);

function killPre(s: KernelState, v: SemanticVersion, ev: Ev<'kill'>): KillPre {
  const { caller } = callerPre(s, v, ev);
  const caught = new Map<number, number>();
  let alive = 0;
  if (!caller) return { caller, targets: new Set(), caught, alive };
  for (const t of s.tasks.values()) {
    if (t.state !== 'zombie') alive++;
    caught.set(t.pid, t.caught.get(ev.sig) ?? 0);
  }
  return { caller, targets: killTargetsOf(s, caller, ev.pid), caught, alive };
}

export const KILL_POSTCONDITIONS = [
  post<Ev<'kill'>, KillPre>({
    id: 'post-kill-result',
    doc: 'kill fails with ESRCH exactly when its target set is empty, else with EINVAL exactly for an invalid signal, else returns 0 (reference: Signals)',
    before: killPre,
    check(pre, _s, _v, ev, o) {
      if (!pre.caller) return null;
      const want = pre.targets.size === 0 ? { err: 'ESRCH' } : !validSignal(ev.sig) ? { err: 'EINVAL' } : { ret: 0 };
      const got = 'ret' in o ? { ret: o.ret } : o;
      return show(got) === show(want) ? null : `${show(got)} for targets ${show([...pre.targets])}, expected ${show(want)}`;
    },
  }),
  post<Ev<'kill'>, KillPre>({
    id: 'post-kill-reach',
    doc: 'a caught signal reaches exactly the target set: every live target that catches it (init protection aside) counts it once more, and no other task counts it (reference: Signals)',
    before: killPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o) || ev.sig === 0) return null;
      let alive = 0;
      for (const t of s.tasks.values()) if (t.state !== 'zombie') alive++;
      const died = alive !== pre.alive;
      for (const t of s.tasks.values()) {
        const before = pre.caught.get(t.pid);
        if (before === undefined) continue;
        const now = t.caught.get(ev.sig) ?? 0;
        if (pre.targets.has(t.pid)) {
          if (t.state !== 'zombie' && !isInit(s, t) && t.dispositions.get(ev.sig) === 'catch' && now !== before + 1) return `target ${t.pid} catches signal ${ev.sig} and counted it ${now - before} times`;
        } else if (!died && now !== before) return `task ${t.pid} is no target and counted signal ${ev.sig} ${now - before} more times`;
      }
      return null;
    },
  }),
];

export const SIGNAL_POSTCONDITIONS = [
  post<Ev<'signal'>, CallerPre>({
    id: 'post-signal-result',
    doc: 'signal fails with EINVAL exactly for signal 0, an invalid signal, or SIGKILL/SIGSTOP with any action (do_sigaction: sig_kernel_only; reference: Signals)',
    before: callerPre,
    check(pre, _s, _v, ev, o) {
      if (!pre.caller) return null;
      const bad = !validSignal(ev.sig) || ev.sig === 0 || ev.sig === 9 || ev.sig === 19;
      const got = 'ret' in o ? { ret: o.ret } : o;
      const want = bad ? { err: 'EINVAL' } : { ret: 0 };
      return show(got) === show(want) ? null : `${show(got)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'signal'>, CallerPre>({
    id: 'post-signal-disposition',
    doc: "after a successful signal the caller's disposition of the signal is the action asked for (reference: Signals)",
    before: callerPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      const got = s.tasks.get(pre.caller.pid)?.dispositions.get(ev.sig) ?? 'default';
      return got === ev.action ? null : `disposition ${got}, asked for ${ev.action}`;
    },
  }),
];

// setpgid, setsid and the id calls (reference: setpgid)
interface SetpgidPre extends CallerPre {
  target: number | null;
  pgid: number | null;
  sid: number;
}
function setpgidPre(s: KernelState, v: SemanticVersion, ev: Ev<'setpgid'>): SetpgidPre {
  const { caller } = callerPre(s, v, ev);
  const t = caller ? named(s, caller, ev.pid) : null;
  const pgid = !caller || !t ? null : ev.pgid === 0 ? t.pid : ev.pgid > 0 ? viewToPid(s, caller, ev.pgid) : null;
  return { caller, target: t?.pid ?? null, pgid, sid: t?.sid ?? 0 };
}

export const SESSION_POSTCONDITIONS = {
  setpgid: [
    post<Ev<'setpgid'>, SetpgidPre>({
      id: 'post-setpgid-result',
      doc: 'setpgid returns 0 or fails; it fails with ESRCH when the pid names no visible task (reference: setpgid)',
      before: setpgidPre,
      check(pre, _s, _v, ev, o) {
        if (!pre.caller) return null;
        if ('ret' in o && o.ret !== 0) return `returned ${show(o.ret)}, not 0`;
        if ('ret' in o && pre.target === null) return `succeeded for pid ${ev.pid}, which names no visible task`;
        return null;
      },
    }),
    post<Ev<'setpgid'>, SetpgidPre>({
      id: 'post-setpgid-moved',
      doc: 'after a successful setpgid the target is in the pgrp asked for (its own pid for 0) and in the same session (reference: setpgid)',
      before: setpgidPre,
      check(pre, s, _v, _ev, o) {
        if (!pre.caller || !('ret' in o) || pre.target === null) return null;
        const t = s.tasks.get(pre.target);
        if (!t) return `target ${pre.target} is gone`;
        if (t.pgid !== pre.pgid) return `target ${t.pid} in pgrp ${t.pgid}, asked for ${pre.pgid}`;
        return t.sid === pre.sid ? null : `target ${t.pid} changed session ${pre.sid} -> ${t.sid}`;
      },
    }),
  ],
  setsid: [
    post<Ev<'setsid'>, CallerPre & { leader: boolean }>({
      id: 'post-setsid-result',
      doc: "setsid fails with EPERM when the caller leads a session or a pgrp has its pid, and otherwise returns the caller's pid as it sees it (reference: setpgid)",
      before: (s, v, ev) => {
        const { caller } = callerPre(s, v, ev);
        return { caller, leader: !!caller && (caller.sid === caller.pid || (caller.pid > 1 && s.pgrps.has(caller.pid))) };
      },
      check(pre, s, _v, _ev, o) {
        if (!pre.caller) return null;
        if (pre.leader) return 'err' in o && o.err === 'EPERM' ? null : `${show(o)} for a session or pgrp leader (EPERM expected)`;
        const t = s.tasks.get(pre.caller.pid);
        const want = t ? pidToView(s, t, t.pid) : null;
        return 'ret' in o && o.ret === want ? null : `${show(o)}, expected ${show({ ret: want })}`;
      },
    }),
    post<Ev<'setsid'>, CallerPre>({
      id: 'post-setsid-leader',
      doc: 'after a successful setsid the caller leads a new session and a new pgrp, both numbered with its pid (reference: setpgid)',
      before: callerPre,
      check(pre, s, _v, _ev, o) {
        if (!pre.caller || !('ret' in o)) return null;
        const t = s.tasks.get(pre.caller.pid);
        return t && t.pgid === t.pid && t.sid === t.pid ? null : `caller in pgrp ${t?.pgid} session ${t?.sid}`;
      },
    }),
  ],
  getpid: [
    post<Ev<'getpid'>, CallerPre>({
      id: 'post-getpid-result',
      doc: 'getpid returns the caller pid as the caller sees it (its vpid inside a VPS) (reference: setpgid, Modelling simplifications)',
      before: callerPre,
      check: (pre, s, _v, _ev, o) => (!pre.caller ? null : 'ret' in o && o.ret === pidToView(s, pre.caller, pre.caller.pid) ? null : `${show(o)} for pid ${pre.caller.pid}`),
    }),
    readsOnly('getpid'),
  ],
  getppid: [
    post<Ev<'getppid'>, CallerPre>({
      id: 'post-getppid-result',
      doc: "getppid returns 0 for an init, a parent outside the caller's VPS as its global pid, else the real parent as the caller sees it (seed 004 get_task_ppid)",
      before: callerPre,
      check(pre, s, _v, _ev, o) {
        const c = pre.caller;
        if (!c) return null;
        const parent = s.tasks.get(c.parent);
        const want = isInit(s, c) ? 0 : parent && c.vps !== 0 && parent.vps !== c.vps ? parent.pid : pidToView(s, c, c.parent);
        return 'ret' in o && o.ret === want ? null : `${show(o)}, expected ${show({ ret: want })}`;
      },
    }),
    readsOnly('getppid'),
  ],
  getpgid: [idResult('getpgid', 'pgid'), readsOnly('getpgid')],
  getsid: [idResult('getsid', 'sid'), readsOnly('getsid')],
};

function idResult<K extends 'getpgid' | 'getsid'>(op: K, field: 'pgid' | 'sid'): Postcondition<Ev<K>> {
  return post<Ev<K>, CallerPre & { want: number | null }>({
    id: `post-${op}-result`,
    doc: `${op} returns the ${field} of the task the pid names (the caller for 0) as the caller sees it, ESRCH when it names no visible task (reference: setpgid)`,
    before: (s, v, ev) => {
      const { caller } = callerPre(s, v, ev as { by: number });
      const t = caller ? named(s, caller, (ev as { pid?: number }).pid) : null;
      return { caller, want: caller && t ? pidToView(s, caller, t[field]) : null };
    },
    check(pre, _s, _v, _ev, o) {
      if (!pre.caller) return null;
      const want = pre.want === null ? { err: 'ESRCH' } : { ret: pre.want };
      const got = 'ret' in o ? { ret: o.ret } : o;
      return show(got) === show(want) ? null : `${show(got)}, expected ${show(want)}`;
    },
  });
}

// exec (reference: setpgid setpgid's EACCES; 2.6.18 flush_signal_handlers)
export const EXEC_POSTCONDITIONS = [
  post<Ev<'exec'>, CallerPre>({
    id: 'post-exec-result',
    doc: 'exec of a runnable caller returns 0 (reference: Operations)',
    before: callerPre,
    check: (pre, _s, _v, _ev, o) => (!pre.caller || ('ret' in o && o.ret === 0) ? null : `${show(o)}, expected {"ret":0}`),
  }),
  post<Ev<'exec'>, CallerPre & { ignored: number }>({
    id: 'post-exec-handlers',
    doc: 'after exec the caller is marked exec-ed, catches no signal, and still ignores what it ignored (2.6.18 flush_signal_handlers)',
    before: (s, v, ev) => {
      const { caller } = callerPre(s, v, ev);
      let ignored = 0;
      if (caller) for (const a of caller.dispositions.values()) if (a === 'ignore') ignored++;
      return { caller, ignored };
    },
    check(pre, s) {
      const t = pre.caller ? s.tasks.get(pre.caller.pid) : undefined;
      if (!t) return null;
      if (!t.execd) return 'the caller is not marked exec-ed';
      let ignored = 0;
      for (const a of t.dispositions.values()) if (a === 'catch') return 'a caught signal survived exec';
      else if (a === 'ignore') ignored++;
      return ignored === pre.ignored ? null : `${pre.ignored} ignored signals before exec, ${ignored} after`;
    },
  }),
];

// ptrace (reference: ptrace)
interface PtracePre extends CallerPre {
  target: number | null;
  parent: number;
}
function ptracePre(s: KernelState, v: SemanticVersion, ev: Ev<'ptrace'>): PtracePre {
  const { caller } = callerPre(s, v, ev);
  const t = caller && ev.pid !== undefined && ev.pid !== 0 ? named(s, caller, ev.pid) : null;
  return { caller, target: t?.pid ?? null, parent: caller?.parent ?? 0 };
}
export const PTRACE_POSTCONDITIONS = [
  post<Ev<'ptrace'>, PtracePre>({
    id: 'post-ptrace-result',
    doc: 'ptrace returns 0 or fails; a request naming no visible task (traceme aside) fails with ESRCH (reference: ptrace)',
    before: ptracePre,
    check(pre, _s, _v, ev, o) {
      if (!pre.caller) return null;
      if ('ret' in o && o.ret !== 0) return `returned ${show(o.ret)}, not 0`;
      if (ev.request !== 'traceme' && pre.target === null && 'ret' in o) return `${ev.request} succeeded naming no visible task`;
      return null;
    },
  }),
  post<Ev<'ptrace'>, PtracePre>({
    id: 'post-ptrace-link',
    doc: 'after a successful attach the caller traces the target, which is stopped; after traceme the parent traces the caller; after detach nobody traces the target (reference: ptrace)',
    before: ptracePre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      if (ev.request === 'traceme') {
        const t = s.tasks.get(pre.caller.pid);
        return t && t.tracer === pre.parent && s.tasks.get(pre.parent)?.traced.includes(t.pid) ? null : `after traceme the caller's tracer is ${t?.tracer}, not its parent ${pre.parent}`;
      }
      const t = pre.target === null ? undefined : s.tasks.get(pre.target);
      if (!t) return null;
      if (ev.request === 'attach') {
        if (t.tracer !== pre.caller.pid || !s.tasks.get(pre.caller.pid)?.traced.includes(t.pid)) return `after attach task ${t.pid} is traced by ${t.tracer}`;
        return t.state === 'stopped' ? null : `after attach task ${t.pid} is ${t.state}, not stopped`;
      }
      if (ev.request === 'detach' && t.tracer !== 0) return `after detach task ${t.pid} is traced by ${t.tracer}`;
      return null;
    },
  }),
];
