import { describe, expect, it } from 'vitest';
import type { Cgroup, CgroupWorld, CssSet, Hierarchy, SubsysSlot } from '../../src/cgroup/types.js';
import { CGROUP_FIELDS, deepEqual, sameKernelState, TASK_FIELDS } from '../../src/fuzz/equal.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import type { Task } from '../../src/state/task.js';
import type { Event } from '../../src/trace/schema-types.js';

/** A booted state with a few tasks (a child with a caught signal, a zombie, a traced task). */
function busy() {
  const k = bootKernel({ semantics: 'cgroups-2009' });
  for (const ev of [
    { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'signal', by: 2, sig: 10, action: 'catch' },
    { op: 'kill', by: 1, pid: 2, sig: 10 }, { op: 'ptrace', by: 3, request: 'attach', pid: 4 }, { op: 'exit', by: 3, code: 1 },
  ] as const) step(k, ev);
  return k;
}

describe('the structural state comparison of atomicity and determinism (src/fuzz/equal.ts)', () => {
  it('equal states compare equal; it agrees with the generic walk', () => {
    const a = busy();
    const b = busy();
    expect(sameKernelState(a.s, b.s)).toBe(true);
    expect(deepEqual(a.s, b.s)).toBe(true);
  });

  it('sees a change in every task field (TASK_FIELDS lists them all)', () => {
    const a = busy();
    expect(Object.keys(TASK_FIELDS).sort()).toEqual(Object.keys(a.s.tasks.get(2) as Task).sort());
    const change: Record<keyof Task, (t: Task) => void> = {
      pid: (t) => (t.pid += 100), parent: (t) => (t.parent += 1), children: (t) => t.children.push(99), pgid: (t) => (t.pgid += 1),
      sid: (t) => (t.sid += 1), node: (t) => (t.node += 1), state: (t) => (t.state = 'stopped'), exitStatus: (t) => (t.exitStatus = { exited: 3 }),
      execd: (t) => (t.execd = !t.execd), dispositions: (t) => t.dispositions.set(15, 'ignore'), caught: (t) => t.caught.set(10, 7),
      pending: (t) => t.pending.push(9), stopReport: (t) => (t.stopReport = 19), contReport: (t) => (t.contReport = !t.contReport),
      tracer: (t) => (t.tracer = 4), traced: (t) => t.traced.push(4), vps: (t) => (t.vps = 1), cssSet: (t) => (t.cssSet += 1),
      exitState: (t) => (t.exitState = 'exiting'), childSubreaper: (t) => (t.childSubreaper = !t.childSubreaper),
      affinity: (t) => (t.affinity = [1]),
      tgid: (t) => (t.tgid += 1), threads: (t) => t.threads.push(9), leaderExited: (t) => (t.leaderExited = { exited: 1 }),
    };
    for (const field of Object.keys(TASK_FIELDS) as (keyof Task)[]) {
      const b = busy();
      change[field](b.s.tasks.get(2) as Task);
      expect(sameKernelState(a.s, b.s), field).toBe(false);
    }
  });

  it('sees a change outside the tasks', () => {
    const a = busy();
    const b = busy();
    b.s.last += 1;
    expect(sameKernelState(a.s, b.s)).toBe(false);
    const c = busy();
    c.s.cg.cpusOnline.delete(1);
    expect(sameKernelState(a.s, c.s)).toBe(false);
  });

  it('sees a change in every field of the cgroup world (CGROUP_FIELDS lists them all)', () => {
    /** A mounted cpuset hierarchy with a child cgroup and a task in it, so that every record exists. */
    const world = () => {
      const k = busy();
      const events: Event[] = [
        { op: 'mount', by: 1, hierarchy: 'h', subsystems: ['cpuset'] }, { op: 'mkdir', by: 1, hierarchy: 'h', path: '/a' },
        { op: 'write', by: 1, hierarchy: 'h', path: '/a', file: 'cpuset.cpus', value: '0' }, { op: 'write', by: 1, hierarchy: 'h', path: '/a', file: 'cpuset.mems', value: '0' },
        { op: 'attach', by: 1, hierarchy: 'h', path: '/a', pid: 2 },
      ];
      for (const ev of events) expect('ret' in step(k, ev), ev.op).toBe(true);
      return k;
    };
    const a = world();
    const h = (w: CgroupWorld): Hierarchy => w.hierarchies.get('h') as Hierarchy;
    const cg = (w: CgroupWorld): Cgroup => h(w).cgroups.get('/a') as Cgroup;
    const slot = (w: CgroupWorld): SubsysSlot => w.slots.find((x) => x?.name === 'cpuset') as SubsysSlot;
    const css = (w: CgroupWorld): CssSet => [...w.cssSets.values()].find((x) => x.tasks.has(2)) as CssSet;
    const cases: [Record<string, true>, Record<string, (w: CgroupWorld) => void>][] = [
      [CGROUP_FIELDS.world, {
        hierarchies: (w) => w.hierarchies.delete('h'), dummy: (w) => (w.dummy.releaseAgent = 'x'), slots: (w) => w.slots.push(null),
        cssSets: (w) => w.cssSets.delete(css(w).id), cssSetTable: (w) => w.cssSetTable.set('x', 1), nextCssSetId: (w) => w.nextCssSetId++,
        initCssSet: (w) => w.initCssSet++, cpusOnline: (w) => w.cpusOnline.delete(0), memsOnline: (w) => w.memsOnline.add(7),
      }],
      [CGROUP_FIELDS.hierarchy, {
        name: (w) => (h(w).name = 'g'), subsystems: (w) => h(w).subsystems.push('debug'), noprefix: (w) => (h(w).noprefix = !h(w).noprefix),
        releaseAgent: (w) => (h(w).releaseAgent = '/x'), cgroups: (w) => h(w).cgroups.delete('/a'),
      }],
      [CGROUP_FIELDS.cgroup, {
        path: (w) => (cg(w).path = '/b'), parent: (w) => (cg(w).parent = null), children: (w) => cg(w).children.push('/a/b'),
        notifyOnRelease: (w) => (cg(w).notifyOnRelease = !cg(w).notifyOnRelease), releasable: (w) => (cg(w).releasable = !cg(w).releasable),
        cloneChildren: (w) => (cg(w).cloneChildren = !cg(w).cloneChildren),
        taskCount: (w) => cg(w).taskCount++, subsys: (w) => ((cg(w).subsys.get('cpuset') as { cpus: number[] }).cpus = [1]),
      }],
      [CGROUP_FIELDS.slot, {
        name: (w) => (slot(w).name = 'x'), id: (w) => slot(w).id++, builtin: (w) => (slot(w).builtin = !slot(w).builtin), hierarchy: (w) => (slot(w).hierarchy = null),
      }],
      [CGROUP_FIELDS.cssSet, {
        id: (w) => css(w).id++, key: (w) => (css(w).key += 'x'), refcount: (w) => css(w).refcount++, cgroups: (w) => css(w).cgroups.set('h', '/'),
        css: (w) => css(w).css.set(9, ':/'), tasks: (w) => css(w).tasks.add(99),
      }],
    ];
    for (const [fields, change] of cases) {
      expect(Object.keys(change).sort()).toEqual(Object.keys(fields).sort());
      for (const field of Object.keys(fields)) {
        const b = world();
        expect(sameKernelState(a.s, b.s)).toBe(true);
        (change[field] as (w: CgroupWorld) => void)(b.s.cg);
        expect(sameKernelState(a.s, b.s), field).toBe(false);
      }
    }
  });
});
