import { describe, expect, it } from 'vitest';
import { last, run, task } from './helpers.js';

describe('kill and signal (reference: Signals; seed 002 G.1 kill_something_info)', () => {
  it('targets are resolved before the signal is checked: no target -> ESRCH even for sig 99', () => {
    expect(last(run([{ op: 'kill', by: 1, pid: 50, sig: 99 }]))).toEqual({ err: 'ESRCH' });
    expect(last(run([{ op: 'kill', by: 1, pid: 1, sig: 99 }]))).toEqual({ err: 'EINVAL' });
    expect(last(run([{ op: 'kill', by: 1, pid: -50, sig: 99 }]))).toEqual({ err: 'ESRCH' });
  });

  it('group targets are signalled in ascending pid order (a parent dying first reparents its child)', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'kill', by: 1, pid: -1, sig: 15 }], { initReaps: false });
    expect(task(r, 2)?.exitStatus).toEqual({ signaled: 15 });
    expect(task(r, 3)?.parent).toBe(1);
    expect(task(r, 3)?.exitStatus).toEqual({ signaled: 15 });
  });

  it('kill -1 spares the caller and global init; ESRCH when nobody else exists', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'kill', by: 2, pid: -1, sig: 9 }]);
    expect(last(r)).toEqual({ err: 'ESRCH' });
  });

  it('do_sigaction (2.6.18, 6.18: act && sig_kernel_only): SIGKILL/SIGSTOP take no action, default included; 0 and 65 are EINVAL', () => {
    for (const semantics of ['containers-2006', 'cgroups-2009', 'linux-6'] as const) {
      const r = run([
        { op: 'signal', by: 1, sig: 9, action: 'catch' }, { op: 'signal', by: 1, sig: 19, action: 'ignore' },
        { op: 'signal', by: 1, sig: 0, action: 'default' }, { op: 'signal', by: 1, sig: 65, action: 'catch' },
        { op: 'signal', by: 1, sig: 19, action: 'default' }, { op: 'signal', by: 1, sig: 9, action: 'default' },
        { op: 'signal', by: 1, sig: 18, action: 'default' },
      ], {}, semantics);
      expect(r.out).toEqual([{ err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { ret: 0 }]);
    }
  });

  it('a caught signal is counted; an ignored one discarded; dispositions are inherited by fork', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'signal', by: 2, sig: 15, action: 'catch' }, { op: 'signal', by: 2, sig: 2, action: 'ignore' },
      { op: 'fork', by: 2 }, { op: 'kill', by: 1, pid: 3, sig: 15 }, { op: 'kill', by: 1, pid: 3, sig: 15 }, { op: 'kill', by: 1, pid: 3, sig: 2 },
    ]);
    expect(task(r, 3)?.caught.get(15)).toBe(2);
    expect(task(r, 3)?.state).toBe('running');
  });

  it('exec resets caught signals to default but keeps ignored ones (flush_signal_handlers)', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'signal', by: 2, sig: 15, action: 'catch' }, { op: 'signal', by: 2, sig: 2, action: 'ignore' },
      { op: 'exec', by: 2 }, { op: 'kill', by: 1, pid: 2, sig: 2 }, { op: 'kill', by: 1, pid: 2, sig: 15 },
    ], { initReaps: false });
    expect(task(r, 2)?.exitStatus).toEqual({ signaled: 15 });
    expect(task(r, 2)?.execd).toBe(true);
  });

  it('a stopped task keeps fatal signals pending (lowest first on SIGCONT), ignores stop signals, dies on SIGKILL', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'kill', by: 1, pid: 2, sig: 19 }, { op: 'kill', by: 1, pid: 2, sig: 15 },
      { op: 'kill', by: 1, pid: 2, sig: 3 }, { op: 'kill', by: 1, pid: 2, sig: 15 }, { op: 'kill', by: 1, pid: 2, sig: 20 },
    ], { initReaps: false });
    expect(task(r, 2)?.state).toBe('stopped');
    expect(task(r, 2)?.pending).toEqual([3, 15]);
    expect(task(r, 2)?.stopReport).toBe(19);
    const r2 = run([
      { op: 'fork', by: 1 }, { op: 'kill', by: 1, pid: 2, sig: 19 }, { op: 'kill', by: 1, pid: 2, sig: 15 },
      { op: 'kill', by: 1, pid: 2, sig: 3 }, { op: 'kill', by: 1, pid: 2, sig: 18 },
    ], { initReaps: false });
    expect(task(r2, 2)?.exitStatus).toEqual({ signaled: 3 });
    const r3 = run([{ op: 'fork', by: 1 }, { op: 'kill', by: 1, pid: 2, sig: 19 }, { op: 'kill', by: 1, pid: 2, sig: 9 }], { initReaps: false });
    expect(task(r3, 2)?.exitStatus).toEqual({ signaled: 9 });
  });

  it('SIGCONT resumes a stopped task whose SIGCONT is ignored or caught', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'signal', by: 2, sig: 18, action: 'ignore' }, { op: 'kill', by: 1, pid: 2, sig: 19 }, { op: 'kill', by: 1, pid: 2, sig: 18 },
    ]);
    expect(task(r, 2)?.state).toBe('running');
    expect(task(r, 2)?.contReport).toBe(true);
  });

  it('a caught signal on a stopped task is counted and does not resume it', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'signal', by: 2, sig: 10, action: 'catch' }, { op: 'kill', by: 1, pid: 2, sig: 19 }, { op: 'kill', by: 1, pid: 2, sig: 10 },
    ]);
    expect(task(r, 2)?.state).toBe('stopped');
    expect(task(r, 2)?.caught.get(10)).toBe(1);
  });

  it('init protection: global init ignores default-disposition signals but gets caught ones', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'kill', by: 2, pid: 1, sig: 9 }, { op: 'kill', by: 2, pid: 1, sig: 19 }, { op: 'kill', by: 2, pid: 1, sig: 15 },
      { op: 'signal', by: 1, sig: 10, action: 'catch' }, { op: 'kill', by: 2, pid: 1, sig: 10 },
    ]);
    expect(task(r, 1)?.state).toBe('running');
    expect(task(r, 1)?.caught.get(10)).toBe(1);
  });

  it('a task can stop itself; it then blocks', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'kill', by: 2, pid: 2, sig: 19 }, { op: 'getpid', by: 2 }]);
    expect(r.out.slice(1)).toEqual([{ ret: 0 }, { blocked: true }]);
  });

  it('a task can kill itself', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'kill', by: 2, pid: 0, sig: 15 }], { initReaps: false });
    expect(last(r)).toEqual({ ret: 0 });
    expect(task(r, 2)?.exitStatus).toEqual({ signaled: 15 });
  });
});
