import { describe, expect, it } from 'vitest';
import { willBecomeOrphanedPgrp, isOrphanedPgrp } from '../../src/kernel/orphan.js';
import { last, run, task } from './helpers.js';

describe('exit (reference: exit, 2.6.18 do_exit / exit_notify)', () => {
  it('sys_exit: global init cannot exit -> EPERM, and nothing changes', () => {
    const r = run([{ op: 'exit', by: 1, code: 0 }]);
    expect(last(r)).toEqual({ err: 'EPERM' });
    expect(task(r, 1)?.state).toBe('running');
  });

  it('the status keeps code & 255', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'exit', by: 2, code: 511 }], { initReaps: false });
    expect(task(r, 2)?.exitStatus).toEqual({ exited: 255 });
  });

  it('seed 002 E.8 (exit_notify): the task is a zombie before its parent is notified; parent then reaps', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'exit', by: 3, code: 9 }, { op: 'wait', by: 2 }]);
    expect(r.out[2]).toEqual({ ret: 0 });
    expect(last(r)).toEqual({ ret: { pid: 3, status: { exited: 9 } } });
    expect(task(r, 3)).toBeUndefined();
    expect(task(r, 2)?.children).toEqual([]);
  });

  it('seed 002 E.4 (forget_original_parent): children go to global init, appended in child order', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'fork', by: 2 }, { op: 'exit', by: 2, code: 0 },
    ], { initReaps: false });
    expect(task(r, 4)?.parent).toBe(1);
    expect(task(r, 1)?.children).toEqual([2, 3, 4, 5]);
  });

  it('initReaps: a zombie whose parent is global init is reaped at once; one reparented to init too', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'exit', by: 3, code: 1 }, { op: 'exit', by: 2, code: 0 },
    ]);
    expect(task(r, 2)).toBeUndefined();
    expect(task(r, 3)).toBeUndefined();
    expect(r.kernel.s.numUse.has(3)).toBe(false);
  });

  it('do_notify_parent: a parent ignoring SIGCHLD has its children released at once', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'signal', by: 2, sig: 17, action: 'ignore' }, { op: 'fork', by: 2 },
      { op: 'exit', by: 3, code: 0 }, { op: 'wait', by: 2, nohang: true },
    ]);
    expect(task(r, 3)).toBeUndefined();
    expect(last(r)).toEqual({ err: 'ECHILD' });
  });

  it('setting SIGCHLD to ignore does not release zombies that already exist', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'exit', by: 3, code: 0 },
      { op: 'signal', by: 2, sig: 17, action: 'ignore' }, { op: 'wait', by: 2, nohang: true },
    ]);
    expect(last(r)).toEqual({ ret: { pid: 3, status: { exited: 0 } } });
  });

  it('step 2 (2.6.18 ptrace_untrace, 6.18 __ptrace_unlink): a tracee whose attach stop is unreported takes its SIGSTOP again and stays stopped', () => {
    for (const semantics of ['containers-2006', 'cgroups-2009', 'linux-6']) {
      const r = run([
        { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 }, { op: 'exit', by: 2, code: 0 },
      ], {}, semantics);
      expect(task(r, 3)?.tracer).toBe(0);
      expect(task(r, 3)?.state).toBe('stopped');
      expect(task(r, 3)?.stopReport).toBe(19);
    }
  });

  it('step 2 (2.6.18 ptrace_untrace: signal_wake_up; 6.18 exit_ptrace, observed in oracle ptrace_t #38): a tracee left in a stop its tracer reported runs again', () => {
    for (const semantics of ['containers-2006', 'cgroups-2009', 'linux-6']) {
      const r = run([
        { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
        { op: 'wait', by: 2, pid: 3 }, { op: 'exit', by: 2, code: 0 }, { op: 'getpid', by: 3 },
      ], {}, semantics);
      expect(r.out[3]).toEqual({ ret: { pid: 3, status: { stopped: 19 } } });
      expect(task(r, 3)?.tracer).toBe(0);
      expect(task(r, 3)?.state).toBe('running');
      expect(last(r)).toEqual({ ret: 3 });
    }
  });

  it('step 2: the fatal signal that waited for a trace stop kills the tracee its tracer\'s exit wakes', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'wait', by: 2, pid: 3 }, { op: 'kill', by: 1, pid: 3, sig: 15 }, { op: 'exit', by: 2, code: 0 },
    ], { initReaps: false });
    expect(task(r, 3)?.exitStatus).toEqual({ signaled: 15 });
  });

  it('step 2: a tracee the tracer exit wakes may die and be reaped at once inside that exit (found by fuzzing)', () => {
    const r = run([
      { op: 'fork', by: 1, pid: 1021 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 1022, request: 'attach', pid: 1021 },
      { op: 'wait', by: 1, untraced: true, continued: true }, { op: 'kill', by: 1, pid: 0, sig: 15 },
    ], { pidMax: 1100, reservedPids: 1000 });
    expect(last(r)).toEqual({ ret: 0 });
    expect(task(r, 1021)).toBeUndefined();
    expect(task(r, 1022)).toBeUndefined();
  });

  it('step 2: a zombie its tracer leaves by exiting is reaped at once when its parent is global init', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'kill', by: 2, pid: 3, sig: 9 }, { op: 'exit', by: 2, code: 0 },
    ]);
    expect(r.out[3]).toEqual({ ret: 0 });
    expect(task(r, 3)).toBeUndefined();
  });

  it('a zombie traced by a task other than its parent is never reaped automatically', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 }, { op: 'kill', by: 2, pid: 3, sig: 9 },
    ]);
    expect(task(r, 3)?.state).toBe('zombie');
    expect(task(r, 3)?.tracer).toBe(2);
  });
});

describe('orphaned process groups (seed 002 E.1/E.3/E.7, 2.6.18 will_become_orphaned_pgrp)', () => {
  const job = [
    { op: 'fork', by: 1 }, { op: 'setsid', by: 2 }, { op: 'fork', by: 2 }, { op: 'setpgid', by: 2, pid: 3, pgid: 3 },
    { op: 'fork', by: 3 },
  ] as const;

  it('will_become_orphaned_pgrp ignores zombies, members whose parent is global init, and the ignored task', () => {
    const r = run([...job]);
    const s = r.kernel.s;
    expect(isOrphanedPgrp(s, 3)).toBe(false); // 3's parent 2 is in pgrp 2 of session 2
    expect(willBecomeOrphanedPgrp(s, 3, task(r, 3) ?? null)).toBe(true); // 4's parent is in pgrp 3
    expect(isOrphanedPgrp(s, 2)).toBe(true); // 2's parent is global init
  });

  it('reparent_thread: SIGHUP then SIGCONT to a newly orphaned pgrp with a stopped member kills it', () => {
    const r = run([...job, { op: 'kill', by: 2, pid: -3, sig: 19 }, { op: 'exit', by: 2, code: 0 }]);
    expect(task(r, 3)).toBeUndefined();
    expect(task(r, 4)).toBeUndefined();
  });

  it('no stopped member: the orphaned pgrp is left alone', () => {
    const r = run([...job, { op: 'exit', by: 2, code: 0 }]);
    expect(task(r, 3)?.state).toBe('running');
    expect(task(r, 4)?.state).toBe('running');
  });

  it('a member catching SIGHUP survives, continued (reportable with WCONTINUED)', () => {
    const r = run([
      ...job, { op: 'signal', by: 4, sig: 1, action: 'catch' }, { op: 'kill', by: 2, pid: -3, sig: 19 }, { op: 'exit', by: 2, code: 0 },
    ], { initReaps: false });
    expect(task(r, 3)?.exitStatus).toEqual({ signaled: 1 });
    expect(task(r, 4)?.state).toBe('running');
    expect(task(r, 4)?.caught.get(1)).toBe(1);
    expect(task(r, 4)?.contReport).toBe(true);
  });

  it('exit_notify (step 5): the exiting task orphans its own pgrp -> SIGHUP+SIGCONT to it', () => {
    const r = run([...job, { op: 'fork', by: 3 }, { op: 'kill', by: 3, pid: 5, sig: 19 }, { op: 'exit', by: 3, code: 0 }]);
    expect(task(r, 5)).toBeUndefined();
    expect(task(r, 4)).toBeUndefined(); // running member: killed by the SIGHUP
  });

  it('a pgrp still linked through another member is not signalled', () => {
    const r = run([
      ...job, { op: 'fork', by: 2 }, { op: 'setpgid', by: 2, pid: 5, pgid: 3 }, { op: 'fork', by: 3 },
      { op: 'kill', by: 2, pid: 6, sig: 19 }, { op: 'exit', by: 3, code: 0 },
    ]);
    expect(task(r, 6)?.state).toBe('stopped'); // 5 (parent 2, pgrp 2) still links pgrp 3
  });

  it('children in a different session are not checked (same session only)', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'setsid', by: 2 }, { op: 'fork', by: 2 }, { op: 'setsid', by: 3 }, { op: 'fork', by: 3 },
      { op: 'kill', by: 3, pid: 4, sig: 19 }, { op: 'exit', by: 2, code: 0 },
    ]);
    expect(task(r, 4)?.state).toBe('stopped');
  });
});
