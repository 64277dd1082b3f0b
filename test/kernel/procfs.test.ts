import { describe, expect, it } from 'vitest';
import { last, run } from './helpers.js';
import type { Event } from '../../src/trace/schema-types.js';

const mount: Event = { op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] };
const stat = (by: number, pid: number, field: 'state' | 'ppid') => ({ op: 'proc_read', by, pid, file: 'stat', field }) as const;
const status = (by: number, pid: number, field: string) => ({ op: 'proc_read', by, pid, file: 'status', field }) as const;

/** /proc views (reference: proc_read), as recorded on 6.18 in traces/kernel/process-proc-views.json. */
describe('proc_read: fs/proc/array.c do_task_stat / proc_pid_status, proc_cpuset_show, proc_cgroup_show', () => {
  it('task_state_array: S for a sleeping task, R for the caller itself, T for a group stop, Z for a zombie (2.6.18, 6.18)', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, stat(2, 3, 'state'), stat(2, 2, 'state'),
      { op: 'kill', by: 2, pid: 3, sig: 19 }, stat(2, 3, 'state'), { op: 'kill', by: 2, pid: 3, sig: 9 }, stat(2, 3, 'state'),
    ], {}, 'linux-6');
    expect([r.out[2], r.out[3], r.out[5], r.out[7]]).toEqual([{ ret: 'S' }, { ret: 'R' }, { ret: 'T' }, { ret: 'Z' }]);
  });

  it('a trace stop is t in 6.18 (task_state_array "t (tracing stop)"), T in 2.6.18 and 2.6.33 ("T (tracing stop)")', () => {
    const evs = [{ op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'ptrace', by: 2, request: 'attach', pid: 3 }, stat(2, 3, 'state')] as const;
    expect(last(run([...evs], {}, 'linux-6'))).toEqual({ ret: 't' });
    expect(last(run([...evs], {}, 'cgroups-2009'))).toEqual({ ret: 'T' });
    expect(last(run([...evs], {}, 'containers-2006'))).toEqual({ ret: 'T' });
  });

  it('ppid and PPid are the real parent in the caller\'s view (0 for init), TracerPid the tracer; a zombie keeps its parent', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'fork', by: 1 }, stat(4, 3, 'ppid'), status(4, 1, 'PPid'),
      { op: 'ptrace', by: 4, request: 'attach', pid: 3 }, status(2, 3, 'TracerPid'), status(2, 3, 'PPid'), status(2, 2, 'TracerPid'),
      { op: 'kill', by: 4, pid: 3, sig: 9 }, stat(1, 3, 'ppid'),
    ], {}, 'linux-6');
    expect([r.out[3], r.out[4], r.out[6], r.out[7], r.out[8], r.out[10]]).toEqual([{ ret: '2' }, { ret: '0' }, { ret: '4' }, { ret: '2' }, { ret: '0' }, { ret: '2' }]);
  });

  it('a pid with no task is ENOENT (no /proc directory), 0 and negative pids too; a stopped caller blocks', () => {
    const r = run([{ op: 'fork', by: 1 }, stat(1, 9, 'state'), stat(1, 0, 'state'), stat(1, -2, 'state'), { op: 'kill', by: 1, pid: 2, sig: 19 }, stat(2, 1, 'state')], {}, 'linux-6');
    expect(r.out.slice(1)).toEqual([{ err: 'ENOENT' }, { err: 'ENOENT' }, { err: 'ENOENT' }, { ret: 0 }, { blocked: true }]);
  });

  it('proc_cpuset_show / proc_cgroup_show: the path follows attach; Cpus_allowed_list follows the cpuset and its cpus at once (6.18 cpuset_attach, cpuset_update_tasks_cpumask; oracle cpuset_h)', () => {
    const r = run([
      mount, { op: 'fork', by: 1 },
      { op: 'proc_read', by: 1, pid: 2, file: 'cpuset' }, { op: 'proc_read', by: 1, pid: 2, file: 'cgroup', field: 'cpuset' }, status(1, 2, 'Cpus_allowed_list'),
      { op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a' },
      { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.cpus', value: '1' },
      { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.mems', value: '0' },
      { op: 'attach', by: 1, hierarchy: 'cs', path: '/a', pid: 2 },
      { op: 'proc_read', by: 1, pid: 2, file: 'cpuset' }, { op: 'proc_read', by: 1, pid: 2, file: 'cgroup', field: 'cpuset' }, status(1, 2, 'Cpus_allowed_list'), status(1, 2, 'Mems_allowed_list'),
      { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.cpus', value: '0-1' }, status(1, 2, 'Cpus_allowed_list'),
    ], {}, 'linux-6');
    expect(r.out.slice(2, 5)).toEqual([{ ret: '/\n' }, { ret: '/' }, { ret: '0-1' }]);
    expect(r.out.slice(9, 13)).toEqual([{ ret: '/a\n' }, { ret: '/a' }, { ret: '1' }, { ret: '0' }]);
    expect(last(r)).toEqual({ ret: '0-1' });
  });

  it('a thread\'s tid opens the thread\'s own directory (6.18 proc_pid_lookup → find_task_by_pid_ns): its cpuset is its own, its state and parent its process\'s (oracle cpuset_j #20 #21)', () => {
    const r = run([
      mount, { op: 'fork', by: 1 }, { op: 'clone_thread', by: 2 },
      { op: 'mkdir', by: 1, hierarchy: 'cs', path: '/a' },
      { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.cpus', value: '1' },
      { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'cpuset.mems', value: '0' },
      { op: 'write', by: 1, hierarchy: 'cs', path: '/a', file: 'tasks', value: '3\n' },
      { op: 'proc_read', by: 1, pid: 3, file: 'cpuset' }, { op: 'proc_read', by: 1, pid: 2, file: 'cpuset' },
      { op: 'proc_read', by: 1, pid: 3, file: 'cgroup', field: 'cpuset' }, status(1, 3, 'Cpus_allowed_list'), status(1, 2, 'Cpus_allowed_list'),
      status(1, 3, 'PPid'), stat(1, 3, 'state'),
    ], {}, 'linux-6');
    expect(r.out[2]).toEqual({ ret: 3 });
    expect(r.out.slice(7)).toEqual([{ ret: '/a\n' }, { ret: '/\n' }, { ret: '/a' }, { ret: '1' }, { ret: '0-1' }, { ret: '1' }, { ret: 'S' }]);
  });

  it('a cgroup line exists only for a subsystem bound to a mounted hierarchy (proc_cgroup_show: for_each_active_root)', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'proc_read', by: 1, pid: 2, file: 'cgroup', field: 'cpuset' }, { op: 'proc_read', by: 1, pid: 2, file: 'cpuset' }], {}, 'cgroups-2009');
    expect(r.out.slice(1)).toEqual([{ err: 'ENOENT' }, { ret: '/\n' }]);
  });
});

describe('proc_read inside a pid namespace (6.18 proc_pid_lookup, task_tgid_nr_ns; traces/kernel/linux6-proc-pidns.json)', () => {
  it("looks the pid up in the reader's namespace and prints pids there, 0 for a task outside it", () => {
    const r = run([
      { op: 'unshare', by: 1, flags: ['newpid'] }, { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'fork', by: 1 },
      { op: 'proc_read', by: 3, pid: 2, file: 'stat', field: 'state' }, { op: 'proc_read', by: 3, pid: 1, file: 'status', field: 'PPid' },
      { op: 'proc_read', by: 3, pid: 2, file: 'status', field: 'PPid' }, { op: 'proc_read', by: 3, pid: 3, file: 'stat', field: 'ppid' },
      { op: 'proc_read', by: 1, pid: 3, file: 'stat', field: 'ppid' },
    ], {}, 'linux-6');
    expect(r.out.slice(4)).toEqual([{ ret: 'R' }, { ret: '0' }, { ret: '1' }, { ret: '0' }, { ret: '2' }]);
  });
});
