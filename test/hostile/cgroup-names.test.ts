import { describe, expect, it } from 'vitest';
import { replayEvents } from '../../src/replay/replay.js';
import type { Event } from '../../src/trace/schema-types.js';
import { cli } from './helpers.js';

/**
 * Issue 14 row 15: cgroup directory names follow the kernel, as kernel outcomes (not bad input).
 * traces/cgroup/2009-control-file-names.json and 2006-control-file-names.json hold them with expect.
 */
const outcomes = (semantics: 'containers-2006' | 'cgroups-2009', events: Event[]) => replayEvents({ semantics }, events).outcomes;
const mkdir = (path: string, hierarchy?: string): Event => (hierarchy ? { op: 'mkdir', by: 1, hierarchy, path } : { op: 'mkdir', by: 1, path });

describe('cgroup names (issue 14 row 15)', () => {
  it('2.6.33 sys_mkdirat -> lookup_create: a control file of the parent is an existing dentry -> EEXIST, before cgroup_mkdir', () => {
    const out = outcomes('cgroups-2009', [
      { op: 'mount', by: 1, hierarchy: 'cs', subsystems: ['cpuset'] },
      mkdir('/a', 'cs'),
      mkdir('/a/tasks', 'cs'),
      mkdir('/a/notify_on_release', 'cs'),
      mkdir('/a/cpuset.cpus', 'cs'),
      mkdir('/cgroup.procs', 'cs'),
      mkdir('/release_agent', 'cs'),
      mkdir('/a/release_agent', 'cs'),
      mkdir('/a/cpus', 'cs'),
    ]);
    expect(out.slice(2)).toEqual([{ err: 'EEXIST' }, { err: 'EEXIST' }, { err: 'EEXIST' }, { err: 'EEXIST' }, { err: 'EEXIST' }, { ret: 0 }, { ret: 0 }]);
  });

  it('seed 001 (containers-2006): files without the subsystem prefix; mkdir of "cpus" or "tasks" -> EEXIST', () => {
    const out = outcomes('containers-2006', [mkdir('/a'), mkdir('/a/cpus'), mkdir('/a/mems'), mkdir('/tasks'), mkdir('/a/cpuset.cpus')]);
    expect(out).toEqual([{ ret: 0 }, { err: 'EEXIST' }, { err: 'EEXIST' }, { err: 'EEXIST' }, { ret: 0 }]);
  });

  it('a name with NUL, "." or ".." or an empty one -> EINVAL (a kernel path is a C string: getname stops at NUL)', () => {
    const out = outcomes('containers-2006', [mkdir('/a'), mkdir('/a/b\u0000c'), mkdir('/a/\u0000'), mkdir('/a/.'), mkdir('/a/..'), mkdir('/a//b'), mkdir('/a/b')]);
    expect(out).toEqual([{ ret: 0 }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { ret: 0 }]);
  });

  it('the traces replay with zero divergences', async () => {
    const r = await cli(['replay', 'traces/cgroup/2009-control-file-names.json', 'traces/cgroup/2006-control-file-names.json']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('2 traces: 2 ok');
  });
});
