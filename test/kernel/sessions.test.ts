import { describe, expect, it } from 'vitest';
import { last, run, task } from './helpers.js';

describe('setpgid / setsid / getters (reference: setpgid; seed 002 H.1 sys_setpgid, 2.6.18 sys_setsid)', () => {
  it('sys_setpgid errno order: EINVAL (pgid < 0) before ESRCH (no target)', () => {
    expect(last(run([{ op: 'setpgid', by: 1, pid: 77, pgid: -2 }]))).toEqual({ err: 'EINVAL' });
    expect(last(run([{ op: 'setpgid', by: 1, pid: 77, pgid: 0 }]))).toEqual({ err: 'ESRCH' });
  });

  for (const semantics of ['containers-2006', 'cgroups-2009']) {
    it(`2.6.18 and 6.18 sys_setpgid: pgid 0 becomes the pid before the negative check, so setpgid(-1, 0) -> EINVAL (${semantics})`, () => {
      expect(last(run([{ op: 'setpgid', by: 1, pid: -1, pgid: 0 }], {}, semantics))).toEqual({ err: 'EINVAL' });
      // A negative pid with a pgid of its own is looked up, and names nothing.
      expect(last(run([{ op: 'setpgid', by: 1, pid: -1, pgid: 1 }], {}, semantics))).toEqual({ err: 'ESRCH' });
    });
  }

  it('sys_setpgid: a child in another session -> EPERM before the exec check (EACCES)', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'exec', by: 2 }, { op: 'setsid', by: 2 }, { op: 'setpgid', by: 1, pid: 2, pgid: 0 }]);
    expect(last(r)).toEqual({ err: 'EPERM' });
  });

  it("sys_setpgid: a child that has exec'd -> EACCES; not the caller nor its child -> ESRCH", () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'exec', by: 2 }, { op: 'setpgid', by: 1, pid: 2, pgid: 0 }, { op: 'setpgid', by: 3, pid: 2, pgid: 0 }]);
    expect(r.out.slice(3)).toEqual([{ err: 'EACCES' }, { err: 'ESRCH' }]);
  });

  it('sys_setpgid: a session leader -> EPERM; pgid of another session or of nobody -> EPERM', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'setsid', by: 2 }, { op: 'setpgid', by: 2, pid: 0, pgid: 0 },
      { op: 'fork', by: 1 }, { op: 'setpgid', by: 3, pid: 0, pgid: 2 }, { op: 'setpgid', by: 3, pid: 0, pgid: 55 },
    ]);
    expect(r.out[2]).toEqual({ err: 'EPERM' });
    expect(r.out.slice(4)).toEqual([{ err: 'EPERM' }, { err: 'EPERM' }]);
  });

  it('sys_setpgid: a parent moves its child into a pgrp of its session; pgid = target pid creates one', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'setpgid', by: 1, pid: 2, pgid: 0 }, { op: 'setpgid', by: 1, pid: 3, pgid: 2 },
      { op: 'getpgid', by: 1, pid: 3 },
    ]);
    expect(last(r)).toEqual({ ret: 2 });
    expect([...(r.kernel.s.pgrps.get(2) ?? [])].sort()).toEqual([2, 3]);
  });

  it('setpgid on a zombie child is allowed, as 2.6.18 finds zombies too', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'exit', by: 3, code: 0 }, { op: 'setpgid', by: 2, pid: 3, pgid: 0 }]);
    expect(last(r)).toEqual({ ret: 0 });
    expect(task(r, 3)?.pgid).toBe(3);
  });

  it('sys_setsid: EPERM for a session leader and for a pgrp leader; else pgid = sid = pid', () => {
    const r = run([
      { op: 'setsid', by: 1 }, { op: 'fork', by: 1 }, { op: 'setpgid', by: 2, pid: 0, pgid: 0 }, { op: 'setsid', by: 2 },
      { op: 'fork', by: 1 }, { op: 'setsid', by: 3 }, { op: 'getpgid', by: 3 }, { op: 'getsid', by: 3 },
    ]);
    expect(r.out[0]).toEqual({ err: 'EPERM' });
    expect(r.out[3]).toEqual({ err: 'EPERM' });
    expect(r.out.slice(5)).toEqual([{ ret: 3 }, { ret: 3 }, { ret: 3 }]);
  });

  it("a reaped pgrp leader's pid stays in use while a member holds it as pgid (reference: fork)", () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'setpgid', by: 2, pid: 0, pgid: 0 }, { op: 'fork', by: 2 }, { op: 'exit', by: 2, code: 0 },
      { op: 'fork', by: 3, pid: 2 },
    ]);
    expect(last(r)).toEqual({ err: 'EEXIST' });
  });

  it('getpgid/getsid of an unknown task -> ESRCH; of a zombie -> its ids', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'exit', by: 2, code: 0 }, { op: 'getsid', by: 1, pid: 2 }, { op: 'fork', by: 1 }, { op: 'fork', by: 3 }, { op: 'exit', by: 4, code: 0 }, { op: 'getpgid', by: 3, pid: 4 }]);
    expect(r.out[2]).toEqual({ err: 'ESRCH' });
    expect(last(r)).toEqual({ ret: 1 });
  });

  it('getppid returns the real parent, not the tracer', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'ptrace', by: 3, request: 'attach', pid: 4 }, { op: 'ptrace', by: 3, request: 'cont', pid: 4 }, { op: 'getppid', by: 4 }]);
    expect(last(r)).toEqual({ ret: 2 });
  });

  it('a failed setpgid changes nothing (verify, then change)', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'exec', by: 2 }]);
    const before = r.stateHash;
    const r2 = run([{ op: 'fork', by: 1 }, { op: 'exec', by: 2 }, { op: 'setpgid', by: 1, pid: 2, pgid: 0 }]);
    expect(last(r2)).toEqual({ err: 'EACCES' });
    expect(r2.stateHash).toBe(before);
  });
});
