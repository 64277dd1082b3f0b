import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { attach, cpuset6, cpuset9, exit, failsAtomically, fork, H9, inject, lastWithStates, mkdir, mountCs, read, run, traced, write } from './helpers.js';

const reg = (name: string): Event => ({ op: 'register_subsys', by: 1, name }) as Event;
const load = (name: string): Event => ({ op: 'load_subsys', by: 1, name }) as Event;

describe('attach (reference: mkdir; seed 001 attach_task, 2.6.33 cgroup_attach_task)', () => {
  it('reference: mkdir attach: cgroup missing -> ENOENT (before the pid is looked at)', () => {
    failsAtomically('containers-2006', [attach('/a', 99)], 'ENOENT');
  });
  it('seed 001 attach_task: no such task, a negative pid or a zombie -> ESRCH', () => {
    failsAtomically('containers-2006', [...cpuset6('/a', '0'), attach('/a', 99)], 'ESRCH');
    failsAtomically('containers-2006', [...cpuset6('/a', '0'), attach('/a', -2)], 'ESRCH');
    failsAtomically('cgroups-2009', [{ op: 'signal', by: 1, sig: 17, action: 'default' } as Event, mountCs(), ...cpuset9('/a', '0'), fork(), fork(2), exit(3), attach('/a', 3, H9)], 'ESRCH');
  });
  it('seed 001 attach_task: pid 0 means the caller', () => {
    const r = run('containers-2006', [...cpuset6('/a', '0'), fork(), attach('/a', 0, undefined, 2), read('/a', 'tasks')]);
    expect(r.last).toEqual({ ret: '2\n' });
  });
  it('seed 001 attach_task: can_attach in ascending id order, the first error wins; then attach, then post_attach', () => {
    const ok = run('containers-2006', [reg('faulty'), ...cpuset6('/a', '0'), fork(), attach('/a', 2)], traced);
    expect(ok.last).toEqual({ ret: 0, calls: ['cpuset.can_attach', 'faulty.can_attach', 'cpuset.attach', 'faulty.attach', 'cpuset.post_attach', 'faulty.post_attach'] });
    const r = lastWithStates('containers-2006', [reg('faulty'), ...cpuset6('/a', '0'), fork(), inject('can_attach', 'ENOMEM', 'faulty'), attach('/a', 2)], traced);
    expect(r.last).toEqual({ err: 'ENOMEM', calls: ['cpuset.can_attach', 'faulty.can_attach!ENOMEM'] });
    expect(JSON.parse(r.after).injections).toEqual([]);
  });
  it('2.6.33 cgroup_attach_task: callbacks in the hierarchy list order (descending id), no post_attach', () => {
    const r = run('cgroups-2009', [load('faulty'), mountCs(['cpuset', 'faulty']), ...cpuset9('/a', '0'), fork(), attach('/a', 2, H9)], traced);
    expect(r.last).toEqual({ ret: 0, calls: ['faulty.can_attach', 'cpuset.can_attach', 'faulty.attach', 'cpuset.attach'] });
  });
  it('2.6.33 cgroup_attach_task: already there -> 0 with no callbacks; seed 001 attach_task runs them again', () => {
    expect(run('cgroups-2009', [mountCs(), attach('/', 1, H9)], traced).last).toEqual({ ret: 0 });
    expect(run('containers-2006', [attach('/', 1)], traced).last).toEqual({ ret: 0, calls: ['cpuset.can_attach', 'cpuset.attach', 'cpuset.post_attach'] });
  });
  it('reference: mkdir attach: a failed can_attach from an injection without subsys fails the first subsystem', () => {
    const r = lastWithStates('containers-2006', [...cpuset6('/a', '0'), fork(), inject('can_attach', 'EPERM'), attach('/a', 2)]);
    expect(r.last).toEqual({ err: 'EPERM' });
    const strip = (t: string) => ({ ...JSON.parse(t), injections: [] });
    expect(strip(r.after)).toEqual(strip(r.before));
    expect(JSON.parse(r.after).injections).toEqual([]);
  });
});

describe('tasks and other core files (reference: mkdir)', () => {
  it('seed 001 container.c attach_task: a non-numeric pid written to tasks -> EIO (2006), EINVAL (2009)', () => {
    failsAtomically('containers-2006', [...cpuset6('/a', '0'), write('/a', 'tasks', 'abc')], 'EIO');
    failsAtomically('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), write('/a', 'tasks', 'abc', H9)], 'EINVAL');
  });
  it('reference: mkdir write tasks: the same as attach (ESRCH for an unknown pid)', () => {
    failsAtomically('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), write('/a', 'tasks', '77', H9)], 'ESRCH');
    const r = run('containers-2006', [...cpuset6('/a', '0'), fork(), write('/a', 'tasks', '2\n'), read('/a', 'tasks'), read('/', 'tasks')]);
    expect(r.outcomes.slice(-3)).toEqual([{ ret: 0 }, { ret: '2\n' }, { ret: '1\n' }]);
  });
  it('reference: mkdir read tasks: ascending, one per line, "" when empty; zombies are not listed', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), fork(), fork(), fork(2), attach('/a', 3, H9), attach('/a', 2, H9), read('/a', 'tasks', H9), exit(4), read('/', 'tasks', H9), mkdir('/b', H9), read('/b', 'tasks', H9)]);
    expect(r.outcomes.filter((o) => 'ret' in o && typeof o.ret === 'string')).toEqual([{ ret: '2\n3\n' }, { ret: '1\n' }, { ret: '' }]);
  });
  it('reference: mkdir files: unknown file -> ENOENT; cgroup.procs is read-only (EINVAL), release_agent only on the root (2009)', () => {
    failsAtomically('cgroups-2009', [mountCs(), read('/', 'nope', H9)], 'ENOENT');
    failsAtomically('cgroups-2009', [mountCs(), write('/', 'cgroup.procs', '1', H9)], 'EINVAL');
    failsAtomically('cgroups-2009', [mountCs(), mkdir('/a', H9), read('/a', 'release_agent', H9)], 'ENOENT');
    failsAtomically('containers-2006', [read('/', 'release_agent')], 'ENOENT');
    failsAtomically('containers-2006', [read('/', 'cgroup.procs')], 'ENOENT');
    const r = run('cgroups-2009', [mountCs(), write('/', 'release_agent', ' /sbin/agent\n', H9), read('/', 'release_agent', H9), read('/', 'cgroup.procs', H9)]);
    expect(r.outcomes.slice(-2)).toEqual([{ ret: '/sbin/agent\n' }, { ret: '1\n' }]);
  });
  it('2.6.33 cgroup_write_string: release_agent of PATH_MAX bytes or more -> E2BIG', () => {
    failsAtomically('cgroups-2009', [mountCs(), write('/', 'release_agent', 'x'.repeat(4096), H9)], 'E2BIG');
  });
  it('reference: mkdir notify_on_release: 2009 strict (EINVAL), 2006 lenient', () => {
    failsAtomically('cgroups-2009', [mountCs(), write('/', 'notify_on_release', 'on', H9)], 'EINVAL');
    expect(run('containers-2006', [write('/', 'notify_on_release', '7x'), read('/', 'notify_on_release')]).last).toEqual({ ret: '1\n' });
  });
});

describe('tasks and attach inside a VPS (reference: mkdir with 8.2 views)', () => {
  it('reference: mkdir tasks/attach: pids are in the caller\'s view; tasks outside the caller\'s VPS are invisible (ESRCH, not listed)', () => {
    const r = run('cgroups-2009', [
      mountCs(), ...cpuset9('/v', '0'),
      { op: 'vps_create', by: 1, vps: 101 } as Event,
      fork(2),
      attach('/v', 1, H9, 2),
      attach('/v', 1025, H9, 2),
      read('/v', 'tasks', H9, 2),
      read('/v', 'tasks', H9, 1),
      read('/', 'tasks', H9, 2),
    ]);
    expect(r.outcomes.slice(-5)).toEqual([{ ret: 0 }, { err: 'ESRCH' }, { ret: '1\n' }, { ret: '2\n' }, { ret: '1027\n' }]);
  });
});
