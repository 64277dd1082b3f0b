import { describe, expect, it } from 'vitest';
import { last, run, task } from './helpers.js';

describe('ptrace (reference: ptrace; seed 002 F.1-F.6 ptrace_attach / __ptrace_unlink / ptrace_detach)', () => {
  it('ptrace_attach: ESRCH for an unknown task; EPERM for self, init, a zombie, or a traced task', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'exit', by: 4, code: 0 },
      { op: 'ptrace', by: 2, request: 'attach', pid: 9 }, { op: 'ptrace', by: 2, request: 'attach', pid: 2 },
      { op: 'ptrace', by: 2, request: 'attach', pid: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 4 },
      { op: 'ptrace', by: 2, request: 'attach', pid: 3 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'ptrace', by: 2, request: 'attach' },
    ], { initReaps: false });
    expect(r.out.slice(4)).toEqual([
      { err: 'ESRCH' }, { err: 'EPERM' }, { err: 'EPERM' }, { err: 'EPERM' }, { ret: 0 }, { err: 'EPERM' }, { err: 'ESRCH' },
    ]);
  });

  it('linux-6 ptraceInit allowed (6.18 ptrace_attach has no pid-1 check; traces/versions/l6-ptrace-init.json, recorded): init is attached and stopped, the tracer sees the stop, detach resumes it', () => {
    const evs: Parameters<typeof run>[0] = [
      { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 1 }, { op: 'getpid', by: 1 },
      { op: 'wait', by: 2, pid: 1, nohang: true }, { op: 'ptrace', by: 2, request: 'detach', pid: 1 }, { op: 'getpid', by: 1 },
    ];
    const r = run(evs, { pidVirt: 'none' }, 'linux-6');
    expect(r.out).toEqual([{ ret: 2 }, { ret: 0 }, { blocked: true }, { ret: { pid: 1, status: { stopped: 19 } } }, { ret: 0 }, { ret: 1 }]);
    expect(task(r, 1)?.tracer).toBe(0);
    expect(run(evs.slice(0, 2), { pidVirt: 'none' }, 'cgroups-2009').out[1]).toEqual({ err: 'EPERM' });
  });

  it('ptrace_attach links the tracee at the end of the traced list and stops it with SIGSTOP', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 4 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 }]);
    expect(task(r, 2)?.traced).toEqual([4, 3]);
    expect(task(r, 3)?.tracer).toBe(2);
    expect(task(r, 3)?.state).toBe('stopped');
    expect(task(r, 3)?.stopReport).toBe(19);
    expect(task(r, 3)?.parent).toBe(1);
  });

  it('ptrace_attach to a VPS init from inside its VPS stops it (forced SIGSTOP bypasses init protection)', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'vps_create', by: 2, vps: 5 }, { op: 'fork', by: 3 }, { op: 'ptrace', by: 4, request: 'attach', pid: 1 }]);
    expect(last(r)).toEqual({ ret: 0 });
    expect(task(r, 3)?.state).toBe('stopped');
  });

  it('traceme: traced by the real parent; EPERM when already traced', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'ptrace', by: 3, request: 'traceme' }, { op: 'ptrace', by: 3, request: 'traceme' }]);
    expect(r.out.slice(2)).toEqual([{ ret: 0 }, { err: 'EPERM' }]);
    expect(task(r, 3)?.tracer).toBe(2);
    expect(task(r, 2)?.traced).toEqual([3]);
  });

  it('global init cannot traceme (it has no parent)', () => {
    expect(last(run([{ op: 'ptrace', by: 1, request: 'traceme' }]))).toEqual({ err: 'EPERM' });
  });

  it('ptrace_check_attached before valid_signal: ESRCH (not tracer / not stopped) comes before EIO', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'ptrace', by: 1, request: 'cont', pid: 3, sig: 99 }, { op: 'ptrace', by: 2, request: 'cont', pid: 3, sig: 99 },
      { op: 'ptrace', by: 2, request: 'cont', pid: 3 }, { op: 'ptrace', by: 2, request: 'detach', pid: 3, sig: 99 },
    ]);
    expect(r.out.slice(3)).toEqual([{ err: 'ESRCH' }, { err: 'EIO' }, { ret: 0 }, { err: 'ESRCH' }]);
  });

  it('cont resumes without unlinking; detach unlinks (real parent unchanged)', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'ptrace', by: 2, request: 'cont', pid: 3 }, { op: 'kill', by: 2, pid: 3, sig: 19 }, { op: 'ptrace', by: 2, request: 'detach', pid: 3 },
    ]);
    expect(task(r, 3)?.state).toBe('running');
    expect(task(r, 3)?.tracer).toBe(0);
    expect(task(r, 2)?.traced).toEqual([]);
    expect(task(r, 3)?.parent).toBe(1);
  });

  it('a resume delivers the given signal: a stop signal stops again, a fatal one kills', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'ptrace', by: 2, request: 'cont', pid: 3, sig: 19 },
    ]);
    expect(task(r, 3)?.state).toBe('stopped');
    const r2 = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'ptrace', by: 2, request: 'detach', pid: 3, sig: 15 },
    ], { initReaps: false });
    expect(task(r2, 3)?.exitStatus).toEqual({ signaled: 15 });
    expect(task(r2, 3)?.tracer).toBe(0);
  });

  it('a ptrace resume is not a SIGCONT: no WCONTINUED report', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'ptrace', by: 2, request: 'cont', pid: 3 }, { op: 'wait', by: 2, continued: true, nohang: true },
    ]);
    expect(last(r)).toEqual({ ret: 0 });
  });
});
