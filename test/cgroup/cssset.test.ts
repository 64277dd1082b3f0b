import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/trace/schema-types.js';
import { attach, cpuset9, exit, fork, H9, mkdir, mountCs, read, run } from './helpers.js';
import { canonicalState } from '../../src/state/canonical.js';

interface CanonCss { refcount: number; initial: boolean; cgroups: Record<string, string> }
const cssSets = (k: Parameters<typeof canonicalState>[0], v: Parameters<typeof canonicalState>[1]) => canonicalState(k, v).cssSets as unknown as CanonCss[];

describe('css_sets (reference: mount, 2.6.33 find_css_set)', () => {
  it('2.6.33 find_css_set: tasks with the same memberships share one css_set; refcount = tasks', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), fork(), fork(), fork(), attach('/a', 2, H9), attach('/a', 3, H9)]);
    const sets = cssSets(r.k.s, r.k.v);
    expect(sets.map((c) => [c.cgroups[H9], c.refcount, c.initial]).sort()).toEqual([['/', 2, true], ['/a', 2, false]]);
  });
  it('2.6.33 put_css_set: an unreferenced css_set is freed, the initial one is permanent', () => {
    const r = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), fork(), attach('/a', 2, H9), attach('/a', 1, H9)]);
    const byPath = Object.fromEntries(cssSets(r.k.s, r.k.v).map((c) => [c.cgroups[H9], c.refcount]));
    expect(byPath).toEqual({ '/': 0, '/a': 2 });
    const r2 = run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0'), fork(), attach('/a', 2, H9), exit(2)]);
    expect(cssSets(r2.k.s, r2.k.v).map((c) => c.cgroups[H9])).toEqual(['/']);
  });
  it('containers-2006 has no css_sets in the canonical state', () => {
    const r = run('containers-2006', [fork()]);
    expect(cssSets(r.k.s, r.k.v)).toEqual([]);
  });
});

describe('debug subsystem (reference: mkdir)', () => {
  it('2.6.33 cgroup_debug.c: taskcount, releasable, current_css_set_refcount; read-only', () => {
    const ev: Event[] = [
      { op: 'mount', by: 1, hierarchy: 'd', subsystems: ['debug'] } as Event,
      mkdir('/a', 'd'), fork(), fork(), attach('/a', 2, 'd'),
      read('/a', 'debug.taskcount', 'd'), read('/a', 'debug.releasable', 'd'), read('/', 'debug.current_css_set_refcount', 'd'),
      attach('/', 2, 'd'), read('/a', 'debug.releasable', 'd'),
      { op: 'write', by: 1, hierarchy: 'd', path: '/a', file: 'debug.taskcount', value: '3' } as Event,
    ];
    const r = run('cgroups-2009', ev);
    expect(r.outcomes.slice(5)).toEqual([{ ret: '1\n' }, { ret: '0\n' }, { ret: '2\n' }, { ret: 0 }, { ret: '1\n' }, { err: 'EINVAL' }]);
  });
});
