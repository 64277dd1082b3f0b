import { describe, expect, it } from 'vitest';
import { pidNrNs, taskActivePidNs } from '../../src/kernel/pidns.js';
import { PIDNS_INVARIANTS } from '../../src/invariants/pidns.js';
import type { Kernel } from '../../src/replay/kernel.js';
import { type Ev, last, run, task } from './helpers.js';

/**
 * Pid namespaces (reference: pid namespaces; docs/versions.md "Pid namespaces under linux-6"):
 * each rule against the 6.x kernel function it models, and the live-kernel recording that shows it
 * (traces/kernel/oracle-pidns-*.json, traces/kernel/linux6-pidns-setns.json).
 */
const L6 = 'linux-6';
const l6 = (events: Ev[], config = {}) => run(events, config, L6);
/** S = 2 unshares a namespace and forks its init, 3. */
const NS: Ev[] = [{ op: 'fork', by: 1 }, { op: 'unshare', by: 2, flags: ['newpid'] }, { op: 'fork', by: 2 }];
const nsOf = (k: Kernel, pid: number): number => taskActivePidNs(k.s, pid);

describe('pid namespaces under linux-6 (6.x kernel/pid_namespace.c, kernel/pid.c)', () => {
  it('copy_pid_ns: unshare keeps the caller in its namespace; a second unshare before or after forking is EINVAL (oracle-pidns-k #1, #4)', () => {
    const r = l6([{ op: 'fork', by: 1 }, { op: 'unshare', by: 2, flags: ['newpid'] }, { op: 'getpid', by: 2 }, { op: 'unshare', by: 2, flags: ['newpid'] }, { op: 'fork', by: 2 }, { op: 'unshare', by: 2, flags: ['newpid'] }]);
    expect(r.out.slice(1)).toEqual([{ ret: 0 }, { ret: 2 }, { err: 'EINVAL' }, { ret: 3 }, { err: 'EINVAL' }]);
    expect(nsOf(r.kernel, 2)).toBe(0);
  });

  it('alloc_pid / is_child_reaper: the first child is 1 and init, getppid/getpgid/getsid 0 outside, the grandchild 2 (oracle-pidns-k #13-#24)', () => {
    const r = l6([...NS, { op: 'getpid', by: 3 }, { op: 'getppid', by: 3 }, { op: 'getpgid', by: 3 }, { op: 'getsid', by: 3 }, { op: 'fork', by: 3 }, { op: 'getpid', by: 4 }, { op: 'getppid', by: 4 }]);
    expect(r.out.slice(3)).toEqual([{ ret: 1 }, { ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: 2 }, { ret: 2 }, { ret: 1 }]);
    const ns = nsOf(r.kernel, 4);
    expect(r.kernel.s.pidns.spaces.get(ns)?.reaper).toBe(3);
    expect(pidNrNs(r.kernel.s, 4, ns)).toBe(2);
    expect(pidNrNs(r.kernel.s, 2, ns)).toBe(0);
  });

  it('pid_nr_ns: nested namespaces number a task at every level (oracle-pidns-o: NSpid [outer, 3, 2])', () => {
    const r = l6([...NS, { op: 'unshare', by: 3, flags: ['newpid'] }, { op: 'fork', by: 3 }, { op: 'fork', by: 4 }, { op: 'kill', by: 5, pid: 3, sig: 0 }, { op: 'kill', by: 3, pid: 3, sig: 0 }, { op: 'getpgid', by: 3, pid: 3 }]);
    expect(r.out.slice(4)).toEqual([{ ret: 2 }, { ret: 2 }, { err: 'ESRCH' }, { ret: 0 }, { ret: 0 }]);
    expect(r.kernel.s.pidns.upids.get(5)).toEqual({ nss: [1, 2], nrs: [3, 2] });
  });

  it('create_pid_namespace: level 32 is the deepest; the next unshare or clone(CLONE_NEWPID) is ENOSPC, from rootPidNsLevel', () => {
    const nest = (levels: number): Ev[] => [{ op: 'fork', by: 1 }, ...Array.from({ length: levels }, (_, i): Ev[] => [{ op: 'unshare', by: 2 + i, flags: ['newpid'] }, { op: 'fork', by: 2 + i }]).flat()];
    const r0 = l6([...nest(32), { op: 'unshare', by: 34, flags: ['newpid'] }, { op: 'fork', by: 34, newpid: true }]);
    expect(r0.out.slice(-2)).toEqual([{ err: 'ENOSPC' }, { err: 'ENOSPC' }]);
    const r1 = l6([...nest(31), { op: 'unshare', by: 33, flags: ['newpid'] }], { rootPidNsLevel: 1 });
    expect(last(r1)).toEqual({ err: 'ENOSPC' });
    expect(last(l6(nest(31)))).toEqual({ ret: 2 });
  });

  it('sig_task_ignored: init ignores SIGKILL, SIGTERM, SIGSTOP from inside without a handler, gets a caught signal; from the parent namespace SIGTERM is ignored, SIGKILL kills (oracle-pidns-l)', () => {
    const r = l6([...NS, { op: 'fork', by: 3 }, { op: 'signal', by: 3, sig: 10, action: 'catch' },
      { op: 'kill', by: 4, pid: 1, sig: 9 }, { op: 'kill', by: 4, pid: 1, sig: 15 }, { op: 'kill', by: 4, pid: 1, sig: 19 }, { op: 'kill', by: 4, pid: 1, sig: 10 },
      { op: 'kill', by: 2, pid: 3, sig: 15 }]);
    expect(task(r, 3)?.state).toBe('running');
    expect(task(r, 3)?.caught.get(10)).toBe(1);
    const k = l6([...NS, { op: 'kill', by: 2, pid: 3, sig: 19 }]);
    expect(task(k, 3)?.state).toBe('stopped');
    const d = l6([...NS, { op: 'kill', by: 2, pid: 3, sig: 9 }, { op: 'wait', by: 2, pid: 3 }]);
    expect(last(d)).toEqual({ ret: { pid: 3, status: { signaled: 9 } } });
  });

  it('kill_something_info: kill(-1) inside reaches the namespace but spares its init and the caller, and nothing outside (oracle-pidns-l #14)', () => {
    const r = l6([...NS, { op: 'fork', by: 3 }, { op: 'fork', by: 4 }, { op: 'fork', by: 1 }, { op: 'kill', by: 4, pid: -1, sig: 15 }]);
    expect(last(r)).toEqual({ ret: 0 });
    expect(task(r, 5)?.state).toBe('zombie');
    expect([3, 4, 6].map((p) => task(r, p)?.state)).toEqual(['running', 'running', 'running']);
  });

  it('find_child_reaper: an orphan inside goes to the namespace init, which reaps it (oracle-pidns-m)', () => {
    const r = l6([...NS, { op: 'fork', by: 3 }, { op: 'fork', by: 4 }, { op: 'exit', by: 4, code: 0 }, { op: 'getppid', by: 5 }, { op: 'exit', by: 5, code: 7 }, { op: 'wait', by: 3, pid: 2 }, { op: 'wait', by: 3 }, { op: 'wait', by: 3 }]);
    expect(r.out.slice(6)).toEqual([{ ret: 1 }, { ret: 0 }, { ret: { pid: 2, status: { exited: 0 } } }, { ret: { pid: 3, status: { exited: 7 } } }, { err: 'ECHILD' }]);
  });

  it('zap_pid_ns_processes: init death kills every member; the init is reapable only after they are; fork then ENOMEM, unshare EINVAL (oracle-pidns-n)', () => {
    const r = l6([...NS, { op: 'fork', by: 2 }, { op: 'getppid', by: 4 }, { op: 'fork', by: 3 }, { op: 'exit', by: 3, code: 0 },
      { op: 'wait', by: 2, pid: 3, nohang: true }, { op: 'wait', by: 2, pid: 4 }, { op: 'wait', by: 2, pid: 3 }, { op: 'fork', by: 2 }, { op: 'unshare', by: 2, flags: ['newpid'] }]);
    expect(r.out.slice(4)).toEqual([{ ret: 0 }, { ret: 3 }, { ret: 0 }, { ret: 0 }, { ret: { pid: 4, status: { signaled: 9 } } }, { ret: { pid: 3, status: { exited: 0 } } }, { err: 'ENOMEM' }, { err: 'EINVAL' }]);
    expect(task(r, 5)).toBeUndefined();
    expect(r.kernel.s.pidns.spaces.get(1)?.adding).toBe(false);
  });

  it('free_pid: a reaped init leaves its dead namespace without a reaper, so a task that later gets its global number is no init (found by fuzzing)', () => {
    const r = l6([...NS, { op: 'exit', by: 3, code: 0 }, { op: 'wait', by: 2 }, { op: 'fork', by: 1, pid: 3 }, { op: 'kill', by: 1, pid: 3, sig: 15 }]);
    expect(r.kernel.s.pidns.spaces.get(1)?.reaper).toBe(0);
    expect(task(r, 3)).toBeUndefined(); // killed, and reaped by global init
  });

  it('alloc_pid ENOMEM moves only the root allocator (reference: Outcomes, allocates)', () => {
    const r = l6([...NS, { op: 'exit', by: 3, code: 0 }, { op: 'wait', by: 2 }, { op: 'fork', by: 2 }, { op: 'fork', by: 1 }]);
    expect(r.out.slice(5)).toEqual([{ err: 'ENOMEM' }, { ret: 5 }]);
  });

  it('setns → pidns_install: pid_for_children becomes the named task\'s namespace; ESRCH for an invisible or exited task, EINVAL for pid <= 0 (linux6-pidns-setns)', () => {
    const r = l6([...NS, { op: 'fork', by: 1 }, { op: 'setns', by: 4, pid: 3 }, { op: 'fork', by: 4 }, { op: 'getpid', by: 5 }, { op: 'getppid', by: 5 },
      { op: 'setns', by: 3, pid: 4 }, { op: 'setns', by: 3, pid: 0 }, { op: 'fork', by: 3 }, { op: 'exit', by: 6, code: 0 }, { op: 'setns', by: 3, pid: 3 }]);
    expect(r.out.slice(4)).toEqual([{ ret: 0 }, { ret: 5 }, { ret: 2 }, { ret: 0 }, { err: 'ESRCH' }, { err: 'EINVAL' }, { ret: 3 }, { ret: 0 }, { err: 'ESRCH' }]);
    expect(nsOf(r.kernel, 4)).toBe(0);
  });

  it('the seed-era kernels (2.6.18) know no CLONE_NEWPID: unshare EINVAL (sys_unshare), clone ignores it (copy_process), setns ENOSYS', () => {
    for (const sem of ['cgroups-2009', 'containers-2006']) {
      const r = run([{ op: 'fork', by: 1 }, { op: 'unshare', by: 2, flags: ['newpid'] }, { op: 'fork', by: 2, newpid: true }, { op: 'getpid', by: 3 }, { op: 'setns', by: 2, pid: 3 }, { op: 'unshare', by: 2, flags: [] }], {}, sem);
      expect(r.out.slice(1)).toEqual([{ err: 'EINVAL' }, { ret: 3 }, { ret: 3 }, { err: 'ENOSYS' }, { ret: 0 }]);
      expect(r.kernel.s.pidns.spaces.size).toBe(0);
    }
  });
});

describe('pidns-bijection (reference: Invariants and postconditions; 6.x struct pid numbers[] and the namespace idr)', () => {
  const check = (k: Kernel) => PIDNS_INVARIANTS.flatMap((i) => i.check(k.s, k.v, undefined)).map((v) => `${v.subject}: ${v.message}`);
  const nested = (): Kernel => l6([...NS, { op: 'unshare', by: 3, flags: ['newpid'] }, { op: 'fork', by: 3 }, { op: 'fork', by: 4 }]).kernel;

  it('holds on nested namespaces the model builds', () => {
    expect(check(nested())).toEqual([]);
  });

  it('fires when a namespace number stands for a pid whose number there differs (not a bijection)', () => {
    const k = nested();
    k.s.pidns.spaces.get(2)?.nrs.set(7, 5);
    expect(check(k)).toContain('pidns 2: number 7 stands for 5, whose number here is not 7');
  });

  it('fires when a number\'s namespaces do not nest, or a namespace skips a level', () => {
    const k = nested();
    k.s.pidns.upids.set(5, { nss: [2, 1], nrs: [2, 3] });
    expect(check(k).some((m) => m.startsWith('pid 5: namespace 2 at depth 1 is not a child of 0'))).toBe(true);
    const l = nested();
    (l.s.pidns.spaces.get(2) as { level: number }).level = 5;
    expect(check(l)).toContain("pidns 2: level 5 is not one below its parent 1's");
  });

  it('fires when a pid_for_children is the task\'s own namespace or above it', () => {
    const k = nested();
    k.s.pidns.forChildren.set(4, 1);
    expect(check(k)).toContain('task 4: pid_for_children 1 is not below its namespace 2');
  });
});

/**
 * A forced pid below the root (6.18 kernel/pid.c `alloc_pid` with clone3's `set_tid` of one
 * number): the child's number in its innermost namespace. Recorded on the live kernel:
 * traces/kernel/linux6-pidns-forced-pid.json.
 */
describe('fork {pid} below the root names the innermost number (6.18 alloc_pid, set_tid)', () => {
  it('EINVAL where the namespace has no init yet (but 1), EEXIST when taken there, the global pid allocated as usual, and the namespace cursor at the forced number', async () => {
    const { replayEvents } = await import('../../src/replay/replay.js');
    const r = replayEvents({ semantics: 'linux-6' }, [
      { op: 'fork', by: 1 }, { op: 'unshare', by: 2, flags: ['newpid'] }, { op: 'fork', by: 2, pid: 5 }, { op: 'fork', by: 2 },
      { op: 'fork', by: 3, pid: 10 }, { op: 'getpid', by: 4 }, { op: 'fork', by: 3, pid: 10 }, { op: 'fork', by: 3 },
      { op: 'fork', by: 1, pid: 4 }, { op: 'fork', by: 1, newpid: true, pid: 3 }, { op: 'fork', by: 1, newpid: true, pid: 1 },
    ]);
    expect(r.violations).toEqual([]);
    expect(r.outcomes).toEqual([
      { ret: 2 }, { ret: 0 }, { err: 'EINVAL' }, { ret: 3 }, { ret: 10 }, { ret: 10 }, { err: 'EEXIST' }, { ret: 11 }, { err: 'EEXIST' }, { err: 'EINVAL' }, { ret: 6 },
    ]);
  });

  it('at the root a forced pid is still the global pid (the seed-era rule, reference: fork)', async () => {
    const { replayEvents } = await import('../../src/replay/replay.js');
    const r = replayEvents({ semantics: 'linux-6' }, [{ op: 'fork', by: 1, pid: 40 }, { op: 'getpid', by: 40 }]);
    expect(r.outcomes).toEqual([{ ret: 40 }, { ret: 40 }]);
  });
});

describe('fork {pid} into a namespace whose init died (6.18 alloc_pid; traces/kernel/linux6-pidns-forced-pid-dead.json)', () => {
  it('is ENOMEM like any fork there: child_reaper still names the dead init, so the set_tid check passes', async () => {
    const { replayEvents } = await import('../../src/replay/replay.js');
    const r = replayEvents({ semantics: 'linux-6' }, [
      { op: 'fork', by: 1 }, { op: 'unshare', by: 2, flags: ['newpid'] }, { op: 'fork', by: 2 }, { op: 'kill', by: 2, pid: 3, sig: 9 },
      { op: 'fork', by: 2, pid: 6 }, { op: 'fork', by: 2 },
    ]);
    expect(r.violations).toEqual([]);
    expect(r.outcomes.slice(4)).toEqual([{ err: 'ENOMEM' }, { err: 'ENOMEM' }]);
  });
});

describe('kill of a process group from inside a pid namespace (6.18 kernel/signal.c __kill_pgrp_info; traces/kernel/linux6-kill-pgrp-pidns.json)', () => {
  it('reaches the members outside the caller\'s namespace too: the group is walked with no namespace check', async () => {
    const { replayEvents } = await import('../../src/replay/replay.js');
    // 3 is init of a namespace below the root, in task 1's group (inherited); 4 is its child; 5, outside, is in the same group
    const r = replayEvents({ semantics: 'linux-6' }, [
      { op: 'fork', by: 1 }, { op: 'fork', by: 1, newpid: true }, { op: 'fork', by: 3 }, { op: 'fork', by: 1 },
      { op: 'kill', by: 4, pid: 0, sig: 9 }, { op: 'getpid', by: 5 }, { op: 'getpid', by: 2 },
    ]);
    expect(r.violations).toEqual([]);
    expect(r.outcomes.slice(4)).toEqual([{ ret: 0 }, { err: 'ESRCH' }, { err: 'ESRCH' }]);
  });
});

describe('setns with a thread\'s tid (6.18 pidfd_open → pidfd_prepare without PIDFD_THREAD; traces/kernel/linux6-setns-thread.json)', () => {
  it('is ENOENT; its process\'s pid works', async () => {
    const { replayEvents } = await import('../../src/replay/replay.js');
    const r = replayEvents({ semantics: 'linux-6' }, [
      { op: 'fork', by: 1 }, { op: 'clone_thread', by: 2 }, { op: 'setns', by: 1, pid: 3 }, { op: 'setns', by: 1, pid: 2 }, { op: 'setns', by: 1, pid: 9 },
    ]);
    expect(r.violations).toEqual([]);
    expect(r.outcomes.slice(2)).toEqual([{ err: 'ENOENT' }, { ret: 0 }, { err: 'ESRCH' }]);
  });
});

describe('a forced number below the forking task\'s namespace leaves that namespace\'s cursor (6.18 alloc_pid idr_alloc; ns_last_pid sets the writer\'s own; traces/kernel/linux6-pidns-forced-cursor.json)', () => {
  it('forced from outside N: N allocates on from where it was; forced from inside N: N continues after it', async () => {
    const { replayEvents } = await import('../../src/replay/replay.js');
    const r = replayEvents({ semantics: 'linux-6' }, [
      { op: 'unshare', by: 1, flags: ['newpid'] }, { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1, pid: 10 }, { op: 'fork', by: 1 },
      { op: 'getpid', by: 5 }, { op: 'fork', by: 2, pid: 20 }, { op: 'fork', by: 2 },
    ]);
    expect(r.violations).toEqual([]);
    expect(r.outcomes).toEqual([{ ret: 0 }, { ret: 2 }, { ret: 3 }, { ret: 4 }, { ret: 5 }, { ret: 3 }, { ret: 20 }, { ret: 21 }]);
  });
});
