import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { attach, cpuset6, cpuset9, effective, failsAtomically, fork, H9, mountCs, read, run, write } from './helpers.js';

const cpuDown = (cpu: number): Event => ({ op: 'cpu_down', cpu }) as Event;
const cpuUp = (cpu: number): Event => ({ op: 'cpu_up', cpu }) as Event;
const memDown = (mem: number): Event => ({ op: 'mem_down', mem }) as Event;
const memUp = (mem: number): Event => ({ op: 'mem_up', mem }) as Event;

describe('hotplug errnos (reference: write)', () => {
  it.each(['containers-2006', 'cgroups-2009'] as const)('reference: write hotplug (%s): unknown or already in that state -> EINVAL', (sem) => {
    failsAtomically(sem, [cpuDown(4)], 'EINVAL');
    failsAtomically(sem, [cpuDown(-1)], 'EINVAL');
    failsAtomically(sem, [cpuUp(0)], 'EINVAL');
    failsAtomically(sem, [cpuDown(1), cpuDown(1)], 'EINVAL');
    failsAtomically(sem, [memUp(0)], 'EINVAL');
    failsAtomically(sem, [memDown(1)], 'EINVAL');
  });
  it.each(['containers-2006', 'cgroups-2009'] as const)('reference: write hotplug (%s): the last online cpu or mem -> EBUSY', (sem) => {
    failsAtomically(sem, [memDown(0)], 'EBUSY');
    failsAtomically(sem, [cpuDown(0), cpuDown(1), cpuDown(2), cpuDown(3)], 'EBUSY');
  });
});

describe('2006: static cpusets (2.6.18 guarantee_online_cpus)', () => {
  it('2.6.18 cpuset.c guarantee_online_cpus: no cpuset changes; effective cpus fall back to the nearest ancestor that intersects the online set', () => {
    const r = run('containers-2006', [...cpuset6('/a', '2-3'), ...cpuset6('/a/b', '3'), fork(), attach('/a/b', 2), cpuDown(3), read('/a/b', 'cpus'), read('/', 'cpus')]);
    expect(r.outcomes.slice(-2)).toEqual([{ ret: '3\n' }, { ret: '0-3\n' }]);
    expect(effective(r.k, 2)).toEqual({ cpus: [2], mems: [0] });
    const r2 = run('containers-2006', [...cpuset6('/a', '2-3'), fork(), attach('/a', 2), cpuDown(2), cpuDown(3)]);
    expect(effective(r2.k, 2)).toEqual({ cpus: [0, 1], mems: [0] });
  });
  it('2.6.18 cpuset.c update_cpumask: a write is intersected with the online cpus after a cpu went down', () => {
    const r = run('containers-2006', [cpuDown(3), ...cpuset6('/a', '2-3'), read('/a', 'cpus')]);
    expect(r.last).toEqual({ ret: '2\n' });
  });
});

describe('2009: cpusets track hotplug (2.6.33 scan_for_empty_cpusets)', () => {
  it('2.6.33 common_cpu_mem_hotplug_unplug: the top follows the online set, others lose the offline cpu; coming back goes to the top only', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '1-2'), cpuDown(2), read('/', 'cpuset.cpus', H9), read('/a', 'cpuset.cpus', H9), cpuUp(2), read('/', 'cpuset.cpus', H9), read('/a', 'cpuset.cpus', H9)]);
    expect(r.outcomes.slice(-5)).toEqual([{ ret: '0-1,3\n' }, { ret: '1\n' }, { ret: 0 }, { ret: '0-3\n' }, { ret: '1\n' }]);
  });
  it('2.6.33 remove_tasks_in_empty_cpuset: tasks of an emptied cpuset move to the nearest ancestor with cpus and mems', () => {
    const r = run('cgroups-2009', [
      mountCs(), ...cpuset9('/a', '1-2'), ...cpuset9('/a/b', '2'), write('/a/b', 'notify_on_release', '1', H9),
      fork(), fork(), attach('/a/b', 2, H9), attach('/a/b', 3, H9), cpuDown(2),
      read('/a/b', 'tasks', H9), read('/a', 'tasks', H9),
    ]);
    expect(r.outcomes[r.outcomes.length - 3]).toEqual({ ret: 0, released: ['cs:/a/b'] });
    expect(r.outcomes.slice(-2)).toEqual([{ ret: '' }, { ret: '2\n3\n' }]);
    expect(effective(r.k, 2)).toEqual({ cpus: [1], mems: [0] });
  });
  it('2.6.33 scan_for_empty_cpusets: a mem going down empties cpusets by mems too', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0', '1'), fork(), attach('/a', 2, H9), memDown(1), read('/', 'tasks', H9), read('/a', 'cpuset.mems', H9), memUp(1), read('/', 'cpuset.mems', H9)], { mems: 2 });
    expect(r.outcomes.slice(-4)).toEqual([{ ret: '1\n2\n' }, { ret: '\n' }, { ret: 0 }, { ret: '0-1\n' }]);
  });
  it('2.6.33: an unbound cpuset (dummy root) follows hotplug too', () => {
    const r = run('cgroups-2009', [cpuDown(0), mountCs(), read('/', 'cpuset.cpus', H9)]);
    expect(r.last).toEqual({ ret: '1-3\n' });
  });
});
