import { describe, expect, it } from 'vitest';
import { canonicalStateText } from '../../src/state/canonical.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { last, run, task, type Ev } from './helpers.js';

/**
 * A task's cpu affinity (src/kernel/affinity.ts): `sched_setaffinity` / `sched_getaffinity` (6.18
 * kernel/sched/syscalls.c, core.c `__set_cpus_allowed_ptr`; 2.6.18 kernel/sched.c) and what a
 * cpuset change does to it (`affinityOnCpusetChange`), recorded on the live kernel in
 * traces/kernel/oracle-cpuset-h.json (the oracle's cpuset_h_move_task) and linux6-affinity.json.
 */
const L6 = 'linux-6';
const set = (by: number, pid: number, cpus: string): Ev => ({ op: 'sched_setaffinity', by, pid, cpus });
const get = (by: number, pid: number): Ev => ({ op: 'sched_getaffinity', by, pid });
const cpusOf = (by: number, pid: number): Ev => ({ op: 'proc_read', by, pid, file: 'status', field: 'Cpus_allowed_list' });
const mount: Ev = { op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] };
const cpuset = (path: string, cpus: string): Ev[] => [
  { op: 'mkdir', by: 1, hierarchy: 'cs', path },
  { op: 'write', by: 1, hierarchy: 'cs', path, file: 'cpuset.cpus', value: cpus },
  { op: 'write', by: 1, hierarchy: 'cs', path, file: 'cpuset.mems', value: '0' },
];
const attach = (path: string, pid: number): Ev => ({ op: 'attach', by: 1, hierarchy: 'cs', path, pid });
const writeCpus = (path: string, cpus: string): Ev => ({ op: 'write', by: 1, hierarchy: 'cs', path, file: 'cpuset.cpus', value: cpus });

describe('sched_setaffinity / sched_getaffinity (6.18 __sched_setaffinity, sched_getaffinity; 2.6.18 sched_setaffinity)', () => {
  it('6.18 __sched_setaffinity: the request is cut to cpuset_cpus_allowed; nothing left → EINVAL, and nothing changes (oracle cpuset_h #22)', () => {
    const r = run([mount, { op: 'fork', by: 1 }, ...cpuset('/c', '1'), attach('/c', 2), set(1, 2, '0'), get(1, 2), set(1, 2, '0-1'), get(1, 2)], {}, L6);
    expect(r.out.slice(-4)).toEqual([{ err: 'EINVAL' }, { ret: '1' }, { ret: 0 }, { ret: '1' }]);
    expect(task(r, 2)?.affinity).toEqual([0, 1]);
  });

  it('2.6.18 sched_setaffinity: the empty set and a cpu that is not online are EINVAL (set_cpus_allowed: !cpus_intersects)', () => {
    for (const cpus of ['', '9']) {
      const r = run([{ op: 'fork', by: 1 }, set(1, 2, cpus)], {}, 'containers-2006');
      expect(last(r)).toEqual({ err: 'EINVAL' });
      expect(task(r, 2)?.affinity).toBeNull();
    }
  });

  it('find_process_by_pid: pid 0 is the calling thread, a tid names one thread, no such task → ESRCH', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'clone_thread', by: 2 }, set(3, 0, '1'), get(1, 3), get(1, 2), get(1, 77), set(1, -1, '0')]);
    expect(r.out.slice(2)).toEqual([{ ret: 0 }, { ret: '1' }, { ret: '0-3' }, { err: 'ESRCH' }, { err: 'ESRCH' }]);
  });

  it('dup_task_struct: fork and clone copy the mask of the calling thread (6.x dup_user_cpus_ptr the request)', () => {
    const r = run([{ op: 'fork', by: 1 }, set(2, 0, '2'), { op: 'fork', by: 2 }, { op: 'clone_thread', by: 2 }, get(1, 3), get(1, 4)]);
    expect(r.out.slice(-2)).toEqual([{ ret: '2' }, { ret: '2' }]);
  });

  it('proc_pid_status: Cpus_allowed_list prints the task\'s own mask, not its cpuset\'s cpus (oracle cpuset_h #35)', () => {
    const r = run([{ op: 'fork', by: 1 }, set(1, 2, '1'), cpusOf(1, 2), cpusOf(1, 1)], {}, L6);
    expect(r.out.slice(-2)).toEqual([{ ret: '1' }, { ret: '0-1' }]);
  });
});

describe('a cpuset change and the mask sched_setaffinity gave (affinityOnCpusetChange)', () => {
  it('6.18 __set_cpus_allowed_ptr (user_cpus_ptr, reapplied): cpuset_attach and cpuset_update_tasks_cpumask cut the cpuset\'s cpus to the request, or keep them when they share none (oracle cpuset_h #23-#35)', () => {
    const r = run([
      mount, { op: 'fork', by: 1 }, ...cpuset('/a', '0'), ...cpuset('/c', '1'), attach('/c', 2),
      set(1, 2, '0-1'), get(1, 2), writeCpus('/c', '0-1'), get(1, 2), set(1, 2, '1'), writeCpus('/c', '0'), get(1, 2),
      attach('/a', 2), cpusOf(1, 2), attach('/', 2), cpusOf(1, 2),
    ], {}, L6);
    const gets = [10, 12, 15, 17, 19].map((i) => r.out[i]);
    expect(gets).toEqual([{ ret: '1' }, { ret: '0-1' }, { ret: '0' }, { ret: '0' }, { ret: '1' }]);
    expect(task(r, 2)?.affinity).toEqual([1]);
  });

  it('2.6.33 update_tasks_cpumask (reset): a write to cpus gives the cpuset\'s tasks its cpus and forgets the mask', () => {
    const ev = (cs: Ev[]): Ev[] => [{ op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] }, { op: 'fork', by: 1 }, ...cs, attach('/a', 2), set(2, 0, '1'), writeCpus('/a', '0-3'), get(1, 2)];
    const r = run(ev(cpuset('/a', '0-1')));
    expect(last(r)).toEqual({ ret: '0-3' });
    expect(task(r, 2)?.affinity).toBeNull();
  });

  it('2.6.18 update_cpumask (reset-on-attach) leaves the tasks\' masks; cpuset_attach (set_cpus_allowed) resets them', () => {
    const ev: Ev[] = [
      { op: 'fork', by: 1 }, { op: 'mkdir', by: 1, path: '/a' }, { op: 'write', by: 1, path: '/a', file: 'cpus', value: '0-1' }, { op: 'write', by: 1, path: '/a', file: 'mems', value: '0' },
      { op: 'attach', by: 1, path: '/a', pid: 2 }, set(2, 0, '1'), { op: 'write', by: 1, path: '/a', file: 'cpus', value: '0-3' }, get(1, 2),
      { op: 'attach', by: 1, path: '/', pid: 2 }, get(1, 2),
    ];
    const r = run(ev, {}, 'containers-2006');
    expect([r.out[7], r.out[9]]).toEqual([{ ret: '1' }, { ret: '0-3' }]);
    // a task that never asked keeps the cpus it was attached with, and shows them in /proc
    const never: Ev[] = [...ev.slice(0, 5), { op: 'write', by: 1, path: '/a', file: 'cpus', value: '2-3' }, get(1, 2), cpusOf(1, 2), { op: 'attach', by: 1, path: '/a', pid: 2 }, get(1, 2)];
    expect(run(never, {}, 'containers-2006').out.slice(-4)).toEqual([{ ret: '0-1' }, { ret: '0-1' }, { ret: 0 }, { ret: '2-3' }]);
  });

  it('the canonical state shows the mask only once set, so states without one keep their bytes', () => {
    const v = VERSIONS['linux-6'];
    const before = run([{ op: 'fork', by: 1 }], {}, L6);
    expect(canonicalStateText(before.kernel.s, v)).not.toContain('affinity');
    const after = run([{ op: 'fork', by: 1 }, set(1, 2, '1')], {}, L6);
    expect(canonicalStateText(after.kernel.s, v)).toContain('"affinity":[1]');
  });
});
