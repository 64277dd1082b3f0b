import { pidText, type ReasonArg, type ReasonTable } from '../reducer/reason-def.js';

/**
 * Why a process-model op failed or blocked (docs/reference.md, "Reason codes"): one code per rule
 * of the handlers in this folder, with the objects involved. Pids are as the event gave them (the
 * caller's view); `caller` is the event's `by`.
 */

/** The tasks `wait`'s pid argument selects, in words. */
function waitSelection(p: ReasonArg | undefined): string {
  if (typeof p !== 'number') return `a child or tracee matching pid ${String(p)}`;
  const n = p;
  if (n === -1) return 'any child or tracee';
  if (n === 0) return "a child or tracee in the caller's process group";
  if (n > 0) return `child or tracee ${n}`;
  return `a child or tracee in process group ${-n}`;
}

export const KERNEL_REASONS = {
  'fork-pid-range': { outcome: 'EINVAL', args: ['pid', 'pidMax'], text: (p, max) => `forced pid ${p} is not below pidMax ${max} or not positive` },
  'fork-pid-vpid-bit': { outcome: 'EINVAL', args: ['pid'], text: (p) => `forced pid ${p} has bit 1024 set, which only virtual pids carry` },
  'fork-pid-in-use': { outcome: 'EEXIST', args: ['pid'], text: (p) => `forced pid ${p} is in use (as a pid, pgid or sid)` },
  'fork-vpid-outside-vps': { outcome: 'EINVAL', args: ['caller', 'vpid'], text: (c, v) => `caller ${c} is not inside a VPS, so it cannot ask for vpid ${v}` },
  'fork-vpid-invalid': { outcome: 'EINVAL', args: ['vpid', 'pidMax'], text: (v, max) => `vpid ${v} is neither 1 nor a number with bit 1024 set below pidMax ${max}` },
  'pidmap-full': { outcome: 'EAGAIN', args: ['pidMax'], text: (max) => `every pid the allocator can hand out below pidMax ${max} is in use` },
  'exit-global-init': { outcome: 'EPERM', args: [], text: () => 'global init (pid 1) cannot exit' },
  'wait-no-child': { outcome: 'ECHILD', args: ['caller', 'pid'], text: (c, p) => `caller ${c} has no ${waitSelection(p).replace(/^(a|any) /, '')}` },
  'wait-nothing': { outcome: 'blocked', args: ['caller', 'pid'], text: (c, p) => `${waitSelection(p)} of caller ${c} exists, but none has a state change to report (no nohang)` },
  'proc-no-task': { outcome: 'ENOENT', args: ['pid'], text: (p) => `/proc has no directory ${p}: no task ${p} is visible to the caller` },
  'proc-no-line': { outcome: 'ENOENT', args: ['pid', 'subsys'], text: (p, x) => `/proc/${p}/cgroup has no line for ${x}: it is bound to no mounted hierarchy` },
  'kill-no-task': { outcome: 'ESRCH', args: ['pid'], text: (p) => `no task ${p} is visible to the caller` },
  'kill-empty-pgrp': { outcome: 'ESRCH', args: ['pgid'], text: (g) => `process group ${g} has no member visible to the caller` },
  'kill-all-none': { outcome: 'ESRCH', args: ['caller'], text: (c) => `kill -1 by ${c} finds no task to signal besides the caller and its namespace's init` },
  'signal-invalid': { outcome: 'EINVAL', args: ['sig'], text: (s) => `signal ${s} is not 0..64` },
  'sigaction-invalid': { outcome: 'EINVAL', args: ['sig'], text: (s) => `signal ${s} is not 1..64, so it has no disposition` },
  'sigaction-uncatchable': { outcome: 'EINVAL', args: ['sig', 'action'], text: (s, a) => `signal ${s} (SIGKILL or SIGSTOP) takes no action, not even ${a} (do_sigaction: sig_kernel_only)` },
  'thread-in-vps': { outcome: 'EINVAL', args: ['caller'], text: (c) => `caller ${c} is inside a VPS, where threads are not modelled` },
  'setpgid-thread': { outcome: 'EINVAL', args: ['pid'], text: (p) => `${pidText(p)} is a thread other than its process's leader` },
  'setpgid-negative': { outcome: 'EINVAL', args: ['pgid'], text: (g) => `pgid ${g} is negative` },
  'affinity-empty': { outcome: 'EINVAL', args: ['pid', 'cpus', 'allowed'], text: (p, c, a) => `cpus "${c}" asked for ${pidText(p)} share no cpu with its cpuset's "${a}" (__sched_setaffinity)` },
  'no-such-task': { outcome: 'ESRCH', args: ['pid'], text: (p) => `${pidText(p)} names no task the caller can see` },
  'setpgid-other-session': { outcome: 'EPERM', args: ['pid', 'caller'], text: (p, c) => `${pidText(p)} is a child of caller ${c} but in another session` },
  'setpgid-execd': { outcome: 'EACCES', args: ['pid'], text: (p) => `child ${p} has already called exec` },
  'setpgid-not-child': { outcome: 'ESRCH', args: ['pid', 'caller'], text: (p, c) => `${pidText(p)} is neither caller ${c} nor one of its children` },
  'setpgid-leader': { outcome: 'EPERM', args: ['pid'], text: (p) => `${pidText(p)} leads its session, so its process group is fixed` },
  'setpgid-pgid-invisible': { outcome: 'EPERM', args: ['pgid'], text: (g) => `pgid ${g} names no number visible to the caller` },
  'setpgid-pgid-elsewhere': { outcome: 'EPERM', args: ['pgid', 'sid'], text: (g, s) => `no process group ${g} exists in the caller's session ${s}` },
  'setsid-leader': { outcome: 'EPERM', args: ['caller'], text: (c) => `caller ${c} already leads a session` },
  'setsid-pgrp-exists': { outcome: 'EPERM', args: ['caller'], text: (c) => `process group ${c} already exists, so caller ${c} cannot lead a new one` },
  'ptrace-self': { outcome: 'EPERM', args: ['pid'], text: (p) => `${pidText(p)} is the caller itself or a thread of its process` },
  'ptrace-init': { outcome: 'EPERM', args: ['pid'], text: (p) => `${pidText(p)} is global init` },
  'ptrace-zombie': { outcome: 'EPERM', args: ['pid'], text: (p) => `${pidText(p)} is a zombie` },
  'ptrace-traced': { outcome: 'EPERM', args: ['pid', 'tracer'], text: (p, t) => `${pidText(p)} is already traced by ${t}` },
  'traceme-traced': { outcome: 'EPERM', args: ['caller', 'tracer'], text: (c, t) => `caller ${c} is already traced by ${t}` },
  'traceme-no-parent': { outcome: 'EPERM', args: ['caller'], text: (c) => `caller ${c} has no parent to trace it` },
  'ptrace-not-tracer': { outcome: 'ESRCH', args: ['pid', 'caller'], text: (p, c) => `caller ${c} does not trace ${pidText(p)}` },
  'ptrace-not-stopped': { outcome: 'ESRCH', args: ['pid'], text: (p) => `tracee ${p} is not stopped` },
  'prctl-unknown-option': { outcome: 'EINVAL', args: ['option'], text: (o) => `prctl option ${String(o)} does not exist in this version (child subreapers arrived in 3.4)` },
  'ptrace-signal-invalid': { outcome: 'EIO', args: ['sig'], text: (s) => `signal ${s} is not 0..64` },
} satisfies ReasonTable;
