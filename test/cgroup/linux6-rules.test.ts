import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { cpuset9, exit, failsAtomically, fork, H9, mkdir, mountCs, read, run, write } from './helpers.js';

/**
 * The cgroup rules of `linux-6` against `cgroups-2009` (2.6.33), each named by the 6.18 function it
 * comes from; the live-kernel traces traces/kernel/linux6-*.json replay the same rules as observed.
 */
const L6 = 'linux-6';
const V9 = 'cgroups-2009';
const A = (events: Event[]) => [mountCs(), ...cpuset9('/A', '0'), ...events];

describe('linux-6 cpuset writes (6.18 cpuset_write_resmask → update_cpumask / update_nodemask)', () => {
  it('6.18 update_cpumask: a cpu at or above nr_cpu_ids (possibleCpus 2 by default) is ERANGE; 2009 (64 possible) says EINVAL, not online', () => {
    expect(run(L6, A([write('/A', 'cpuset.cpus', '2', H9)])).last).toEqual({ err: 'ERANGE' });
    expect(run(V9, A([write('/A', 'cpuset.cpus', '5', H9)])).last).toEqual({ err: 'EINVAL' });
  });
  it('6.18 bitmap_parselist: "0,,1", "0 1" and "0-1:1/2" parse; 2.6.33 rejects them (EINVAL)', () => {
    for (const [text, cpus] of [['0,,1', '0-1\n'], ['0 1', '0-1\n'], ['0-1:1/2', '0\n']]) {
      const r = run(L6, A([write('/A', 'cpuset.cpus', text as string, H9), read('/A', 'cpuset.cpus', H9)]));
      expect(r.outcomes.slice(-2)).toEqual([{ ret: 0 }, { ret: cpus }]);
      expect(run(V9, A([write('/A', 'cpuset.cpus', text as string, H9)])).last).toEqual({ err: 'EINVAL' });
    }
  });
  it('6.18 bitmap_parselist: a failed write changes nothing (ERANGE, EOVERFLOW)', () => {
    failsAtomically(L6, A([write('/A', 'cpuset.cpus', '0,7', H9)]), 'ERANGE');
    failsAtomically(L6, A([write('/A', 'cpuset.cpus', '99999999999', H9)]), 'EOVERFLOW');
  });
  it('6.18 validate_change: empty cpus with no tasks is allowed, ENOSPC once populated (as 2.6.33)', () => {
    expect(run(L6, A([write('/A', 'cpuset.cpus', ',', H9)])).last).toEqual({ ret: 0 });
    failsAtomically(L6, A([fork(), write('/A', 'tasks', '2', H9), write('/A', 'cpuset.cpus', '\n', H9)]), 'ENOSPC');
  });
  it('6.18 cgroup_file_write: a zero-length write returns 0 and changes nothing; 2.6.33 parses "" (an empty cpuset, or pid 0)', () => {
    const populated = A([fork(), write('/A', 'tasks', '2', H9)]);
    const l6 = run(L6, [...populated, write('/A', 'cpuset.cpus', '', H9), read('/A', 'cpuset.cpus', H9), write('/', 'tasks', '', H9), read('/A', 'tasks', H9)]);
    expect(l6.outcomes.slice(-4)).toEqual([{ ret: 0 }, { ret: '0\n' }, { ret: 0 }, { ret: '2\n' }]);
    expect(run(V9, [...populated, write('/A', 'cpuset.cpus', '', H9)]).last).toEqual({ err: 'ENOSPC' });
  });
  it('6.18 kernfs_fop_write_iter: above max_write_len (cpus 100 + 6 * NR_CPUS, others PAGE_SIZE) is E2BIG; exactly at it is not', () => {
    expect(run(L6, A([write('/A', 'cpuset.cpus', '0'.repeat(1636), H9)])).last).toEqual({ ret: 0 });
    expect(run(L6, A([write('/A', 'cpuset.cpus', '0'.repeat(1637), H9)])).last).toEqual({ err: 'E2BIG' });
    expect(run(L6, A([write('/A', 'notify_on_release', '0'.repeat(4096), H9)])).last).toEqual({ ret: 0 });
    expect(run(L6, A([write('/A', 'notify_on_release', '0'.repeat(4097), H9)])).last).toEqual({ err: 'E2BIG' });
    expect(run(V9, A([write('/A', 'notify_on_release', '0'.repeat(64), H9)])).last).toEqual({ err: 'E2BIG' });
  });
});

describe('linux-6 numbers and pids (6.18 cgroup_file_write kstrtoull; cgroup_procs_write_start strstrip + kstrtoint)', () => {
  it('6.18 cgroup_file_write kstrtoull: no stripping (" 1" EINVAL), past 2^64 ERANGE; 2.6.33 write_u64 strips and wraps', () => {
    expect(run(L6, A([write('/A', 'notify_on_release', ' 1', H9)])).last).toEqual({ err: 'EINVAL' });
    expect(run(V9, A([write('/A', 'notify_on_release', ' 1', H9)])).last).toEqual({ ret: 0 });
    expect(run(L6, A([write('/A', 'notify_on_release', '18446744073709551616', H9)])).last).toEqual({ err: 'ERANGE' });
    expect(run(L6, A([write('/A', 'notify_on_release', '', H9), write('/A', 'notify_on_release', '\n', H9)])).outcomes.slice(-2)).toEqual([{ ret: 0 }, { err: 'EINVAL' }]);
  });
  it('6.18 cgroup_procs_write_start: empty, negative, garbage or several pids -> EINVAL; 2.6.33 takes "\\n" as pid 0', () => {
    for (const v of ['\n', '-5', 'abc', '2 3', '2\n3', '4294967298']) {
      failsAtomically(L6, A([fork(), fork(), write('/A', 'tasks', v, H9)]), 'EINVAL');
    }
    expect(run(V9, A([fork(), write('/A', 'tasks', '\n', H9, 2), read('/A', 'tasks', H9)])).outcomes.slice(-2)).toEqual([{ ret: 0 }, { ret: '2\n' }]);
  });
  it('6.18 cgroup1_procs_write: cgroup.procs is writable, pid 0 is the writer; 2.6.33 cgroup.procs is read-only (EINVAL)', () => {
    const r = run(L6, A([fork(), write('/A', 'cgroup.procs', '0', H9, 2), read('/A', 'cgroup.procs', H9)]));
    expect(r.outcomes.slice(-2)).toEqual([{ ret: 0 }, { ret: '2\n' }]);
    expect(run(V9, A([fork(), write('/A', 'cgroup.procs', '2', H9)])).last).toEqual({ err: 'EINVAL' });
  });
  it("6.18 cgroup_migrate_add_task: a zombie's pid succeeds and moves nothing, even to an empty cpuset; 2.6.33 cgroup_attach_task: ESRCH", () => {
    const zombie = [fork(), fork(2), exit(3)];
    const r = run(L6, A([...zombie, mkdir('/E', H9), write('/E', 'tasks', '3', H9), write('/A', 'cgroup.procs', '3', H9), read('/A', 'tasks', H9)]));
    expect(r.outcomes.slice(-3)).toEqual([{ ret: 0 }, { ret: 0 }, { ret: '' }]);
    expect(r.k.s.tasks.get(3)?.state).toBe('zombie');
    expect(run(V9, A([...zombie, write('/A', 'tasks', '3', H9)])).last).toEqual({ err: 'ESRCH' });
  });
  it('6.18 cgroup_procs_write_start: the pid is looked up before cpuset_can_attach (ESRCH before ENOSPC), as in 2.6.33', () => {
    for (const sem of [L6, V9] as const) expect(run(sem, [mountCs(), mkdir('/E', H9), write('/E', 'tasks', '99', H9)]).last).toEqual({ err: 'ESRCH' });
  });
});

describe('linux-6 cgroup files 2.6.33 lacks (6.18 cgroup1_base_files[], cpuset1_files[])', () => {
  it('6.18 cpuset_css_online: with cgroup.clone_children a new cpuset copies cpus and mems, unless a sibling is exclusive', () => {
    const r = run(L6, [
      mountCs(), ...cpuset9('/P', '0-1'), write('/P', 'cgroup.clone_children', '1', H9), mkdir('/P/K', H9),
      read('/P/K', 'cpuset.cpus', H9), read('/P/K', 'cpuset.mems', H9), read('/P/K', 'cgroup.clone_children', H9),
      write('/P', 'cpuset.cpu_exclusive', '1', H9), write('/P/K', 'cpuset.cpu_exclusive', '1', H9), mkdir('/P/L', H9), read('/P/L', 'cpuset.cpus', H9),
    ]);
    // K inherits the flag and copies 0-1; once K is cpu_exclusive, the next child L is not cloned
    expect(r.outcomes.slice(-7)).toEqual([{ ret: '0-1\n' }, { ret: '0\n' }, { ret: '1\n' }, { ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: '\n' }]);
    expect(run(V9, [mountCs(), write('/', 'cgroup.clone_children', '1', H9)]).last).toEqual({ err: 'ENOENT' });
  });
  it('6.18 cpuset_css_online: no copy when a sibling is cpu_exclusive (the mkdir succeeds, cpus empty)', () => {
    const r = run(L6, [
      mountCs(), ...cpuset9('/P', '0-1'), write('/', 'cpuset.cpu_exclusive', '1', H9), write('/P', 'cpuset.cpu_exclusive', '1', H9),
      mkdir('/P/X', H9), write('/P/X', 'cpuset.cpus', '0', H9), write('/P/X', 'cpuset.mems', '0', H9), write('/P/X', 'cpuset.cpu_exclusive', '1', H9),
      write('/P', 'cgroup.clone_children', '1', H9), mkdir('/P/K', H9), read('/P/K', 'cpuset.cpus', H9),
    ]);
    expect(r.outcomes.slice(-3)).toEqual([{ ret: 0 }, { ret: 0 }, { ret: '\n' }]);
  });
  it('6.18 cpuset1_files[] effective_cpus / effective_mems: the configured masks, read-only (EINVAL)', () => {
    const r = run(L6, A([read('/A', 'cpuset.effective_cpus', H9), read('/A', 'cpuset.effective_mems', H9), write('/A', 'cpuset.effective_cpus', '0', H9)]));
    expect(r.outcomes.slice(-3)).toEqual([{ ret: '0\n' }, { ret: '0\n' }, { err: 'EINVAL' }]);
  });
});
