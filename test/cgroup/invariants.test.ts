import { describe, expect, it } from 'vitest';
import { CGROUP_INVARIANTS } from '../../src/invariants/cgroup.js';
import type { CpusetState } from '../../src/cgroup/subsystems/cpuset.js';
import type { Kernel } from '../../src/replay/kernel.js';
import { attach, cpuset6, cpuset9, fork, H9, mountCs, run } from './helpers.js';

const fired = (k: Kernel): string[] => [...new Set(CGROUP_INVARIANTS.flatMap((inv) => inv.check(k.s, k.v, undefined).map((x) => x.invariant)))];
const base9 = () => run('cgroups-2009', [mountCs(), ...cpuset9('/a', '0-1'), ...cpuset9('/b', '2'), fork(), attach('/a', 2, H9)]).k;
const cs = (k: Kernel, path: string): CpusetState => k.s.cg.hierarchies.get(H9)!.cgroups.get(path)!.subsys.get('cpuset') as CpusetState;

describe('cgroup invariants (reference: Invariants and postconditions) hold on real states and fire on corrupted ones', () => {
  it('reference: Invariants and postconditions: every cgroup invariant holds on a busy 2006 and 2009 state', () => {
    expect(fired(base9())).toEqual([]);
    expect(fired(run('containers-2006', [...cpuset6('/a', '0'), fork(), attach('/a', 2)]).k)).toEqual([]);
  });
  it('reference: Invariants and postconditions cgroup-tree fires on a wrong task count and on a child that lost its parent link', () => {
    const k = base9();
    k.s.cg.hierarchies.get(H9)!.cgroups.get('/a')!.taskCount = 5;
    expect(fired(k)).toContain('cgroup-tree');
    const k2 = base9();
    k2.s.cg.hierarchies.get(H9)!.cgroups.get('/')!.children = ['/b'];
    expect(fired(k2)).toContain('cgroup-tree');
  });
  it('reference: Invariants and postconditions cgroup-tree fires on a parent listing a child that does not exist; the cpuset checks report, never crash', () => {
    const k = base9();
    k.s.cg.hierarchies.get(H9)!.cgroups.get('/')!.children.push('/gone');
    expect(fired(k)).toEqual(['cgroup-tree']);
  });
  it('reference: Invariants and postconditions cgroup-tree fires on a zombie still in cgroups', () => {
    const k = base9();
    k.s.tasks.get(2)!.state = 'zombie';
    expect(fired(k)).toContain('cgroup-tree');
  });
  it('reference: Invariants and postconditions css-set fires on a wrong refcount, a stale key and duplicate content', () => {
    const k = base9();
    k.s.cg.cssSets.get(k.s.tasks.get(2)!.cssSet)!.refcount = 7;
    expect(fired(k)).toContain('css-set');
    const k2 = base9();
    k2.s.cg.cssSets.get(k2.s.tasks.get(2)!.cssSet)!.cgroups.set(H9, '/b');
    expect(fired(k2)).toContain('css-set');
    const k3 = base9();
    const a = k3.s.cg.cssSets.get(k3.s.tasks.get(2)!.cssSet)!;
    const init = k3.s.cg.cssSets.get(k3.s.tasks.get(1)!.cssSet)!;
    init.cgroups = new Map(a.cgroups);
    init.key = a.key;
    expect(fired(k3)).toContain('css-set');
  });
  it('reference: Invariants and postconditions subsys-slots fires on a subsystem bound to two hierarchies and on a builtin in a loadable slot', () => {
    const k = base9();
    k.s.cg.dummy.subsystems.push('cpuset');
    expect(fired(k)).toContain('subsys-slots');
    const k2 = base9();
    k2.s.cg.slots[1]!.builtin = false;
    expect(fired(k2)).toContain('subsys-slots');
  });
  it('reference: Invariants and postconditions cpuset-subset fires on a child wider than its parent', () => {
    const k = base9();
    k.s.cg.hierarchies.get(H9)!.cgroups.get('/a')!.subsys.set('cpuset', { ...cs(k, '/a'), cpus: [0, 1, 7] });
    expect(fired(k)).toContain('cpuset-subset');
  });
  it('reference: Invariants and postconditions cpuset-exclusive fires on overlapping exclusive siblings', () => {
    const k = base9();
    k.s.cg.hierarchies.get(H9)!.cgroups.get('/b')!.subsys.set('cpuset', { ...cs(k, '/b'), cpus: [1, 2], cpuExclusive: true });
    expect(fired(k)).toEqual(['cpuset-exclusive']);
  });
  it('reference: Invariants and postconditions cpuset-nonempty fires on a cpuset with tasks and no cpus (2009) and on an offline effective cpu', () => {
    const k = base9();
    k.s.cg.hierarchies.get(H9)!.cgroups.get('/a')!.subsys.set('cpuset', { ...cs(k, '/a'), cpus: [] });
    expect(fired(k)).toContain('cpuset-nonempty');
    const k2 = base9();
    k2.s.cg.cpusOnline = new Set();
    expect(fired(k2)).toContain('cpuset-nonempty');
  });
});
