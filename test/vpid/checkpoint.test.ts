import { describe, expect, it } from 'vitest';
import { replayEvents } from '../../src/replay/replay.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import type { Event } from '../../src/trace/schema-types.js';
import { creationOrder } from '../../src/vpid/restore.js';
import type { ImageTask, VpsImage } from '../../src/vpid/types.js';
import { last, run, vpsWith } from './helpers.js';

const ckpt = (vps = 101, image = 'img'): Event => ({ op: 'vps_checkpoint', by: 1, vps, image });
const restore = (vps = 202, image = 'img', by = 1): Event => ({ op: 'vps_restore', by, vps, image });

describe('reference: vps_restore vps_checkpoint', () => {
  it('vps_checkpoint errno order: EPERM from inside a VPS, ENOENT unknown VPS, EEXIST image name taken', () => {
    expect(last([...vpsWith(0), { op: 'vps_checkpoint', by: 2, vps: 999, image: 'x' }])).toEqual({ err: 'EPERM' });
    expect(last([...vpsWith(0), ckpt(999)])).toEqual({ err: 'ENOENT' });
    expect(last([...vpsWith(0), ckpt(), ckpt()])).toEqual({ err: 'EEXIST' });
  });

  it('the image records every task with vpids (parent 0 when outside), states, cgroups, dispositions, ptrace links', () => {
    // host 2; VPS init 3 with children 4 (1028), 5 (1029); host 2 enters: 6 (1030), which exits unreaped
    const evs: Event[] = [
      { op: 'fork', by: 1 },
      { op: 'vps_create', by: 1, vps: 101 },
      { op: 'fork', by: 3 },
      { op: 'fork', by: 3 },
      { op: 'vps_enter', by: 2, vps: 101 },
      { op: 'setpgid', by: 5, pid: 0, pgid: 0 },
      { op: 'signal', by: 5, sig: 15, action: 'ignore' },
      { op: 'ptrace', by: 4, request: 'attach', pid: 1029 },
      { op: 'exit', by: 6, code: 7 },
      { op: 'mount', by: 1, hierarchy: 'h', subsystems: [] },
      { op: 'mkdir', by: 1, hierarchy: 'h', path: '/a' },
      { op: 'attach', by: 1, hierarchy: 'h', path: '/a', pid: 4 },
      ckpt(),
    ];
    const { out, k } = run(evs);
    expect(out.at(-1)).toEqual({ ret: 0 });
    const image = k.s.images.get('img') as VpsImage;
    expect(image.vps).toBe(101);
    const byVpid = new Map(image.tasks.map((t) => [t.vpid, t]));
    expect(image.tasks.map((t) => t.vpid)).toEqual([1, 1028, 1029, 1030]);
    expect(byVpid.get(1)).toMatchObject({ parent: 0, pgid: 1, sid: 1, children: [1028, 1029], state: 'running', cgroups: [['h', '/']] });
    expect(byVpid.get(1028)).toMatchObject({ parent: 1, pgid: 1, sid: 1, traced: [1029], cgroups: [['h', '/a']] });
    expect(byVpid.get(1029)).toMatchObject({ parent: 1, pgid: 1029, sid: 1, tracer: 1028, dispositions: [[15, 'ignore']], state: 'stopped' });
    expect(byVpid.get(1030)).toMatchObject({ parent: 0, pgid: 1030, sid: 1030, state: 'zombie', exitStatus: { exited: 7 }, cgroups: [] });
  });
});

describe('reference: vps_restore vps_restore', () => {
  it('vps_restore errno order: EPERM inside, EINVAL vps <= 0, EEXIST existing VPS, ENOENT unknown image', () => {
    const base = [...vpsWith(0), ckpt()];
    expect(last([...base, restore(0, 'nope', 2)])).toEqual({ err: 'EPERM' });
    expect(last([...base, restore(0, 'nope')])).toEqual({ err: 'EINVAL' });
    expect(last([...base, restore(101, 'nope')])).toEqual({ err: 'EEXIST' });
    expect(last([...base, restore(202, 'nope')])).toEqual({ err: 'ENOENT' });
  });

  it('restore: same vpids, tree, pgrps and sessions from inside; new global pids make the VPS sparse (seed 004 alloc_vpid)', () => {
    const evs: Event[] = [...vpsWith(1), { op: 'fork', by: 3 }, { op: 'setpgid', by: 4, pid: 0, pgid: 0 }, ckpt(), restore()];
    const { out, k } = run([...evs, { op: 'getpid', by: 7 }, { op: 'getppid', by: 7 }, { op: 'getpgid', by: 7 }, { op: 'getsid', by: 7 }, { op: 'getppid', by: 5 }]);
    expect(out.slice(-6)).toEqual([{ ret: 5 }, { ret: 1028 }, { ret: 1027 }, { ret: 1028 }, { ret: 1 }, { ret: 0 }]);
    expect(k.s.vpses.get(202)).toMatchObject({ init: 5, mode: 'sparse' });
    expect(k.s.tasks.get(5)?.parent).toBe(1);
  });

  it('seed 004 alloc_vpid: a restore whose new global pids match linearly keeps the VPS linear', () => {
    // the original (init 2, child 3 = vpid 1027) ends; a host fork at pid 99 makes the allocator wrap to 2
    const evs: Event[] = [
      { op: 'vps_create', by: 1, vps: 101 },
      { op: 'fork', by: 2 },
      ckpt(),
      { op: 'exit', by: 2, code: 0 },
      { op: 'fork', by: 1, pid: 99 },
      { op: 'exit', by: 99, code: 0 },
      restore(),
    ];
    const { out, k } = run(evs, { pidMax: 100, reservedPids: 2 });
    expect(out.at(-1)).toEqual({ ret: 2 });
    expect(k.s.vpses.get(202)).toMatchObject({ init: 2, mode: 'linear' });
    expect(k.s.tasks.get(3)?.vps).toBe(202);
  });

});

describe('reference: vps_restore vps_restore: what is recreated', () => {
  it('a task whose parent was outside the VPS gets the restoring caller as its parent', () => {
    const evs: Event[] = [{ op: 'fork', by: 1 }, { op: 'vps_create', by: 1, vps: 101 }, { op: 'vps_enter', by: 2, vps: 101 }, ckpt(), restore()];
    const { out, k } = run([...evs, { op: 'getppid', by: 6 }, { op: 'getsid', by: 6 }]);
    expect(out.slice(-3)).toEqual([{ ret: 5 }, { ret: 1 }, { ret: 1028 }]);
    expect(k.s.tasks.get(6)).toMatchObject({ parent: 1, vps: 202, pgid: 6, sid: 6 });
  });

  it('a pgrp whose leader was reaped gets the allocator\'s next number, mapped to the same vpid', () => {
    const evs: Event[] = [
      ...vpsWith(1),
      { op: 'setpgid', by: 3, pid: 0, pgid: 0 },
      { op: 'fork', by: 3 },
      { op: 'exit', by: 3, code: 0 },
      { op: 'wait', by: 2, pid: 1027 },
      ckpt(),
      restore(),
    ];
    const { out, k } = run([...evs, { op: 'getpgid', by: 6 }, { op: 'getpid', by: 6 }, { op: 'kill', by: 6, pid: -1027, sig: 0 }]);
    expect(out.slice(-4)).toEqual([{ ret: 5 }, { ret: 1027 }, { ret: 1028 }, { ret: 0 }]);
    expect(k.s.tasks.get(6)?.pgid).toBe(7);
    expect(k.s.vpses.get(202)?.vpidToPid.get(1027)).toBe(7);
  });

  it('zombies, stops, dispositions, ptrace links and child order come back: a second checkpoint equals the first', () => {
    const evs: Event[] = [
      { op: 'fork', by: 1 },
      { op: 'vps_create', by: 1, vps: 101 },
      { op: 'fork', by: 3 },
      { op: 'fork', by: 3 },
      { op: 'fork', by: 3 },
      { op: 'vps_enter', by: 2, vps: 101 },
      { op: 'exit', by: 7, code: 9 },
      { op: 'exit', by: 5, code: 4 },
      { op: 'kill', by: 3, pid: 1030, sig: 19 },
      { op: 'signal', by: 4, sig: 10, action: 'catch' },
      { op: 'kill', by: 3, pid: 1028, sig: 10 },
      { op: 'exec', by: 4 },
      { op: 'ptrace', by: 4, request: 'attach', pid: 1030 },
      ckpt(),
      restore(),
      ckpt(202, 'again'),
    ];
    const { out, k } = run(evs);
    expect(out.slice(-3)).toEqual([{ ret: 0 }, { ret: 8 }, { ret: 0 }]);
    expect(k.s.tasks.get(9)?.traced).toEqual([11]);
    expect(k.s.images.get('again')?.tasks).toEqual(k.s.images.get('img')?.tasks);
    const states = (k.s.images.get('img') as VpsImage).tasks.map((t) => [t.vpid, t.state]);
    expect(states).toEqual([[1, 'running'], [1028, 'running'], [1029, 'zombie'], [1030, 'stopped'], [1031, 'zombie']]);
  });

  it('reference: vps_restore "parents first, in ascending vpid order": a child with a smaller vpid than its parent waits for it', () => {
    const t = (vpid: number, parent: number): ImageTask => ({
      vpid, parent, pgid: 1, sid: 1, state: 'running', exitStatus: null, execd: false, dispositions: [], caught: [], pending: [],
      stopReport: 0, contReport: false, tracer: 0, traced: [], children: [], node: 0, cgroups: [],
    });
    const image: VpsImage = { name: 'x', vps: 1, tasks: [t(1, 0), t(1100, 3000), t(1200, 1), t(3000, 1)] };
    expect(creationOrder(image).map((x) => x.vpid)).toEqual([1, 1200, 3000, 1100]);
  });
});

describe('reference: vps_restore / 1.4 vps_restore: verify, then change', () => {
  const base: Event[] = [
    { op: 'load_subsys', by: 1, name: 'faulty' },
    { op: 'mount', by: 1, hierarchy: 'd', subsystems: ['faulty'] },
    { op: 'mkdir', by: 1, hierarchy: 'd', path: '/a' },
    ...vpsWith(2),
    { op: 'attach', by: 1, hierarchy: 'd', path: '/a', pid: 3 },
    ckpt(),
  ];
  const stateAfter = (evs: Event[], config = {}) => {
    const r = replayEvents({ config }, evs);
    expect(r.violations).toEqual([]);
    return { text: canonicalStateText(r.kernel.s, r.kernel.v), last: r.outcomes.at(-1) };
  };

  it('a can_attach failure while restoring memberships leaves the state as it was (injection consumed)', () => {
    const before = stateAfter(base);
    const after = stateAfter([...base, { op: 'inject', point: 'can_attach', err: 'ENOMEM' }, restore()]);
    expect(after.last).toEqual({ err: 'ENOMEM' });
    expect(after.text).toBe(before.text);
  });

  it('an injected fork fault fails the restore and changes nothing else', () => {
    const before = stateAfter(base);
    const after = stateAfter([...base, { op: 'inject', point: 'fork', err: 'EAGAIN' }, restore()]);
    expect(after.last).toEqual({ err: 'EAGAIN' });
    expect(after.text).toBe(before.text);
  });

  it('running out of pids half-way (alloc_pidmap EAGAIN) undoes the tasks already recreated', () => {
    const evs: Event[] = [...vpsWith(2), ckpt(), ...Array.from({ length: 6 }, (): Event => ({ op: 'fork', by: 1 }))];
    const config = { pidMax: 12, reservedPids: 2 };
    const before = stateAfter(evs, config);
    const after = stateAfter([...evs, restore()], config);
    expect(after.last).toEqual({ err: 'EAGAIN' });
    expect(after.text).toBe(before.text);
  });

  it('a recorded cgroup that no longer exists -> ENOENT; a recorded node that is down -> EINVAL; nothing created', () => {
    const gone = [...base, { op: 'attach', by: 1, hierarchy: 'd', path: '/', pid: 3 } as const, { op: 'rmdir', by: 1, hierarchy: 'd', path: '/a' } as const];
    expect(stateAfter([...gone, restore()]).last).toEqual({ err: 'ENOENT' });
    const nodes: Event[] = [...vpsWith(0), { op: 'migrate', by: 1, pid: 2, node: 1 }, ckpt(), { op: 'migrate', by: 1, pid: 2, node: 0 }, { op: 'node_down', node: 1 }];
    const before = stateAfter(nodes, { nodes: 2 });
    const after = stateAfter([...nodes, restore()], { nodes: 2 });
    expect(after.last).toEqual({ err: 'EINVAL' });
    expect(after.text).toBe(before.text);
  });
});
