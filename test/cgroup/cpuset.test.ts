import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { attach, cpuset6, cpuset9, effective, fork, H9, lastWithStates, mkdir, mountCs, read, run, write } from './helpers.js';

/** Asserts the last event failed with `errno` and changed nothing (reference: Outcomes). */
function failsAtomically(sem: 'containers-2006' | 'cgroups-2009', events: Event[], errno: string, config = {}): void {
  const r = lastWithStates(sem, events, config);
  expect(r.last).toEqual({ err: errno });
  expect(r.after).toBe(r.before);
}

describe('validate_change (seed 001 cpuset.c validate_change; 2.6.33 adds ENOSPC)', () => {
  it('seed 001 cpuset.c validate_change: a child not a subset of the trial -> EBUSY', () => {
    failsAtomically('containers-2006', [...cpuset6('/a', '0-1'), ...cpuset6('/a/b', '1'), write('/a', 'cpus', '0')], 'EBUSY');
    failsAtomically('cgroups-2009', [mountCs(), ...cpuset9('/a', '0-1'), ...cpuset9('/a/b', '1'), write('/a', 'cpuset.cpus', '0', H9)], 'EBUSY');
  });
  it('seed 001 cpuset.c validate_change: trial not a subset of the parent -> EACCES', () => {
    failsAtomically('containers-2006', [...cpuset6('/a', '0-1'), ...cpuset6('/a/b', '1'), write('/a/b', 'cpus', '2')], 'EACCES');
    failsAtomically('cgroups-2009', [mountCs(), ...cpuset9('/a', '0-1'), mkdir('/a/b', H9), write('/a/b', 'cpuset.cpus', '0-2', H9)], 'EACCES');
  });
  it('seed 001 cpuset.c validate_change: an exclusive flag the parent lacks -> EACCES (is_cpuset_subset includes flags)', () => {
    failsAtomically('containers-2006', [...cpuset6('/a', '0-1'), ...cpuset6('/a/b', '1'), write('/a/b', 'cpu_exclusive', '1')], 'EACCES');
  });
  it('seed 001 cpuset.c validate_change: exclusive sibling overlapping -> EINVAL (cpus and mems)', () => {
    failsAtomically('containers-2006', [...cpuset6('/a', '0-1'), write('/a', 'cpu_exclusive', '1'), ...cpuset6('/b', '2'), write('/b', 'cpus', '1-2')], 'EINVAL');
    failsAtomically('containers-2006', [...cpuset6('/a', '0'), ...cpuset6('/b', '1'), write('/b', 'mem_exclusive', '1')], 'EINVAL');
    failsAtomically('cgroups-2009', [mountCs(), ...cpuset9('/a', '0-1'), ...cpuset9('/b', '1-2'), write('/a', 'cpuset.cpu_exclusive', '1', H9)], 'EINVAL');
  });
  it('seed 001 cpuset.c validate_change: the top cpuset skips the parent and sibling checks', () => {
    const r = run('containers-2006', [write('/', 'cpus', '0-2'), read('/', 'cpus')]);
    expect(r.outcomes).toEqual([{ ret: 0 }, { ret: '0-2\n' }]);
  });
  it('2.6.33 cpuset.c validate_change: a cpuset with tasks cannot get empty cpus or mems -> ENOSPC', () => {
    const base = [mountCs(), ...cpuset9('/a', '0-1'), fork(), attach('/a', 2, H9)];
    failsAtomically('cgroups-2009', [...base, write('/a', 'cpuset.cpus', '', H9)], 'ENOSPC');
    failsAtomically('cgroups-2009', [...base, write('/a', 'cpuset.mems', '\n', H9)], 'ENOSPC');
    expect(run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0-1'), write('/a', 'cpuset.cpus', '', H9)]).last).toEqual({ ret: 0 });
  });
});

describe('update_cpumask / update_nodemask, 2006 (reference: write, 2.6.18 cpuset.c)', () => {
  it('2.6.18 cpuset.c update_cpumask: parse error -> EINVAL, out of range -> ERANGE', () => {
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'cpus', 'x')], 'EINVAL');
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'cpus', '')], 'EINVAL');
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'cpus', ' 1')], 'EINVAL');
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'cpus', '64')], 'ERANGE');
  });
  it('2.6.18 cpuset.c update_cpumask: intersected with the online cpus; nothing online -> ENOSPC', () => {
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'cpus', '4-7')], 'ENOSPC');
    const r = run('containers-2006', [mkdir('/a'), write('/a', 'cpus', '2-9'), read('/a', 'cpus')]);
    expect(r.last).toEqual({ ret: '2-3\n' });
  });
  it('2.6.18 cpuset.c update_nodemask: unchanged mems -> 0 before the empty check ("Too easy")', () => {
    expect(run('containers-2006', [mkdir('/a'), write('/a', 'mems', '5')]).last).toEqual({ ret: 0 });
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'mems', '0'), write('/a', 'mems', '5')], 'ENOSPC', { mems: 2 });
  });
  it('2.6.18 cpuset.c cpuset_common_file_write: longer than 100 + 6 * NR_CPUS -> E2BIG', () => {
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'cpus', '0,'.repeat(300))], 'E2BIG');
  });
  it('2.6.18 cpuset.c update_flag: simple_strtoul, non-numeric reads as 0', () => {
    const r = run('containers-2006', [...cpuset6('/a', '0'), write('/a', 'cpu_exclusive', '1'), read('/a', 'cpu_exclusive'), write('/a', 'cpu_exclusive', 'yes'), read('/a', 'cpu_exclusive')]);
    expect(r.outcomes.slice(-4)).toEqual([{ ret: 0 }, { ret: '1\n' }, { ret: 0 }, { ret: '0\n' }]);
  });
});

describe('update_cpumask / update_nodemask, 2009 (reference: write, 2.6.33 cpuset.c)', () => {
  it('2.6.33 cpuset.c update_cpumask: the top cpuset -> EACCES', () => {
    failsAtomically('cgroups-2009', [mountCs(), write('/', 'cpuset.cpus', '0', H9)], 'EACCES');
    failsAtomically('cgroups-2009', [mountCs(), write('/', 'cpuset.mems', '0', H9)], 'EACCES');
  });
  it('2.6.33 cpuset.c update_cpumask: not within the online cpus -> EINVAL; strstrip first', () => {
    failsAtomically('cgroups-2009', [mountCs(), mkdir('/a', H9), write('/a', 'cpuset.cpus', '3-4', H9)], 'EINVAL');
    failsAtomically('cgroups-2009', [mountCs(), mkdir('/a', H9), write('/a', 'cpuset.cpus', '64', H9)], 'ERANGE');
    const r = run('cgroups-2009', [mountCs(), mkdir('/a', H9), write('/a', 'cpuset.cpus', ' 1-2\n', H9), read('/a', 'cpuset.cpus', H9)]);
    expect(r.last).toEqual({ ret: '1-2\n' });
  });
  it('2.6.33 cgroup_write_X64: a flag value that is not a number -> EINVAL; 64 bytes -> E2BIG', () => {
    failsAtomically('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), write('/a', 'cpuset.cpu_exclusive', 'yes', H9)], 'EINVAL');
    failsAtomically('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), write('/a', 'cpuset.cpu_exclusive', '1'.padStart(64, ' '), H9)], 'E2BIG');
  });
  it('2.6.33 cgroup_write_string: cpus longer than max_write_len -> E2BIG', () => {
    failsAtomically('cgroups-2009', [mountCs(), mkdir('/a', H9), write('/a', 'cpuset.cpus', '0,'.repeat(250), H9)], 'E2BIG');
  });
  it('2.6.33 cgroup_add_file: files are cpuset.-prefixed; the other form -> ENOENT; noprefix mounts drop the prefix', () => {
    failsAtomically('cgroups-2009', [mountCs(), read('/', 'cpus', H9)], 'ENOENT');
    failsAtomically('containers-2006', [read('/', 'cpuset.cpus')], 'ENOENT');
    expect(run('cgroups-2009', [mountCs(['cpuset'], true), read('/', 'cpus', H9)]).last).toEqual({ ret: '0-3\n' });
  });
});

describe('cpuset_can_attach and reads', () => {
  it('seed 001 cpuset.c cpuset_can_attach: empty cpus or mems -> ENOSPC', () => {
    failsAtomically('containers-2006', [mkdir('/a'), fork(), attach('/a', 2)], 'ENOSPC');
    failsAtomically('containers-2006', [mkdir('/a'), write('/a', 'cpus', '0'), fork(), attach('/a', 2)], 'ENOSPC');
    failsAtomically('cgroups-2009', [mountCs(), mkdir('/a', H9), write('/a', 'cpuset.cpus', '0', H9), fork(), attach('/a', 2, H9)], 'ENOSPC');
  });
  it('reference: write reads: top has every online cpu and both exclusive flags; a new cpuset is empty', () => {
    const r = run('containers-2006', [mkdir('/a'), read('/', 'cpus'), read('/', 'mems'), read('/', 'cpu_exclusive'), read('/', 'mem_exclusive'), read('/a', 'cpus'), read('/a', 'cpu_exclusive'), read('/a', 'memory_migrate')]);
    expect(r.outcomes.slice(1)).toEqual([{ ret: '0-3\n' }, { ret: '0\n' }, { ret: '1\n' }, { ret: '1\n' }, { ret: '\n' }, { ret: '0\n' }, { ret: '0\n' }]);
  });
  it('seed 001 cpuset.c cpuset_attach: a task\'s effective cpus are its cpuset\'s (canonical task)', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '1-2'), fork(), attach('/a', 2, H9)]);
    expect(effective(r.k, 2)).toEqual({ cpus: [1, 2], mems: [0] });
    expect(effective(r.k, 1)).toEqual({ cpus: [0, 1, 2, 3], mems: [0] });
  });
});
