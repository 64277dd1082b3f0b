import { describe, expect, it } from 'vitest';
import { PROCESS_INVARIANTS } from '../../src/invariants/process.js';
import type { Invariant } from '../../src/invariants/types.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import { last, run, task, type Ev } from './helpers.js';

/**
 * Threads (CLONE_THREAD in `copy_process`, 2.6.18 and 6.18; reference: threads): one process, many
 * tids. Checked against the live 6.18 kernel by the oracle's cpuset_j (threads in `tasks` and
 * `cgroup.procs`), pgrp_p #24–#25 and ptrace_t #44 (traces/kernel/oracle-threads-*.json).
 */
const L6 = 'linux-6';
const ct = (by: number): Ev => ({ op: 'clone_thread', by });
const et = (by: number, code: number): Ev => ({ op: 'exit_thread', by, code });
const cs = (by: number, path: string, file: string, value?: string): Ev =>
  value === undefined ? { op: 'read', by, hierarchy: 'cs', path, file } : { op: 'write', by, hierarchy: 'cs', path, file, value };
const cpuset: Ev[] = [{ op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] }, { op: 'mkdir', by: 1, hierarchy: 'cs', path: '/A' }, cs(1, '/A', 'cpuset.cpus', '0'), cs(1, '/A', 'cpuset.mems', '0')];

describe('thread ids (copy_process CLONE_THREAD, sys_gettid, sys_getpid)', () => {
  it('copy_process CLONE_THREAD: a thread gets a tid of the pid space; gettid is it, getpid is the tgid (2.6.18 and 6.18 sys_getpid: task_tgid_vnr)', () => {
    for (const v of ['cgroups-2009', L6]) {
      const r = run([{ op: 'fork', by: 1 }, ct(2), { op: 'gettid', by: 3 }, { op: 'getpid', by: 3 }, { op: 'gettid', by: 2 }, { op: 'getppid', by: 3 }, { op: 'fork', by: 1 }], { pidVirt: 'none' }, v);
      expect(r.out).toEqual([{ ret: 2 }, { ret: 3 }, { ret: 3 }, { ret: 2 }, { ret: 2 }, { ret: 1 }, { ret: 4 }]);
      expect(task(r, 2)?.threads).toEqual([3]);
      expect(task(r, 2)?.children).toEqual([]);
    }
  });

  it('a fork by a thread makes a child of the process: getppid is the tgid, and it stays when the thread exits (6.x find_alive_thread)', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), { op: 'fork', by: 3 }, et(3, 0), { op: 'getppid', by: 4 }, { op: 'wait', by: 2, pid: -1, nohang: true }], {}, L6);
    expect(r.out.slice(2)).toEqual([{ ret: 4 }, { ret: 0 }, { ret: 2 }, { ret: 0 }]);
  });
});

describe('exit of one thread against exit_group (do_exit, do_group_exit, delay_group_leader)', () => {
  it('6.18 exit_notify: a non-leader thread is released at once; the process and its other threads go on', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), ct(2), et(3, 9), { op: 'gettid', by: 3 }, { op: 'gettid', by: 4 }, { op: 'getpid', by: 2 }], {}, L6);
    expect(r.out.slice(3)).toEqual([{ ret: 0 }, { err: 'ESRCH' }, { ret: 4 }, { ret: 2 }]);
    expect(task(r, 3)).toBeUndefined();
  });

  it('do_group_exit: `exit` by any thread ends every thread; the status is its code', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, ct(3), ct(3), { op: 'exit', by: 5, code: 7 }, { op: 'gettid', by: 4 }, { op: 'wait', by: 2, pid: 3 }], {}, L6);
    expect(r.out.slice(4)).toEqual([{ ret: 0 }, { err: 'ESRCH' }, { ret: { pid: 3, status: { exited: 7 } } }]);
  });

  it('6.18 delay_group_leader: the leader thread exits first; wait sees the process only once its last thread is gone, with the leader\'s status', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, ct(3), et(3, 5), { op: 'wait', by: 2, pid: 3, nohang: true }, { op: 'getpid', by: 3 }, { op: 'getpid', by: 4 },
      { op: 'kill', by: 2, pid: 3, sig: 0 }, et(4, 6), { op: 'wait', by: 2, pid: 3 }, { op: 'wait', by: 2, pid: -1, nohang: true },
    ], {}, L6);
    expect(r.out.slice(3)).toEqual([{ ret: 0 }, { ret: 0 }, { err: 'ESRCH' }, { ret: 3 }, { ret: 0 }, { ret: 0 }, { ret: { pid: 3, status: { exited: 5 } } }, { err: 'ECHILD' }]);
  });

  it('global init: its last thread cannot exit (EPERM, as exit), another of its threads can', () => {
    const r = run([ct(1), et(2, 0), et(1, 0)], {}, L6);
    expect(r.out).toEqual([{ ret: 2 }, { ret: 0 }, { err: 'EPERM' }]);
  });
});

describe('signals to a thread group (group_send_sig_info PIDTYPE_TGID, complete_signal)', () => {
  it('kill of a tid reaches the process: SIGSTOP stops every thread (a stopped thread\'s call blocks), SIGCONT resumes them, a fatal signal kills them all', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, ct(3), { op: 'kill', by: 2, pid: 4, sig: 19 }, { op: 'gettid', by: 4 }, { op: 'wait', by: 2, pid: 3, untraced: true, nohang: true },
      { op: 'kill', by: 2, pid: 4, sig: 18 }, { op: 'gettid', by: 4 }, { op: 'kill', by: 2, pid: 4, sig: 15 }, { op: 'gettid', by: 4 }, { op: 'wait', by: 2, pid: 3 },
    ], {}, L6);
    expect(r.out.slice(3)).toEqual([
      { ret: 0 }, { blocked: true }, { ret: { pid: 3, status: { stopped: 19 } } }, { ret: 0 }, { ret: 4 }, { ret: 0 }, { err: 'ESRCH' }, { ret: { pid: 3, status: { signaled: 15 } } },
    ]);
  });

  it('dispositions are the process\'s (CLONE_SIGHAND): a thread that ignores SIGTERM makes the process ignore it', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), { op: 'signal', by: 3, sig: 15, action: 'ignore' }, { op: 'kill', by: 1, pid: 2, sig: 15 }, { op: 'gettid', by: 2 }], {}, L6);
    expect(last(r)).toEqual({ ret: 2 });
  });
});

describe('thread ids in process calls (sys_setpgid, sys_getpgid, ptrace_attach)', () => {
  it('2.6.18 and 6.18 sys_setpgid: a non-leader thread id → EINVAL after the lookup; getpgid of it is the process\'s (oracle pgrp_p #24, #25)', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'setsid', by: 2 }, ct(2), { op: 'setpgid', by: 2, pid: 3, pgid: 0 }, { op: 'getpgid', by: 2, pid: 3 }, { op: 'setpgid', by: 2, pid: 99, pgid: 0 }], {}, L6);
    expect(r.out.slice(3)).toEqual([{ err: 'EINVAL' }, { ret: 2 }, { err: 'ESRCH' }]);
  });

  it('ptrace_attach: its own thread → EPERM (same_thread_group; oracle ptrace_t #44)', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), { op: 'ptrace', by: 2, request: 'attach', pid: 3 }, { op: 'ptrace', by: 3, request: 'attach', pid: 2 }], {}, L6);
    expect(r.out.slice(2)).toEqual([{ err: 'EPERM' }, { err: 'EPERM' }]);
  });

  it('de_thread: exec by a thread ends the other threads; the process keeps its pid', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), ct(2), { op: 'exec', by: 4 }, { op: 'gettid', by: 3 }, { op: 'gettid', by: 4 }, { op: 'getpid', by: 2 }], {}, L6);
    expect(r.out.slice(3)).toEqual([{ ret: 0 }, { err: 'ESRCH' }, { err: 'ESRCH' }, { ret: 2 }]);
  });
});

describe('tasks lists threads, cgroup.procs lists processes (cgroup_pidlist_start, cgroup_procs_write_start)', () => {
  it('6.18: tasks moves one thread; cgroup.procs lists the tgid once as soon as any thread is inside; a tid written to cgroup.procs moves the process (oracle cpuset_j #19–#30)', () => {
    const r = run([
      { op: 'fork', by: 1 }, ct(2), ...cpuset,
      cs(1, '/A', 'tasks', '3'), cs(1, '/A', 'tasks'), cs(1, '/A', 'cgroup.procs'),
      cs(1, '/A', 'cgroup.procs', '2'), cs(1, '/A', 'tasks'), cs(1, '/A', 'cgroup.procs'),
      cs(1, '/', 'cgroup.procs', '2'), cs(1, '/A', 'tasks'), cs(1, '/A', 'cgroup.procs', '3'), cs(1, '/A', 'tasks'),
    ], {}, L6);
    expect(r.out.slice(6)).toEqual([{ ret: 0 }, { ret: '3\n' }, { ret: '2\n' }, { ret: 0 }, { ret: '2\n3\n' }, { ret: '2\n' }, { ret: 0 }, { ret: '' }, { ret: 0 }, { ret: '2\n3\n' }]);
  });

  it('pid 0 written to tasks moves the writing thread; to cgroup.procs its whole process (6.18 cgroup_procs_write_start: current, group_leader)', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), ...cpuset, cs(3, '/A', 'tasks', '0'), cs(1, '/A', 'tasks'), cs(3, '/', 'tasks', '0'), cs(3, '/A', 'cgroup.procs', '0'), cs(1, '/A', 'tasks')], {}, L6);
    expect(r.out.slice(6)).toEqual([{ ret: 0 }, { ret: '3\n' }, { ret: 0 }, { ret: 0 }, { ret: '2\n3\n' }]);
  });

  it('a leader whose thread exited is in neither list; its process still counts in cgroup.procs through its live threads (6.x css_task_iter skips dying tasks)', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), ...cpuset, cs(1, '/A', 'cgroup.procs', '2'), et(2, 0), cs(1, '/A', 'tasks'), cs(1, '/A', 'cgroup.procs'), cs(1, '/A', 'tasks', '2')], {}, L6);
    expect(r.out.slice(8)).toEqual([{ ret: '3\n' }, { ret: '2\n' }, { ret: 0 }]);
  });

  it('2.6.33: cgroup.procs is read-only but lists tgids the same way', () => {
    const r = run([
      { op: 'fork', by: 1 }, ct(2), { op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] }, { op: 'mkdir', by: 1, hierarchy: 'cs', path: '/A' },
      cs(1, '/A', 'cpuset.cpus', '0'), cs(1, '/A', 'cpuset.mems', '0'), cs(1, '/A', 'tasks', '3'), cs(1, '/A', 'cgroup.procs'), cs(1, '/A', 'cgroup.procs', '2'),
    ], {}, 'cgroups-2009');
    expect(r.out.slice(6)).toEqual([{ ret: 0 }, { ret: '2\n' }, { err: 'EINVAL' }]);
  });
});

describe('thread-group invariant and canonical form', () => {
  const inv = PROCESS_INVARIANTS.find((i) => i.id === 'thread-group') as Invariant;
  it('silent on a good state, fires on a thread its leader does not list, on a thread with a pgrp of its own, on a zombie leader with threads', () => {
    const good = () => run([{ op: 'fork', by: 1 }, ct(2), ct(2)], {}, L6).kernel;
    let k = good();
    expect(inv.check(k.s, k.v, undefined)).toEqual([]);
    k = good();
    k.s.tasks.get(2)!.threads = [4];
    expect(inv.check(k.s, k.v, undefined).map((x) => x.message).join()).toContain('does not list thread 3');
    k = good();
    k.s.tasks.get(3)!.pgid = 2;
    expect(inv.check(k.s, k.v, undefined).map((x) => x.message).join()).toContain('process-wide state');
    k = good();
    k.s.tasks.get(2)!.state = 'zombie';
    expect(inv.check(k.s, k.v, undefined).map((x) => x.message).join()).toContain('still has threads');
  });

  it('the canonical form shows tgid only for a non-leader thread and leaderExited only while set, so single-threaded states keep their bytes', () => {
    const r = run([{ op: 'fork', by: 1 }, ct(2), et(2, 3)], {}, L6);
    const text = canonicalStateText(r.kernel.s, VERSIONS[L6]);
    expect(text).toContain('"tgid":2');
    expect(text).toContain('"leaderExited":{"exited":3}');
    expect(canonicalStateText(run([{ op: 'fork', by: 1 }], {}, L6).kernel.s, VERSIONS[L6])).not.toMatch(/tgid|leaderExited|threads/);
  });
});

/**
 * Threads in pid namespaces (6.18 kernel/fork.c `copy_process`: CLONE_THREAD is EINVAL when the
 * caller's pid_ns_for_children is not its active namespace; `alloc_pid` numbers the thread in its
 * process's namespace and each one above). Recorded on the live kernel:
 * traces/kernel/linux6-thread-pidns.json.
 */
describe('threads in pid namespaces (6.18 copy_process, alloc_pid; traces/kernel/linux6-thread-pidns.json)', () => {
  const events: Ev[] = [
    { op: 'fork', by: 1 },
    { op: 'unshare', by: 2, flags: ['newpid'] },
    ct(2),
    { op: 'fork', by: 2 },
    ct(3),
    { op: 'gettid', by: 4 },
    { op: 'getpid', by: 4 },
    { op: 'fork', by: 3 },
    et(4, 0),
    ct(3),
    { op: 'gettid', by: 6 },
  ];

  it('clone_thread after unshare(CLONE_NEWPID) is EINVAL; a thread of a namespace init is numbered in that namespace, and gettid/getpid answer there', () => {
    const r = run(events, { pidVirt: 'none' }, L6);
    expect(r.out).toEqual([{ ret: 2 }, { ret: 0 }, { err: 'EINVAL' }, { ret: 3 }, { ret: 2 }, { ret: 2 }, { ret: 1 }, { ret: 3 }, { ret: 0 }, { ret: 4 }, { ret: 4 }]);
    expect(task(r, 3)?.threads).toEqual([6]);
  });

  it('under a version without pid namespaces (2.6.18 sys_unshare: an unknown flag) the same calls take the one pid space', () => {
    const r = run(events, { pidVirt: 'none' }, 'cgroups-2009');
    expect(r.out.slice(0, 5)).toEqual([{ ret: 2 }, { err: 'EINVAL' }, { ret: 3 }, { ret: 4 }, { ret: 5 }]);
  });
});

describe('pid_for_children is per thread (6.18 kernel/nsproxy.c: each thread has its own nsproxy; traces/kernel/linux6-unshare-thread.json)', () => {
  it('after unshare(CLONE_NEWPID) by a thread only its children start the new namespace, and only it is refused CLONE_THREAD', () => {
    const r = run([
      { op: 'fork', by: 1 }, ct(2), { op: 'unshare', by: 3, flags: ['newpid'] }, { op: 'fork', by: 2 }, { op: 'getpid', by: 4 },
      { op: 'fork', by: 3 }, { op: 'getpid', by: 5 }, ct(3), ct(2),
    ], { pidVirt: 'none' }, L6);
    expect(r.out).toEqual([{ ret: 2 }, { ret: 3 }, { ret: 0 }, { ret: 4 }, { ret: 4 }, { ret: 5 }, { ret: 1 }, { err: 'EINVAL' }, { ret: 6 }]);
  });
});
