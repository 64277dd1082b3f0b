import { defineOp } from '../reducer/op.js';
import { EXEC_POSTCONDITIONS, EXIT_POSTCONDITIONS, FORK_POSTCONDITIONS, KILL_POSTCONDITIONS, PTRACE_POSTCONDITIONS, SESSION_POSTCONDITIONS, SIGNAL_POSTCONDITIONS } from './process.post.js';
import { WAIT_POSTCONDITIONS } from './wait.post.js';
import { FORK_PIDNS_POSTCONDITION } from './pidns.post.js';
import type { Event } from '../trace/schema-types.js';
import type { Task } from '../state/task.js';
import type { RetValue } from '../reducer/outcome.js';
import { byOf, caller, callerTask, type Gen, pidArgs, SIGNALS, targetPid, badNode, upNodes } from '../workload/gen.js';
import { liveTasks, pickOr, runnableTasks, unusedPid, view, visibleTasks, zombieTasks } from '../workload/pick.js';
import { VPID_DIV } from '../vpid/types.js';
import { sysExec } from './exec.js';
import { sysExit } from './exit.js';
import { sysFork } from './fork.js';
import { sysPtrace } from './ptrace.js';
import { sysGetpgid, sysGetpid, sysGetppid, sysGetsid, sysSetpgid, sysSetsid } from './sessions.js';
import { sysKill, sysSignal } from './signal.js';
import { sysWait } from './wait.js';

/**
 * The process model's ops (reference: Operations; seed 002 and the 2.6.18 code it hooks), each defined once with
 * its handler, effects, errnos and generator (src/reducer/op.ts).
 */

export const forkOp = defineOp({
  name: 'fork',
  env: false,
  handler: sysFork,
  post: [...FORK_POSTCONDITIONS, FORK_PIDNS_POSTCONDITION],
  models: 'do_fork (2.6.18 kernel/fork.c); seed 002 rfork for `node`; seed 004 alloc_vpid for `vpid`; `newpid`: 6.x copy_pid_ns, alloc_pid (kernel/pid_namespace.c, kernel/pid.c)',
  returns: "the child's pid in the caller's view",
  args: { pid: "force this pid (clone3 `set_tid`): the child's number in its innermost pid namespace, so at the root its global pid (as writing ns_last_pid first; free, >= 1, < pidMax and without bit 1024 under vpid), in a namespace below the root its number there (free there, >= 1, < pidMax, and 1 in a namespace without an init yet; the global pid is allocated as usual)", vpid: "ask for this virtual pid (caller inside a VPS; 1 or a number with bit 1024 set below pidMax)", node: "run the child on this cluster node (rfork); it must be up", newpid: "clone(CLONE_NEWPID): the child is init (1) of a new pid namespace below the caller's pid_for_children; a kernel without pid namespaces (2.6.18) ignores the flag" },
  effect: 'scoped',
  allocates: true,
  rules: ['cluster', 'vps', 'newpidFlag'],
  // 5.2: node/pid/vpid checks, pid in use or alloc_vpid, pidmap full; linux-6: `node` or `vpid` → ENOSYS;
  // copy_pid_ns (EINVAL, ENOSPC) before alloc_pid, a dead pid namespace (ENOMEM) after it
  errnos: ['ESRCH', { errno: 'ENOSYS', if: { vps: false } }, 'EINVAL', { errno: 'ENOSPC', if: { newpidFlag: 'new-namespace' } }, 'EEXIST', 'EAGAIN', { errno: 'ENOMEM', if: { newpidFlag: 'new-namespace' } }],
  reasons: [{ reason: 'no-cluster', if: { cluster: false } }, { reason: 'no-vps', if: { vps: false } }, { reason: 'node-not-up', if: { cluster: true } }, 'fork-pid-range', 'fork-pid-vpid-bit', 'fork-pid-in-use', { reason: 'fork-vpid-outside-vps', if: { vps: true } }, { reason: 'fork-vpid-invalid', if: { vps: true } }, 'pidmap-full', { reason: 'vpid-init-taken', if: { vps: true } }, { reason: 'vpid-taken', if: { vps: true } }, { reason: 'vpid-space-full', if: { vps: true } }, ...(['pidns-for-children-differs', 'pidns-too-deep', 'fork-pid-no-init', 'pidns-dead'] as const).map((reason) => ({ reason, if: { newpidFlag: 'new-namespace' } } as const)), 'injected'],
  // a plain fork, rfork to a node, a forced pid, a requested vpid
  successes: { names: ['plain', { name: 'node', if: { cluster: true } }, 'pid', { name: 'vpid', if: { vps: true } }], of: (ev) => (ev.vpid !== undefined ? 'vpid' : ev.pid !== undefined ? 'pid' : ev.node !== undefined ? 'node' : 'plain') },
  injected: ['ENOMEM'],
  gen: [{ weight: 16, focus: 10, make: genFork }],
});

export const killOp = defineOp({
  name: 'kill',
  env: false,
  handler: sysKill,
  post: KILL_POSTCONDITIONS,
  models: 'sys_kill / kill_pg_info (2.6.18 kernel/signal.c), reference: Signals',
  returns: "0",
  args: { pid: "target in the caller's view: > 0 that task, 0 the caller's process group, -1 every task the caller can see but itself and its namespace's init, < -1 process group -pid", sig: "signal number 0..64; 0 only checks that the targets exist" },
  effect: 'scoped',
  exits: true,
  // 5.5: empty target set, bad signal
  errnos: ['ESRCH', 'EINVAL'],
  reasons: ['signal-invalid', 'kill-no-task', 'kill-all-none', 'kill-empty-pgrp'],
  // one task, a process group (0 or < -1), every task the caller can see (-1)
  successes: { names: ['task', 'group', 'all'], of: (ev) => (ev.pid > 0 ? 'task' : ev.pid === -1 ? 'all' : 'group') },
  gen: [{ weight: 9, make: (g) => { const t = caller(g); const me = callerTask(g, t); const sel = g.next();
    const sig = g.bad && sel % 2 ? pickOr([65, -1, 99, 1000], sel >> 1, 65) : pickOr(SIGNALS, sel >> 1, 15);
    return { op: 'kill', by: byOf(t), pid: pidArgs(g, me), sig }; } }],
});

export const waitOp = defineOp({
  name: 'wait',
  env: false,
  handler: sysWait,
  post: WAIT_POSTCONDITIONS,
  models: 'do_wait (2.6.18 kernel/exit.c), reference: wait',
  returns: "`{\"pid\": P, \"status\": S}` with S one of `{\"exited\": code}`, `{\"signaled\": sig}`, `{\"stopped\": sig}`, `{\"continued\": true}` and P in the caller's view; `0` with `nohang` when nothing is reportable; `{\"blocked\": true}` without it",
  args: { pid: "which children and tracees: -1 (default) any, > 0 that one, 0 the caller's process group, < -1 process group -pid", nohang: "return 0 instead of blocking", untraced: "also report stopped children (a tracer always sees its stopped tracees)", continued: "also report continued children" },
  effect: 'scoped',
  rules: ['ptracedOrder'],
  errnos: ['ESRCH', 'ECHILD'],
  reasons: ['wait-no-child', 'wait-nothing'],
  // a child or tracee reported (by its status), nothing to report under WNOHANG; blocked is `wait-nothing`
  successes: { names: ['reported-exited', 'reported-signaled', 'reported-stopped', 'reported-continued', 'nohang-empty'], of: waitBranch },
  gen: [{ weight: 7, make: genWait }],
});

export const exitOp = defineOp({
  name: 'exit',
  env: false,
  handler: sysExit,
  post: EXIT_POSTCONDITIONS,
  models: 'do_exit (2.6.18 kernel/exit.c), reference: exit',
  returns: "0",
  args: { code: "exit code; the status keeps code & 255" },
  effect: 'scoped',
  exits: true,
  // 5.3: global init
  errnos: ['ESRCH', 'EPERM'],
  reasons: ['exit-global-init'],
  gen: [{ weight: 6, focus: 6, make: (g) => { const sel = g.next(); const code = g.bad ? pickOr([256, 511, -1, 1e6], sel, 256) : sel % 300;
    if (g.bad && sel % 3 === 0) return { op: 'exit', by: 1, code };
    const t = caller(g); return { op: 'exit', by: byOf(t) === 1 && !g.bad ? byOf(pickOr(runnableTasks(g.s), g.c.a + 1, callerTask(g, t))) : byOf(t), code }; } }],
});

export const signalOp = defineOp({
  name: 'signal',
  env: false,
  handler: sysSignal,
  post: SIGNAL_POSTCONDITIONS,
  models: 'do_sigaction (2.6.18 kernel/signal.c), reference: Signals',
  returns: "0",
  args: { sig: "signal 1..64", action: "`default`, `ignore` or `catch`; SIGKILL (9) and SIGSTOP (19) take none (`EINVAL`, `default` included)" },
  effect: 'none',
  // do_sigaction: SIGKILL/SIGSTOP take no action (sig_kernel_only), bad signal
  errnos: ['ESRCH', 'EINVAL'],
  reasons: ['sigaction-invalid', 'sigaction-uncatchable'],
  gen: [{ weight: 3, make: (g) => { const t = caller(g); const sel = g.next();
    const sig = g.bad ? pickOr([9, 19, 0, 65, -3], sel, 9) : pickOr(SIGNALS.filter((x) => x !== 9 && x !== 19 && x !== 0), sel, 15);
    const action = (['ignore', 'catch', 'default'] as const)[(sel >> 4) % 3] as 'ignore' | 'catch' | 'default';
    return { op: 'signal', by: byOf(t), sig, action }; } }],
});

export const setpgidOp = defineOp({
  name: 'setpgid',
  env: false,
  handler: sysSetpgid,
  post: SESSION_POSTCONDITIONS.setpgid,
  models: 'sys_setpgid (2.6.18 kernel/sys.c), reference: setpgid',
  returns: "0",
  args: { pid: "the target, 0 for the caller", pgid: "the process group to join or create, 0 for the target's own pid" },
  effect: 'scoped',
  errnos: ['ESRCH', 'EINVAL', 'EPERM', 'EACCES'],
  reasons: ['setpgid-negative', 'no-such-task', 'setpgid-thread', 'setpgid-other-session', 'setpgid-execd', 'setpgid-not-child', 'setpgid-leader', 'setpgid-pgid-invisible', 'setpgid-pgid-elsewhere'],
  gen: [{ weight: 5, make: genSetpgid }],
});

export const setsidOp = defineOp({
  name: 'setsid',
  env: false,
  handler: sysSetsid,
  post: SESSION_POSTCONDITIONS.setsid,
  models: 'sys_setsid (2.6.18 kernel/sys.c), reference: setpgid',
  returns: "the new session id (the caller's pid) in the caller's view",
  effect: 'scoped',
  errnos: ['ESRCH', 'EPERM'],
  reasons: ['setsid-leader', 'setsid-pgrp-exists'],
  gen: [{ weight: 3, make: (g) => ({ op: 'setsid', by: byOf(caller(g)) }) }],
});

export const getpidOp = defineOp({
  name: 'getpid',
  env: false,
  handler: sysGetpid,
  post: SESSION_POSTCONDITIONS.getpid,
  models: 'sys_getpid (2.6.18 kernel/timer.c); seed 004 for the VPS view',
  returns: "the caller's pid in its own view (its vpid inside a VPS)",
  effect: 'none',
  errnos: ['ESRCH'],
  gen: [{ weight: 1, make: (g) => ({ op: 'getpid', by: byOf(caller(g)) }) }],
});

export const getppidOp = defineOp({
  name: 'getppid',
  env: false,
  handler: sysGetppid,
  post: SESSION_POSTCONDITIONS.getppid,
  models: 'sys_getppid; seed 004 get_task_ppid',
  returns: "the real parent's pid: 0 for global init and for a VPS init, the global pid of a parent outside the caller's VPS",
  effect: 'none',
  errnos: ['ESRCH'],
  gen: [{ weight: 1, make: (g) => ({ op: 'getppid', by: byOf(caller(g)) }) }],
});

export const getpgidOp = defineOp({
  name: 'getpgid',
  env: false,
  handler: sysGetpgid,
  post: SESSION_POSTCONDITIONS.getpgid,
  models: 'sys_getpgid (2.6.18 kernel/sys.c)',
  returns: "the process group id of `pid` (default the caller) in the caller's view",
  args: { pid: "the task to ask about; 0 or absent: the caller" },
  effect: 'none',
  errnos: ['ESRCH'],
  reasons: ['no-such-task'],
  gen: [{ weight: 1, make: (g) => { const t = caller(g); const sel = g.next();
    return sel % 3 === 0 ? { op: 'getpgid', by: byOf(t) } : { op: 'getpgid', by: byOf(t), pid: sel % 3 === 1 ? 0 : targetPid(g, callerTask(g, t)) }; } }],
});

export const getsidOp = defineOp({
  name: 'getsid',
  env: false,
  handler: sysGetsid,
  post: SESSION_POSTCONDITIONS.getsid,
  models: 'sys_getsid (2.6.18 kernel/sys.c)',
  returns: "the session id of `pid` (default the caller) in the caller's view",
  args: { pid: "the task to ask about; 0 or absent: the caller" },
  effect: 'none',
  errnos: ['ESRCH'],
  reasons: ['no-such-task'],
  gen: [{ weight: 1, make: (g) => { const t = caller(g); const sel = g.next();
    return sel % 3 === 0 ? { op: 'getsid', by: byOf(t) } : { op: 'getsid', by: byOf(t), pid: sel % 3 === 1 ? 0 : targetPid(g, callerTask(g, t)) }; } }],
});

export const execOp = defineOp({
  name: 'exec',
  env: false,
  handler: sysExec,
  post: EXEC_POSTCONDITIONS,
  models: 'do_execve → de_thread, flush_signal_handlers (2.6.18)',
  returns: "0",
  effect: 'scoped',
  errnos: ['ESRCH'],
  gen: [{ weight: 2, make: (g) => ({ op: 'exec', by: byOf(caller(g)) }) }],
});

export const ptraceOp = defineOp({
  name: 'ptrace',
  env: false,
  handler: sysPtrace,
  post: PTRACE_POSTCONDITIONS,
  models: 'sys_ptrace / ptrace_attach (2.6.18 kernel/ptrace.c), reference: ptrace',
  returns: "0",
  args: { request: "`attach`, `traceme`, `cont` or `detach`", pid: "the tracee (attach, cont, detach)", sig: "signal delivered on resume (cont, detach), 0..64" },
  effect: 'scoped',
  exits: true,
  rules: ['ptraceInit'],
  errnos: ['ESRCH', 'EPERM', 'EIO'],
  reasons: ['no-such-task', 'ptrace-self', 'ptrace-init', 'ptrace-zombie', 'ptrace-traced', 'traceme-traced', 'traceme-no-parent', 'ptrace-not-tracer', 'ptrace-not-stopped', 'ptrace-signal-invalid'],
  successes: { names: ['attach', 'traceme', 'cont', 'detach'], of: (ev) => ev.request },
  gen: [{ weight: 6, make: genPtrace }],
});

function genFork(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const sel = g.next(); const ev: Event = { op: 'fork', by: byOf(t) };
  const { pidMax } = g.s.config;
  if (!g.bad) {
    const k = sel % 10;
    if (k === 1 && g.s.nodesUp.length > 1) ev.node = pickOr(upNodes(g.s), sel >> 4, 0);
    if (k === 2 && me.vps !== 0) ev.vpid = VPID_DIV + 2 + ((sel >> 4) % 60);
    if (k === 3 && me.vps !== 0) ev.vpid = 1;
    if (k === 4) { let p = g.s.last + 2 + ((sel >> 4) % 3); if (p & VPID_DIV) p += VPID_DIV; if (p < pidMax && !g.s.numUse.has(p)) ev.pid = p; }
    if (k === 5 && g.v.newpidFlag === 'new-namespace') ev.newpid = true;
    return ev;
  }
  switch (sel % 6) {
    case 0: ev.node = badNode(g); break;
    case 1: ev.pid = pickOr([0, pidMax, VPID_DIV + 5, ...[...g.s.tasks.keys()]], sel >> 3, 0); break;
    case 2: ev.vpid = pickOr([5, VPID_DIV + 3, pidMax + VPID_DIV], sel >> 3, 5); break;
    case 3: ev.vpid = 1; break;
    case 4: ev.pid = pickOr([...g.s.numUse.keys()], sel >> 3, 1); break;
    default: { const vps = g.s.vpses.get(me.vps); if (vps) ev.vpid = view(g.s, me, pickOr(visibleTasks(g.s, me), sel >> 3, me).pid); }
  }
  return ev;
}

/** Which success branch a wait took: the reported status's kind, or nothing reportable under WNOHANG. */
function waitBranch(_ev: Event, ret: RetValue): string {
  if (typeof ret !== 'object') return 'nohang-empty';
  const st = ret.status;
  return 'exited' in st ? 'reported-exited' : 'signaled' in st ? 'reported-signaled' : 'stopped' in st ? 'reported-stopped' : 'reported-continued';
}

function genWait(g: Gen): Event {
  const all = runnableTasks(g.s);
  const parents = all.filter((t) => t.children.length > 0 || t.traced.length > 0);
  const t = g.bad && g.c.c % 5 === 0 ? caller(g) : pickOr(g.c.c % 4 === 0 ? all : parents.length ? parents : all, g.c.a, g.s.tasks.get(1) as Task);
  const me = callerTask(g, t); const sel = g.next();
  const ev: Event = { op: 'wait', by: byOf(t) };
  const kids = [...me.children, ...me.traced];
  const k = sel % 6;
  if (g.bad) ev.pid = k % 2 ? unusedPid(g.s, sel) : -unusedPid(g.s, sel);
  else if (k === 1 && kids.length) ev.pid = view(g.s, me, pickOr(kids, sel >> 3, 1));
  else if (k === 2) ev.pid = 0;
  else if (k === 3) ev.pid = -view(g.s, me, me.pgid);
  if ((sel >> 6) % 4 !== 0) ev.nohang = true;
  if ((sel >> 8) % 2) ev.untraced = true;
  if ((sel >> 9) % 2) ev.continued = true;
  return ev;
}

function genSetpgid(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const sel = g.next();
  if (g.bad) {
    const k = sel % 5;
    if (k === 0) return { op: 'setpgid', by: byOf(t), pid: 0, pgid: -1 };
    if (k === 1) return { op: 'setpgid', by: byOf(t), pid: targetPid(g, me), pgid: 0 };
    if (k === 2) return { op: 'setpgid', by: byOf(t), pid: 0, pgid: unusedPid(g.s, sel) };
    return { op: 'setpgid', by: byOf(t), pid: view(g.s, me, pickOr(visibleTasks(g.s, me), sel >> 3, me).pid), pgid: 0 };
  }
  const kids = me.children.map((p) => g.s.tasks.get(p)).filter((x): x is Task => !!x && x.state !== 'zombie');
  const target = sel % 3 === 0 ? me : pickOr(kids, sel >> 2, me);
  const sessionPgids = [...new Set(liveTasks(g.s).filter((x) => x.sid === me.sid).map((x) => x.pgid))].sort((a, b) => a - b);
  const pgid = (sel >> 5) % 2 ? 0 : pickOr(sessionPgids, sel >> 6, 0);
  return { op: 'setpgid', by: byOf(t), pid: target === me && sel % 2 ? 0 : view(g.s, me, target.pid), pgid: pgid === 0 ? 0 : view(g.s, me, pgid) };
}

function genPtrace(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const sel = g.next(); const by = byOf(t);
  const k = sel % 8;
  if (k < 3) {
    const pid = g.bad && sel % 16 < 8 ? view(g.s, me, pickOr([me.pid, 1, ...zombieTasks(g.s).map((x) => x.pid), ...liveTasks(g.s).filter((x) => x.tracer).map((x) => x.pid)], sel >> 4, 1))
      : targetPid(g, me, (x) => x.pid !== me.pid && x.pid > 1 && x.state !== 'zombie' && x.tracer === 0);
    return { op: 'ptrace', by, request: 'attach', pid };
  }
  if (k === 3) return { op: 'ptrace', by, request: 'traceme' };
  const request = k < 6 ? 'cont' : 'detach';
  const tracees = me.traced.map((p) => g.s.tasks.get(p)).filter((x): x is Task => !!x);
  const stopped = tracees.filter((x) => x.state === 'stopped');
  const s2 = (sel >> 8) % 4;
  // a wrong signal needs a right target (ESRCH is checked first), else a wrong target
  const wrongTarget = g.bad && s2 !== 0;
  const target = wrongTarget ? pickOr(visibleTasks(g.s, me), sel >> 4, me) : pickOr(stopped.length ? stopped : tracees, sel >> 4, me);
  const ev: Event = { op: 'ptrace', by, request, pid: view(g.s, me, target.pid) };
  if (g.bad && s2 === 0) ev.sig = pickOr([65, -1, 100], sel >> 10, 65);
  else if (s2 === 1) ev.sig = pickOr(SIGNALS, sel >> 10, 0);
  return ev;
}
