import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { attach, cpuset6, cpuset9, exit, failsAtomically, fork, H9, inject, lastWithStates, mkdir, mountCs, read, rmdir, run, traced, write } from './helpers.js';


describe('mkdir (reference: mkdir; seed 001 container_create, 2.6.33 cgroup_create)', () => {
  it('reference: mkdir mkdir: unknown or missing hierarchy -> ENOENT', () => {
    failsAtomically('cgroups-2009', [mkdir('/a', 'nope')], 'ENOENT');
    failsAtomically('cgroups-2009', [mkdir('/a')], 'ENOENT');
    failsAtomically('containers-2006', [mkdir('/a', 'cs')], 'ENOENT');
    expect(run('containers-2006', [mkdir('/a', 'container')]).last).toEqual({ ret: 0 });
  });
  it.each(['a', '/a/', '//a', '/.', '/a/..', '/' + 'x'.repeat(256)])('reference: mkdir mkdir: bad path %j -> EINVAL', (p) => {
    failsAtomically('containers-2006', [mkdir(p)], 'EINVAL');
  });
  it('reference: mkdir mkdir: a 255-byte name is fine', () => {
    expect(run('containers-2006', [mkdir('/' + 'x'.repeat(255))]).last).toEqual({ ret: 0 });
  });
  it('linux-6 nameMax null (6.18 kernfs_iop_lookup and cgroup_mkdir check no name length; traces/versions/l6-name-length.json, recorded): a 256-byte name is created, read and removed; cgroups-2009 says EINVAL', () => {
    const long = '/' + 'x'.repeat(256);
    const r = run('linux-6', [mountCs(), mkdir(long, H9), mkdir(long + '/' + 'y'.repeat(2000), H9), read(long, 'tasks', H9), rmdir(long + '/' + 'y'.repeat(2000), H9), rmdir(long, H9)]);
    expect(r.outcomes).toEqual([{ ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: '' }, { ret: 0 }, { ret: 0 }]);
    failsAtomically('cgroups-2009', [mountCs(), mkdir(long, H9)], 'EINVAL');
  });
  it('reference: mkdir mkdir: parent missing -> ENOENT; exists -> EEXIST (the root too)', () => {
    failsAtomically('containers-2006', [mkdir('/a/b')], 'ENOENT');
    failsAtomically('containers-2006', [mkdir('/a'), mkdir('/a')], 'EEXIST');
    failsAtomically('containers-2006', [mkdir('/')], 'EEXIST');
  });
  it('reference: mkdir mkdir: __proto__ and constructor are ordinary names', () => {
    const r = run('cgroups-2009', [mountCs(), mkdir('/__proto__', H9), mkdir('/constructor', H9), read('/__proto__', 'tasks', H9)]);
    expect(r.outcomes.map((o) => 'ret' in o)).toEqual([true, true, true, true]);
  });
  it('seed 001 container.c container_create: a failed create destroys the earlier ones in reverse order', () => {
    const r = lastWithStates('containers-2006', [{ op: 'register_subsys', by: 1, name: 'net_cls' } as Event, { op: 'register_subsys', by: 1, name: 'faulty' } as Event, inject('create', 'ENOMEM', 'faulty'), mkdir('/a')], traced);
    expect(r.last).toEqual({ err: 'ENOMEM', calls: ['cpuset.create', 'net_cls.create', 'faulty.create!ENOMEM', 'net_cls.destroy', 'cpuset.destroy'] });
    expect(JSON.parse(r.after).injections).toEqual([]);
  });
  it('2.6.33 cgroup.c cgroup_create err_destroy: a failed create destroys the created ones in call order (descending id)', () => {
    const r = lastWithStates('cgroups-2009', [{ op: 'load_subsys', by: 1, name: 'net_cls' } as Event, { op: 'load_subsys', by: 1, name: 'faulty' } as Event, mountCs(['cpuset', 'net_cls', 'faulty', 'debug']), inject('create', 'ENOMEM', 'cpuset'), mkdir('/a', H9)], traced);
    expect(r.last).toEqual({ err: 'ENOMEM', calls: ['faulty.create', 'net_cls.create', 'debug.create', 'cpuset.create!ENOMEM', 'faulty.destroy', 'net_cls.destroy', 'debug.destroy'] });
  });
  it('reference: inject inject: an injection without subsys fails the first create called', () => {
    const r = run('containers-2006', [inject('create', 'EAGAIN'), mkdir('/a'), mkdir('/a')]);
    expect(r.outcomes.slice(1)).toEqual([{ err: 'EAGAIN' }, { ret: 0 }]);
  });
  it('reference: mkdir mkdir: the new cgroup inherits notify_on_release', () => {
    const r = run('cgroups-2009', [mountCs(), write('/', 'notify_on_release', '1', H9), mkdir('/a', H9), read('/a', 'notify_on_release', H9)]);
    expect(r.last).toEqual({ ret: '1\n' });
  });
  it('seed 001 container_create: the successful calls are create for every subsystem then populate', () => {
    const r = run('containers-2006', [mkdir('/a')], traced);
    expect(r.last).toEqual({ ret: 0, calls: ['cpuset.create', 'cpuset.populate'] });
  });
});

describe('rmdir (reference: mkdir; seed 001 container_rmdir)', () => {
  it('reference: mkdir rmdir: the root -> EBUSY; missing -> ENOENT', () => {
    failsAtomically('containers-2006', [rmdir('/')], 'EBUSY');
    failsAtomically('containers-2006', [rmdir('/a')], 'ENOENT');
    failsAtomically('cgroups-2009', [rmdir('/a', 'nope')], 'ENOENT');
  });
  it('seed 001 container_rmdir: children or live tasks -> EBUSY', () => {
    failsAtomically('containers-2006', [mkdir('/a'), mkdir('/a/b'), rmdir('/a')], 'EBUSY');
    failsAtomically('containers-2006', [...cpuset6('/a', '0'), fork(), attach('/a', 2), rmdir('/a')], 'EBUSY');
  });
  it('seed 001 container_rmdir: a zombie does not keep a cgroup busy', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), fork(), fork(2), attach('/a', 3, H9), exit(3), rmdir('/a', H9)]);
    expect(r.last).toEqual({ ret: 0 });
  });
  it('seed 001 container_rmdir: each subsystem destroy, then the parent is checked for release', () => {
    const r = run('cgroups-2009', [mountCs(), write('/', 'notify_on_release', '1', H9), mkdir('/a', H9), mkdir('/a/b', H9), rmdir('/a/b', H9)], traced);
    expect(r.last).toEqual({ ret: 0, released: ['cs:/a'], calls: ['cpuset.destroy'] });
  });
});

describe('release (reference: mkdir check_for_release)', () => {
  it('seed 001 check_for_release: the last task leaving a notify_on_release cgroup releases it (exit and attach)', () => {
    const base = [mountCs(), ...cpuset9('/a', '0'), write('/a', 'notify_on_release', '1', H9), fork(), attach('/a', 2, H9)];
    expect(run('cgroups-2009', [...base, exit(2)]).last).toEqual({ ret: 0, released: ['cs:/a'] });
    expect(run('cgroups-2009', [...base, attach('/', 2, H9)]).last).toEqual({ ret: 0, released: ['cs:/a'] });
    expect(run('cgroups-2009', [...base, write('/a', 'notify_on_release', '0', H9), exit(2)]).last).toEqual({ ret: 0 });
  });
  it('2.6.33 cgroup_exit: cgroups of every hierarchy are released, hierarchies in name order', () => {
    const r = run('cgroups-2009', [
      { op: 'mount', by: 1, hierarchy: 'b', subsystems: [] } as Event,
      { op: 'mount', by: 1, hierarchy: 'a', subsystems: [] } as Event,
      mkdir('/x', 'b'), mkdir('/y', 'a'),
      write('/x', 'notify_on_release', '1', 'b'), write('/y', 'notify_on_release', '1', 'a'),
      fork(), attach('/x', 2, 'b'), attach('/y', 2, 'a'), exit(2),
    ]);
    expect(r.last).toEqual({ ret: 0, released: ['a:/y', 'b:/x'] });
  });
});
