import { describe, expect, it } from 'vitest';
import { isVisible, pidToView, viewToPid } from '../../src/vpid/view.js';
import type { Task } from '../../src/state/task.js';
import { last, run, vpsWith } from './helpers.js';

const task = (k: ReturnType<typeof run>['k'], pid: number): Task => k.s.tasks.get(pid) as Task;

describe('pid -> view (seed 004 pid_type_to_vpid, get_task_pid, get_task_ppid)', () => {
  it('seed 004 get_task_pid: inside a linear VPS a task sees vpid = pid + 1024, the init sees 1', () => {
    const { out } = run([...vpsWith(1), { op: 'getpid', by: 3 }, { op: 'getpid', by: 2 }, { op: 'fork', by: 3 }]);
    expect(out).toEqual([{ ret: 2 }, { ret: 1027 }, { ret: 1027 }, { ret: 1 }, { ret: 1028 }]);
  });

  it('seed 004 pid_type_to_vpid: host callers see global numbers', () => {
    const { out } = run([...vpsWith(1), { op: 'getpgid', by: 1, pid: 3 }, { op: 'getsid', by: 1, pid: 3 }]);
    expect(out.slice(2)).toEqual([{ ret: 2 }, { ret: 2 }]);
  });

  it('seed 004 get_task_ppid: 0 for the VPS init; the parent vpid inside; pgid/sid of the init show as 1', () => {
    const { out } = run([...vpsWith(1), { op: 'getppid', by: 2 }, { op: 'getppid', by: 3 }, { op: 'getpgid', by: 3 }, { op: 'getsid', by: 3 }]);
    expect(out.slice(2)).toEqual([{ ret: 0 }, { ret: 1 }, { ret: 1 }, { ret: 1 }]);
  });

  it('seed 004 pid_type_to_vpid "global pid can be used everywhere": a vps_enter child sees its host parent as a global pid', () => {
    const { out } = run([{ op: 'fork', by: 1 }, { op: 'vps_create', by: 1, vps: 7 }, { op: 'vps_enter', by: 2, vps: 7 }, { op: 'getppid', by: 4 }, { op: 'getpid', by: 4 }]);
    expect(out).toEqual([{ ret: 2 }, { ret: 3 }, { ret: 4 }, { ret: 2 }, { ret: 1028 }]);
  });

  it('pidToView leaves unmapped numbers alone and maps only numbers of the caller\'s VPS', () => {
    const { k } = run([{ op: 'fork', by: 1 }, ...vpsWith(1).map((e) => ({ ...e, ...(e.op === 'fork' ? { by: 3 } : {}) }))]);
    const inside = task(k, 4);
    expect(pidToView(k.s, inside, 4)).toBe(1028);
    expect(pidToView(k.s, inside, 3)).toBe(1);
    expect(pidToView(k.s, inside, 2)).toBe(2);
    expect(pidToView(k.s, task(k, 1), 4)).toBe(4);
  });
});

describe('view -> pid (seed 004 comb_vpid_to_pid / __vpid_to_pid, reference: Modelling simplifications)', () => {
  it('seed 004 __vpid_to_pid linear: 1 is the init, vpid - 1024 otherwise; a global pid of the VPS works too', () => {
    const { out } = run([...vpsWith(2), { op: 'getpgid', by: 4, pid: 1 }, { op: 'getsid', by: 4, pid: 1027 }, { op: 'getpgid', by: 4, pid: 3 }]);
    expect(out.slice(3)).toEqual([{ ret: 1 }, { ret: 1 }, { ret: 1 }]);
  });

  it('reference: Modelling simplifications: tasks outside the caller\'s VPS are invisible: getpgid/kill ESRCH, wait ECHILD, setpgid pgid EPERM', () => {
    const host = [{ op: 'fork', by: 1 } as const, ...vpsWith(1).map((e) => (e.op === 'fork' ? { ...e, by: 3 } : e))];
    // host task 2, VPS init 3, inside task 4 (vpid 1028)
    expect(last([...host, { op: 'getpgid', by: 4, pid: 2 }])).toEqual({ err: 'ESRCH' });
    expect(last([...host, { op: 'kill', by: 4, pid: 2, sig: 0 }])).toEqual({ err: 'ESRCH' });
    expect(last([...host, { op: 'kill', by: 4, pid: 1024 + 2, sig: 0 }])).toEqual({ err: 'ESRCH' });
    expect(last([...host, { op: 'wait', by: 3, pid: 2, nohang: true }])).toEqual({ err: 'ECHILD' });
    expect(last([...host, { op: 'setpgid', by: 4, pid: 0, pgid: 2 }])).toEqual({ err: 'EPERM' });
    // vpid 1 is the VPS init's pgrp, in the caller's session: allowed
    expect(last([...host, { op: 'setpgid', by: 4, pid: 0, pgid: 1 }])).toEqual({ ret: 0 });
    expect(last([...host, { op: 'fork', by: 4 }, { op: 'setpgid', by: 4, pid: 1029, pgid: 2 }])).toEqual({ err: 'EPERM' });
  });

  it('reference: Modelling simplifications / seed 004 is_virtual_pid: from inside, 1 names the VPS init, not global init', () => {
    expect(last([...vpsWith(1), { op: 'kill', by: 3, pid: 1, sig: 0 }])).toEqual({ ret: 0 });
    expect(last([...vpsWith(1), { op: 'getsid', by: 3, pid: 1 }])).toEqual({ ret: 1 });
  });

  it('viewToPid: host callers pass numbers through; inside, unknown vpids and foreign numbers are null', () => {
    const { k } = run([{ op: 'fork', by: 1 }, { op: 'vps_create', by: 1, vps: 5 }, { op: 'fork', by: 3 }]);
    const inside = task(k, 4);
    expect(viewToPid(k.s, task(k, 1), 1028)).toBe(1028);
    expect(viewToPid(k.s, inside, 1)).toBe(3);
    expect(viewToPid(k.s, inside, 1028)).toBe(4);
    expect(viewToPid(k.s, inside, 4)).toBe(4);
    expect(viewToPid(k.s, inside, 2)).toBeNull();
    expect(viewToPid(k.s, inside, 1026)).toBeNull();
    expect(viewToPid(k.s, inside, 1500)).toBeNull();
    expect(isVisible(k.s, inside, task(k, 2))).toBe(false);
    expect(isVisible(k.s, inside, task(k, 3))).toBe(true);
    expect(isVisible(k.s, task(k, 1), inside)).toBe(true);
  });

  it('seed 004 __vpid_to_pid sparse: a vpid without a mapping names nothing (ESRCH), mapped ones resolve', () => {
    const evs = [...vpsWith(0), { op: 'fork', by: 2, vpid: 1500 } as const];
    expect(last([...evs, { op: 'kill', by: 3, pid: 1500, sig: 0 }])).toEqual({ ret: 0 });
    expect(last([...evs, { op: 'kill', by: 3, pid: 1027, sig: 0 }])).toEqual({ err: 'ESRCH' });
    expect(last([...evs, { op: 'getpid', by: 3 }])).toEqual({ ret: 1500 });
  });
});
