import { describe, expect, it } from 'vitest';
import { diffKernels, diffStates } from '../../src/diff/state-diff.js';
import { bootKernel } from '../../src/replay/kernel.js';
import type { Json } from '../../src/state/json.js';
import { jsonObject } from '../../src/state/json.js';

type State = { [key: string]: Json };
const task = (pid: number, extra: State = {}): State => ({ pid, parent: pid === 1 ? 0 : 1, pgid: 1, sid: 1, node: 0, tracer: 0, traced: [], vps: 0, cgroups: {}, effectiveCpus: [0, 1], ...extra });
const state = (extra: State = {}): State => ({
  semantics: 'cgroups-2009',
  last: 1,
  tasks: [task(1)],
  nodesUp: [0],
  cpusOnline: [0, 1],
  hierarchies: [],
  subsystems: [],
  cssSets: [],
  vpses: [],
  images: [],
  injections: [],
  ...extra,
});

describe('diffStates', () => {
  it('equal states have no changes', () => {
    expect(diffStates(state(), state())).toEqual({ equal: true, changes: [] });
  });

  it('object key order does not matter (canonical comparison)', () => {
    const a = state();
    const b = Object.fromEntries(Object.entries(state()).reverse()) as State;
    expect(diffStates(a, b).equal).toBe(true);
  });

  it('a task field change is one path with before and after, in its area', () => {
    const d = diffStates(state({ tasks: [task(1), task(42, { pgid: 40 })] }), state({ tasks: [task(1), task(42, { pgid: 42 })] }));
    expect(d.changes).toEqual([{ area: 'pgrps', path: 'tasks[42].pgid', kind: 'changed', before: 40, after: 42 }]);
  });

  it('tasks are matched by pid: one inserted in the middle is one added task, not a shift of the others', () => {
    const a = state({ tasks: [task(1), task(5), task(9), task(10)] });
    const b = state({ tasks: [task(1), task(5), task(7), task(9), task(10)] });
    const d = diffStates(a, b);
    expect(d.changes).toEqual([{ area: 'tasks', path: 'tasks[7]', kind: 'added', after: task(7) }]);
    expect(diffStates(b, a).changes).toEqual([{ area: 'tasks', path: 'tasks[7]', kind: 'removed', before: task(7) }]);
  });

  it('entity changes come in key order (numeric for pids), whatever the array order', () => {
    const a = state({ tasks: [task(1), task(10, { node: 1 }), task(9)] });
    const b = state({ tasks: [task(1), task(9, { node: 2 }), task(10, { node: 2 }), task(100)] });
    expect(diffStates(a, b).changes.map((c) => `${c.kind} ${c.path}`)).toEqual([
      'changed tasks[9].node',
      'changed tasks[10].node',
      'added tasks[100]',
    ]);
  });

  it('task fields are grouped by area: ptrace, cluster, cgroups, cpusets, vps', () => {
    const a = state({ tasks: [task(1), task(2)] });
    const b = state({
      tasks: [task(1), task(2, { tracer: 1, node: 1, cgroups: { cs: '/a' }, effectiveCpus: [0], vps: 101 })],
    });
    const byPath = Object.fromEntries(diffStates(a, b).changes.map((c) => [c.path, c.area]));
    expect(byPath).toEqual({
      'tasks[2].tracer': 'ptrace',
      'tasks[2].node': 'cluster',
      'tasks[2].cgroups.cs': 'cgroups',
      'tasks[2].effectiveCpus': 'cpusets',
      'tasks[2].vps': 'vps',
    });
  });

  it('a cgroup nested in its hierarchy is shown as cgroups[hierarchy:path]; cpuset fields are in the cpusets area', () => {
    const h = (cpus: number[], notify: boolean): State => ({
      name: 'cs',
      subsystems: ['cpuset'],
      cgroups: [
        { path: '/', notifyOnRelease: false, cpus: [0, 1] },
        { path: '/a', notifyOnRelease: notify, cpus },
      ],
    });
    const d = diffStates(state({ hierarchies: [h([0, 1], false)] }), state({ hierarchies: [h([0], true)] }));
    expect(d.changes).toEqual([
      { area: 'cpusets', path: 'cgroups[cs:/a].cpus', kind: 'changed', before: [0, 1], after: [0] },
      { area: 'cgroups', path: 'cgroups[cs:/a].notifyOnRelease', kind: 'changed', before: false, after: true },
    ]);
  });

  it('added and removed cgroups and hierarchies are listed as such', () => {
    const h = (paths: string[]): State => ({ name: 'cs', cgroups: paths.map((path) => ({ path })) });
    const d = diffStates(state({ hierarchies: [h(['/', '/a'])] }), state({ hierarchies: [h(['/', '/b']), { name: 'n', cgroups: [] }] }));
    expect(d.changes.map((c) => `${c.area} ${c.kind} ${c.path}`)).toEqual([
      'cgroups removed cgroups[cs:/a]',
      'cgroups added cgroups[cs:/b]',
      'cgroups added hierarchies[n]',
    ]);
  });

  it('user-supplied names such as __proto__ are ordinary keys (reference: Traces)', () => {
    const a = state({ tasks: [task(1, { cgroups: jsonObject([['__proto__', '/']]) })] });
    const b = state({ tasks: [task(1, { cgroups: jsonObject([['__proto__', '/x'], ['constructor', '/']]) })] });
    const d = diffStates(a, b);
    expect(d.changes).toEqual([
      { area: 'cgroups', path: 'tasks[1].cgroups.__proto__', kind: 'changed', before: '/', after: '/x' },
      { area: 'cgroups', path: 'tasks[1].cgroups.constructor', kind: 'added', after: '/' },
    ]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('a map stored as [key, value] pairs (a vpid map) is diffed by key', () => {
    const vps = (map: [number, number][]): State => ({ id: 101, init: 5, mode: 'sparse', map });
    const d = diffStates(state({ vpses: [vps([[1, 5], [1025, 6]])] }), state({ vpses: [vps([[1, 5], [1025, 7], [1030, 9]])] }));
    expect(d.changes).toEqual([
      { area: 'vps', path: 'vpses[101].map[1025]', kind: 'changed', before: 6, after: 7 },
      { area: 'vps', path: 'vpses[101].map[1030]', kind: 'added', after: 9 },
    ]);
  });

  it('the injection queue has no identity: compared by position', () => {
    const inj = (count: number): State => ({ point: 'fork', subsys: null, err: 'ENOMEM', count });
    const d = diffStates(state({ injections: [inj(2)] }), state({ injections: [inj(1), inj(3)] }));
    expect(d.changes).toEqual([
      { area: 'kernel', path: 'injections[0].count', kind: 'changed', before: 2, after: 1 },
      { area: 'kernel', path: 'injections[1]', kind: 'added', after: inj(3) },
    ]);
  });

  it('top-level fields: allocator last (kernel), nodesUp (cluster), cpusOnline (cpusets), subsystems, css_sets, images', () => {
    const a = state();
    const b = state({
      last: 7,
      nodesUp: [0, 1],
      cpusOnline: [0],
      subsystems: [{ name: 'net_cls', id: 2 }],
      cssSets: [{ id: 1, refcount: 1 }],
      images: [{ name: 'img', vps: 101, tasks: [] }],
    });
    expect(diffStates(a, b).changes.map((c) => `${c.area} ${c.path}`)).toEqual([
      'cpusets cpusOnline',
      'cssSets cssSets[1]',
      'vps images[img]',
      'kernel last',
      'cluster nodesUp',
      'subsystems subsystems[net_cls]',
    ]);
  });

  it('a scalar list (children, traced) changes as one value', () => {
    const d = diffStates(state({ tasks: [task(1, { children: [2] })] }), state({ tasks: [task(1, { children: [2, 3] })] }));
    expect(d.changes).toEqual([{ area: 'tasks', path: 'tasks[1].children', kind: 'changed', before: [2], after: [2, 3] }]);
  });

  it('diffing is antisymmetric: swapping a and b swaps before/after and added/removed', () => {
    const a = state({ last: 3, tasks: [task(1), task(2, { pgid: 2 })] });
    const b = state({ last: 4, tasks: [task(1), task(3)] });
    const swap = (k: 'added' | 'removed' | 'changed') => (k === 'added' ? 'removed' : k === 'removed' ? 'added' : k);
    const ab = diffStates(a, b).changes.map((c) => ({ ...c, kind: swap(c.kind), before: c.after, after: c.before }));
    const ba = diffStates(b, a).changes.map((c) => ({ ...c }));
    const norm = (cs: { path: string; kind: string; before?: unknown; after?: unknown }[]) => cs.map((c) => JSON.stringify([c.path, c.kind, c.before ?? null, c.after ?? null])).sort();
    expect(norm(ab)).toEqual(norm(ba));
  });
});

describe('diffKernels', () => {
  it('boot states of one version are equal', () => {
    expect(diffKernels(bootKernel({}), bootKernel({})).equal).toBe(true);
  });

  it('a config difference shows in the kernel area (reference: Determinism and the state: the state is complete)', () => {
    const d = diffKernels(bootKernel({ config: { pidMax: 1000 } }), bootKernel({}));
    expect(d.changes).toContainEqual({ area: 'kernel', path: 'config.pidMax', kind: 'changed', before: 1000, after: 32768 });
  });

  it('boot states of two versions compare field by field (one shape for every version)', () => {
    const d = diffKernels(bootKernel({}, 'containers-2006'), bootKernel({}, 'cgroups-2009'));
    expect(d.changes).toContainEqual({ area: 'kernel', path: 'semantics', kind: 'changed', before: 'containers-2006', after: 'cgroups-2009' });
    expect(d.changes).toContainEqual({ area: 'kernel', path: 'config.subsysSlots', kind: 'changed', before: 8, after: 64 });
  });
});
