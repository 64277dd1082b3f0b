import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { attach, cpuset9, failsAtomically, fork, H9, lastWithStates, mkdir, mountCs, read, run, traced, write } from './helpers.js';

const mount = (hierarchy: string, subsystems?: string[], noprefix?: boolean): Event =>
  ({ op: 'mount', by: 1, hierarchy, ...(subsystems ? { subsystems } : {}), ...(noprefix !== undefined ? { noprefix } : {}) }) as Event;
const umount = (hierarchy: string): Event => ({ op: 'umount', by: 1, hierarchy }) as Event;
const load = (name: string): Event => ({ op: 'load_subsys', by: 1, name }) as Event;

describe('mount (reference: mount, 2.6.33 cgroup_get_sb)', () => {
  it('reference: mount mount: a subsystem unknown or not loaded -> ENOENT', () => {
    failsAtomically('cgroups-2009', [mount('x', ['nosuch'])], 'ENOENT');
    failsAtomically('cgroups-2009', [mount('x', ['net_cls'])], 'ENOENT');
  });
  it('reference: mount mount: bound to another hierarchy -> EBUSY', () => {
    failsAtomically('cgroups-2009', [mount('a', ['cpuset']), mount('b', ['cpuset', 'debug'])], 'EBUSY');
  });
  it('reference: mount mount: the name taken with a different set -> EBUSY; the same set -> 0 (reuse)', () => {
    failsAtomically('cgroups-2009', [mount('a', ['cpuset']), mount('a', ['debug'])], 'EBUSY');
    const r = lastWithStates('cgroups-2009', [mount('a', ['cpuset']), mkdir('/x', 'a'), mount('a', ['cpuset'])]);
    expect(r.last).toEqual({ ret: 0 });
    expect(r.after).toBe(r.before);
  });
  it('2.6.33 parse_cgroupfs_options: noprefix with a subsystem other than cpuset -> EINVAL', () => {
    failsAtomically('cgroups-2009', [mount('a', ['cpuset', 'debug'], true)], 'EINVAL');
  });
  it('model rule: an empty hierarchy name -> EINVAL (2.6.33 rejects an empty name=)', () => {
    failsAtomically('cgroups-2009', [mount('', [])], 'EINVAL');
  });
  it('reference: mount mount: subsystems omitted binds every registered one; [] is a named hierarchy without subsystems', () => {
    const r = run('cgroups-2009', [mount('all'), read('/', 'debug.taskcount', 'all'), read('/', 'cpuset.cpus', 'all'), mount('none', []), mkdir('/x', 'none'), read('/x', 'tasks', 'none')]);
    expect(r.outcomes).toEqual([{ ret: 0 }, { ret: '1\n' }, { ret: '0-3\n' }, { ret: 0 }, { ret: 0 }, { ret: '' }]);
  });
  it('2.6.33 rebind_subsystems: every live task is in the new root; bind runs; populate after', () => {
    const r = run('cgroups-2009', [fork(), fork(), load('faulty'), mount('f', ['faulty']), read('/', 'tasks', 'f')], traced);
    expect(r.outcomes[3]).toEqual({ ret: 0, calls: ['faulty.bind'] });
    expect(r.last).toEqual({ ret: '1\n2\n3\n' });
  });
  it('reference: mount: the top css moves from the dummy root to the hierarchy and back, keeping its state', () => {
    const r = run('cgroups-2009', [load('net_cls'), mount('n', ['net_cls']), write('/', 'net_cls.classid', '0x100001', 'n'), umount('n'), mount('n2', ['net_cls']), read('/', 'net_cls.classid', 'n2')]);
    expect(r.last).toEqual({ ret: '1048577\n' });
  });
});

describe('umount (reference: mount)', () => {
  it('reference: mount umount: unknown -> EINVAL; child cgroups -> EBUSY', () => {
    failsAtomically('cgroups-2009', [umount('nope')], 'EINVAL');
    failsAtomically('cgroups-2009', [mountCs(), mkdir('/a', H9), umount(H9)], 'EBUSY');
  });
  it('reference: mount umount: subsystems return to the dummy root and can be mounted again', () => {
    const r = run('cgroups-2009', [mountCs(), umount(H9), mount('again', ['cpuset']), read('/', 'tasks', 'again')]);
    expect(r.outcomes).toEqual([{ ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: '1\n' }]);
  });
});

describe('the always-mounted container hierarchy (reference: register_subsys, containers-2006)', () => {
  it('reference: register_subsys mount: "container" with no set or the registered set -> 0; anything else -> EINVAL', () => {
    expect(run('containers-2006', [mount('container')]).last).toEqual({ ret: 0 });
    expect(run('containers-2006', [mount('container', ['cpuset'])]).last).toEqual({ ret: 0 });
    failsAtomically('containers-2006', [mount('container', ['cpuset', 'debug'])], 'EINVAL');
    failsAtomically('containers-2006', [mount('other', ['cpuset'])], 'EINVAL');
  });
  it('reference: register_subsys umount -> EINVAL', () => {
    failsAtomically('containers-2006', [umount('container')], 'EINVAL');
  });
  it('reference: register_subsys / 7.2: one trace runs under both versions when it mounts "container" with the registered set', () => {
    const events = [mount('container', ['cpuset']), mkdir('/a', 'container'), write('/a', 'notify_on_release', '1', 'container'), fork(), read('/', 'tasks', 'container')];
    for (const sem of ['containers-2006', 'cgroups-2009'] as const) {
      expect(run(sem, events, { builtinSubsystems: ['cpuset'] }).outcomes).toEqual([{ ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: 2 }, { ret: '1\n2\n' }]);
    }
  });
});

describe('net_cls (reference: mkdir)', () => {
  it('reference: mkdir net_cls: a new cgroup inherits the parent classid; writes are truncated to 32 bits', () => {
    const r = run('cgroups-2009', [load('net_cls'), mount('n', ['net_cls']), write('/', 'net_cls.classid', '4294967297', 'n'), mkdir('/a', 'n'), read('/a', 'net_cls.classid', 'n')]);
    expect(r.last).toEqual({ ret: '1\n' });
  });
  it('reference: mkdir cpuset tasks move between cgroups of one hierarchy only', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), fork(), attach('/a', 2, H9), mount('d', ['debug']), read('/', 'tasks', 'd')]);
    expect(r.last).toEqual({ ret: '1\n2\n' });
  });
});
