import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { failsAtomically, H9, inject, lastWithStates, mkdir, mountCs, read, rmdir, run, traced, write } from './helpers.js';

const reg = (name: string): Event => ({ op: 'register_subsys', by: 1, name }) as Event;
const load = (name: string, extra: object = {}): Event => ({ op: 'load_subsys', by: 1, name, ...extra }) as Event;
const unload = (name: string): Event => ({ op: 'unload_subsys', by: 1, name }) as Event;
const state = (t: string) => JSON.parse(t) as { subsystems: { name: string; id: number; hierarchy: string | null }[]; cssSets: { css: Record<string, string>; key: string }[] };

describe('register_subsys (seed 001 container_register_subsys, containers-2006)', () => {
  it('seed 001 container_register_subsys: a container besides the top exists -> EBUSY', () => {
    failsAtomically('containers-2006', [mkdir('/a'), reg('net_cls')], 'EBUSY');
    expect(run('containers-2006', [mkdir('/a'), rmdir('/a'), reg('net_cls')]).last).toEqual({ ret: 0 });
  });
  it('seed 001 container_register_subsys: MAX_CONTAINER_SUBSYS registered -> ENOSPC (before EEXIST)', () => {
    failsAtomically('containers-2006', [reg('net_cls'), reg('cpuset')], 'ENOSPC', { subsysSlots: 2 });
  });
  it('reference: register_subsys register_subsys: registered -> EEXIST; no such plugin -> ENOENT', () => {
    failsAtomically('containers-2006', [reg('cpuset')], 'EEXIST');
    failsAtomically('containers-2006', [reg('nosuch')], 'ENOENT');
  });
  it('seed 001 container_register_subsys: create on the top container, then populate; the id is the next one', () => {
    const r = lastWithStates('containers-2006', [reg('net_cls')], traced);
    expect(r.last).toEqual({ ret: 0, calls: ['net_cls.create', 'net_cls.populate'] });
    expect(state(r.after).subsystems.map((x) => [x.name, x.id, x.hierarchy])).toEqual([['cpuset', 0, 'container'], ['net_cls', 1, 'container']]);
    expect(run('containers-2006', [reg('net_cls'), read('/', 'classid')]).last).toEqual({ ret: '0\n' });
  });
  it('seed 001 container_register_subsys: a failed create unregisters it and returns the errno', () => {
    const r = lastWithStates('containers-2006', [inject('create', 'ENOMEM', 'net_cls'), reg('net_cls')], traced);
    expect(r.last).toEqual({ err: 'ENOMEM', calls: ['net_cls.create!ENOMEM'] });
    expect(state(r.after).subsystems.map((x) => x.name)).toEqual(['cpuset']);
  });
  it('reference: register_subsys: load_subsys / unload_subsys -> ENOSYS in 2006; register_subsys -> ENOSYS in 2009', () => {
    failsAtomically('containers-2006', [load('net_cls')], 'ENOSYS');
    failsAtomically('containers-2006', [unload('net_cls')], 'ENOSYS');
    failsAtomically('cgroups-2009', [reg('net_cls')], 'ENOSYS');
  });
});

describe('load_subsys (seed 003 cgroup_load_subsys, cgroups-2009)', () => {
  it('seed 003 cgroup_load_subsys: name empty or longer than MAX_CGROUP_TYPE_NAMELEN -> EINVAL', () => {
    failsAtomically('cgroups-2009', [load('')], 'EINVAL');
    failsAtomically('cgroups-2009', [load('x'.repeat(33))], 'EINVAL');
  });
  it('seed 003 cgroup_load_subsys: fork or exit callbacks -> EINVAL (checked before the builtin case)', () => {
    failsAtomically('cgroups-2009', [load('net_cls', { fork: true })], 'EINVAL');
    failsAtomically('cgroups-2009', [load('cpuset', { exit: true })], 'EINVAL');
  });
  it('seed 003 cgroup_load_subsys: a builtin -> 0 and nothing changes', () => {
    const r = lastWithStates('cgroups-2009', [load('cpuset')]);
    expect(r.last).toEqual({ ret: 0 });
    expect(r.after).toBe(r.before);
  });
  it('reference: mount load_subsys: already loaded -> EEXIST; unknown plugin -> ENOENT', () => {
    failsAtomically('cgroups-2009', [load('net_cls'), load('net_cls')], 'EEXIST');
    failsAtomically('cgroups-2009', [load('nosuch')], 'ENOENT');
  });
  it('seed 003 cgroup_load_subsys: no free slot after the builtins -> EBUSY', () => {
    failsAtomically('cgroups-2009', [load('net_cls'), load('faulty')], 'EBUSY', { subsysSlots: 3 });
  });
  it('seed 003 cgroup_load_subsys: a failed create frees the slot and returns the errno', () => {
    const r = lastWithStates('cgroups-2009', [inject('create', 'ENOMEM', 'net_cls'), load('net_cls')], traced);
    expect(r.last).toEqual({ err: 'ENOMEM', calls: ['net_cls.create!ENOMEM'] });
    expect(state(r.after).subsystems.map((x) => x.name)).toEqual(['cpuset', 'debug']);
  });
  it('seed 003 cgroup_load_subsys: the first free slot after the builtins; every css_set gains the css and is rehashed', () => {
    const r = lastWithStates('cgroups-2009', [mountCs(), mkdir('/a', H9), write('/a', 'cpuset.cpus', '0', H9), write('/a', 'cpuset.mems', '0', H9), { op: 'fork', by: 1 } as Event, { op: 'attach', by: 1, hierarchy: H9, path: '/a', pid: 2 } as Event, load('net_cls')]);
    expect(r.last).toEqual({ ret: 0 });
    const after = state(r.after);
    expect(after.subsystems.find((x) => x.name === 'net_cls')).toMatchObject({ id: 2, hierarchy: null });
    expect(after.cssSets).toHaveLength(2);
    for (const cs of after.cssSets) expect(cs.css['2']).toBe(':/');
    expect(new Set(after.cssSets.map((c) => c.key)).size).toBe(2);
  });
  it('seed 003 cgroup_load_subsys: a slot freed by unload is reused first', () => {
    const r = lastWithStates('cgroups-2009', [load('net_cls'), load('faulty'), unload('net_cls'), load('net_cls')]);
    expect(state(r.after).subsystems.map((x) => [x.name, x.id])).toEqual([['cpuset', 0], ['debug', 1], ['net_cls', 2], ['faulty', 3]]);
  });
});

describe('unload_subsys (seed 003 patch 3 cgroup_unload_subsys)', () => {
  it('reference: mount unload_subsys: not loaded or builtin -> EINVAL', () => {
    failsAtomically('cgroups-2009', [unload('net_cls')], 'EINVAL');
    failsAtomically('cgroups-2009', [unload('cpuset')], 'EINVAL');
  });
  it('reference: mount unload_subsys: bound to a mounted hierarchy -> EBUSY', () => {
    failsAtomically('cgroups-2009', [load('net_cls'), { op: 'mount', by: 1, hierarchy: 'n', subsystems: ['net_cls'] } as Event, unload('net_cls')], 'EBUSY');
  });
  it('seed 003 cgroup_unload_subsys: destroy on the dummy top; every css_set loses the css', () => {
    const r = lastWithStates('cgroups-2009', [load('net_cls'), unload('net_cls')], traced);
    expect(r.last).toEqual({ ret: 0, calls: ['net_cls.destroy'] });
    for (const cs of state(r.after).cssSets) expect(cs.css['2']).toBeUndefined();
  });
});
