import { describe, expect, it } from 'vitest';
import { last, run, task } from './helpers.js';

const vps = [{ op: 'fork', by: 1 }, { op: 'vps_create', by: 2, vps: 7 }] as const; // init = 3

describe('VPS init in the process model (reference: exit step 3, 5.5, 5.6; seed 004)', () => {
  it('getppid is 0 for a VPS init; a vps_enter child sees its host parent as a global pid (seed 004 get_task_ppid)', () => {
    const r = run([...vps, { op: 'getppid', by: 3 }, { op: 'vps_enter', by: 2, vps: 7 }, { op: 'getppid', by: 4 }]);
    expect(r.out[2]).toEqual({ ret: 0 });
    expect(last(r)).toEqual({ ret: 2 });
  });

  it('zap_pid_ns_processes: init exit SIGKILLs every other task of the VPS, reparents to it, reaps its zombies', () => {
    const r = run([
      ...vps, { op: 'fork', by: 3 }, { op: 'fork', by: 4 }, { op: 'fork', by: 5 }, { op: 'kill', by: 3, pid: 1029, sig: 19 },
      { op: 'exit', by: 3, code: 4 },
    ], { initReaps: false });
    for (const pid of [4, 5, 6]) expect(task(r, pid)).toBeUndefined();
    expect(task(r, 3)?.exitStatus).toEqual({ exited: 4 });
    expect(task(r, 3)?.children).toEqual([]);
  });

  it('the host is untouched by a VPS init death', () => {
    const r = run([...vps, { op: 'fork', by: 2 }, { op: 'exit', by: 3, code: 0 }]);
    expect(task(r, 4)?.state).toBe('running');
    expect(task(r, 2)?.state).toBe('running');
  });

  it("a VPS init's zombie is reportable only after every other VPS task is reaped", () => {
    const r = run([
      ...vps, { op: 'vps_enter', by: 2, vps: 7 }, { op: 'exit', by: 3, code: 0 },
      { op: 'wait', by: 2, pid: 3, nohang: true }, { op: 'wait', by: 2, pid: 4 }, { op: 'wait', by: 2, pid: 3, nohang: true },
    ]);
    expect(r.out[4]).toEqual({ ret: 0 });
    expect(r.out[5]).toEqual({ ret: { pid: 4, status: { signaled: 9 } } });
    expect(r.out[6]).toEqual({ ret: { pid: 3, status: { exited: 0 } } });
  });

  it("a deferred VPS init zombie whose parent is global init is reaped once it becomes reportable", () => {
    const r = run([
      { op: 'vps_create', by: 1, vps: 7 }, { op: 'fork', by: 1 }, { op: 'vps_enter', by: 3, vps: 7 },
      { op: 'exit', by: 2, code: 0 }, { op: 'wait', by: 3, pid: 4 },
    ]);
    expect(r.out[3]).toEqual({ ret: 0 });
    expect(task(r, 2)).toBeUndefined();
    expect(r.kernel.s.vpses.has(7)).toBe(false);
  });

  it('VPS init protection: SIGKILL from inside is ignored, SIGKILL from the host kills', () => {
    const r = run([...vps, { op: 'fork', by: 3 }, { op: 'kill', by: 4, pid: 1, sig: 9 }, { op: 'getpid', by: 3 }, { op: 'kill', by: 2, pid: 3, sig: 9 }], { initReaps: false });
    expect(r.out[4]).toEqual({ ret: 1 });
    expect(task(r, 3)?.exitStatus).toEqual({ signaled: 9 });
    expect(task(r, 4)).toBeUndefined();
  });

  it('a VPS init catching a signal gets it from inside (protection covers default dispositions only)', () => {
    const r = run([...vps, { op: 'fork', by: 3 }, { op: 'signal', by: 3, sig: 10, action: 'catch' }, { op: 'kill', by: 4, pid: 1, sig: 10 }]);
    expect(task(r, 3)?.caught.get(10)).toBe(1);
  });

  it('kill -1 inside a VPS spares the caller and the VPS init and never reaches the host', () => {
    const r = run([...vps, { op: 'fork', by: 3 }, { op: 'fork', by: 3 }, { op: 'fork', by: 2 }, { op: 'kill', by: 4, pid: -1, sig: 9 }]);
    expect(task(r, 5)?.exitStatus).toEqual({ signaled: 9 });
    expect(task(r, 4)?.state).toBe('running');
    expect(task(r, 3)?.state).toBe('running');
    expect(task(r, 6)?.state).toBe('running');
  });

  it('fork.vpid (reference: fork): EINVAL outside a VPS, for a value without the VPID bit, or at/above pidMax', () => {
    const r = run([
      ...vps, { op: 'fork', by: 2, vpid: 2048 }, { op: 'fork', by: 3, vpid: 5 }, { op: 'fork', by: 3, vpid: 32768 + 1024 },
      { op: 'fork', by: 3, vpid: -1024 },
    ]);
    expect(r.out.slice(2)).toEqual([{ err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }]);
  });

  it('wait inside a VPS reports vpids; a host pid argument for a task outside is ECHILD', () => {
    const r = run([...vps, { op: 'fork', by: 3 }, { op: 'exit', by: 4, code: 2 }, { op: 'wait', by: 3, pid: 2 }, { op: 'wait', by: 3 }]);
    expect(r.out[4]).toEqual({ err: 'ECHILD' });
    expect(last(r)).toEqual({ ret: { pid: 1028, status: { exited: 2 } } });
  });
});
