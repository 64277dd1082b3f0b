import { describe, expect, it } from 'vitest';
import { last, run, task } from './helpers.js';

describe('wait (reference: wait, 2.6.18 do_wait / wait_task_zombie / wait_task_stopped / wait_task_continued; seed 002 E.9)', () => {
  it('no eligible task -> ECHILD, with or without WNOHANG', () => {
    expect(last(run([{ op: 'fork', by: 1 }, { op: 'wait', by: 2 }]))).toEqual({ err: 'ECHILD' });
    expect(last(run([{ op: 'fork', by: 1 }, { op: 'wait', by: 2, nohang: true }]))).toEqual({ err: 'ECHILD' });
  });

  it('nothing to report: blocked without WNOHANG, 0 with it; the state is unchanged', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'wait', by: 2 }, { op: 'wait', by: 2, nohang: true }]);
    expect(r.out.slice(2)).toEqual([{ blocked: true }, { ret: 0 }]);
  });

  it('eligibility order: children in fork order, then reparent order', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 3 }, { op: 'exit', by: 4, code: 4 },
      { op: 'exit', by: 3, code: 3 }, { op: 'exit', by: 2, code: 2 },
      { op: 'wait', by: 1 }, { op: 'wait', by: 1 }, { op: 'wait', by: 1 },
    ], { initReaps: false });
    expect(r.out.slice(6).map((o) => ('ret' in o ? (o.ret as { pid: number }).pid : o))).toEqual([2, 3, 4]);
  });

  it('tracees follow children, in attach order', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 2 },
      { op: 'ptrace', by: 2, request: 'attach', pid: 4 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 },
      { op: 'wait', by: 2 }, { op: 'wait', by: 2 },
    ]);
    expect(r.out.slice(6)).toEqual([{ ret: { pid: 4, status: { stopped: 19 } } }, { ret: { pid: 3, status: { stopped: 19 } } }]);
  });

  it("the first eligible task with something to report wins: an earlier child's stop before a later child's zombie", () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'fork', by: 2 }, { op: 'kill', by: 2, pid: 3, sig: 19 },
      { op: 'exit', by: 4, code: 0 }, { op: 'wait', by: 2, untraced: true },
    ]);
    expect(last(r)).toEqual({ ret: { pid: 3, status: { stopped: 19 } } });
  });

  it('pid < -1 selects pgrp -pid; 0 selects the caller\'s pgrp', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'setpgid', by: 3, pid: 0, pgid: 0 }, { op: 'exit', by: 3, code: 0 },
      { op: 'wait', by: 2, pid: 0, nohang: true }, { op: 'wait', by: 2, pid: -3 },
    ]);
    expect(r.out.slice(4)).toEqual([{ err: 'ECHILD' }, { ret: { pid: 3, status: { exited: 0 } } }]);
  });

  it('a tracer that is not the real parent: report, detach, the zombie stays for the parent', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'ptrace', by: 3, request: 'attach', pid: 4 },
      { op: 'kill', by: 3, pid: 4, sig: 9 }, { op: 'wait', by: 2, nohang: true }, { op: 'wait', by: 3 },
    ]);
    expect(r.out[5]).toEqual({ ret: 0 });
    expect(r.out[6]).toEqual({ ret: { pid: 4, status: { signaled: 9 } } });
    expect(task(r, 4)?.state).toBe('zombie');
    expect(task(r, 4)?.tracer).toBe(0);
    expect(task(r, 3)?.traced).toEqual([]);
  });

  it('a parent that is also the tracer reaps the zombie and the link goes with it', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'ptrace', by: 3, request: 'traceme' }, { op: 'exit', by: 3, code: 1 }, { op: 'wait', by: 2 }]);
    expect(last(r)).toEqual({ ret: { pid: 3, status: { exited: 1 } } });
    expect(task(r, 2)?.traced).toEqual([]);
  });

  it('WCONTINUED reports a continuation once; a later stop cancels an unreported one', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'kill', by: 2, pid: 3, sig: 19 }, { op: 'kill', by: 2, pid: 3, sig: 18 },
      { op: 'wait', by: 2, continued: true }, { op: 'wait', by: 2, continued: true, nohang: true },
      { op: 'kill', by: 2, pid: 3, sig: 19 }, { op: 'kill', by: 2, pid: 3, sig: 18 }, { op: 'kill', by: 2, pid: 3, sig: 19 },
      { op: 'wait', by: 2, continued: true, nohang: true }, { op: 'wait', by: 2, untraced: true, nohang: true },
    ]);
    expect(r.out[4]).toEqual({ ret: { pid: 3, status: { continued: true } } });
    expect(r.out[5]).toEqual({ ret: 0 });
    expect(r.out[9]).toEqual({ ret: 0 });
    expect(r.out[10]).toEqual({ ret: { pid: 3, status: { stopped: 19 } } });
  });
});
