import { describe, expect, it } from 'vitest';
import { isOrphanedPgrp } from '../../src/kernel/orphan.js';
import { PROCESS_INVARIANTS } from '../../src/invariants/process.js';
import type { Invariant } from '../../src/invariants/types.js';
import type { Kernel } from '../../src/replay/kernel.js';
import { run } from './helpers.js';

const inv = (id: string): Invariant => PROCESS_INVARIANTS.find((i) => i.id === id) as Invariant;
const ids = (k: Kernel, id: string, before?: unknown) => inv(id).check(k.s, k.v, before).map((v) => v.invariant);
/** Whether invariant `id` reports a violation whose message mentions `text`. */
const firesWith = (k: Kernel, id: string, text: string) => inv(id).check(k.s, k.v, undefined).some((v) => v.message.includes(text));

/** A small good world: 2 (session leader) with a job pgrp 3 = {3, 4}, 5 traced by 2. */
function world(): Kernel {
  return run([
    { op: 'fork', by: 1 }, { op: 'setsid', by: 2 }, { op: 'fork', by: 2 }, { op: 'setpgid', by: 2, pid: 3, pgid: 3 },
    { op: 'fork', by: 3 }, { op: 'fork', by: 1 }, { op: 'ptrace', by: 2, request: 'attach', pid: 5 },
  ], { nodes: 2 }).kernel;
}

describe('process invariants (reference: Invariants and postconditions) stay silent on good states and fire on corrupted ones', () => {
  it('all are silent on a good state', () => {
    const k = world();
    for (const i of PROCESS_INVARIANTS) expect(i.check(k.s, k.v, i.before?.(k.s, k.v))).toEqual([]);
  });

  it('exposes the reference: Invariants and postconditions ids', () => {
    expect(PROCESS_INVARIANTS.map((i) => i.id)).toEqual(['pid-unique', 'task-tree', 'pgrp-session', 'ptrace-links', 'orphan-stopped', 'cluster', 'thread-group']);
  });

  it('pid-unique fires on a duplicate pid, a number >= pidMax, a VPID-bit number, a stale numUse', () => {
    let k = world();
    k.s.tasks.get(4)!.pid = 3;
    expect(ids(k, 'pid-unique')).toContain('pid-unique');
    k = world();
    k.s.tasks.get(4)!.sid = 40000;
    expect(ids(k, 'pid-unique').length).toBeGreaterThan(0);
    k = world();
    k.s.tasks.get(4)!.pgid = 1025;
    expect(ids(k, 'pid-unique').length).toBeGreaterThan(0);
    k = world();
    k.s.numUse.set(77, 1);
    expect(ids(k, 'pid-unique')).toEqual(['pid-unique']);
  });

  it('task-tree fires on a missing parent, an unlisted child, a cycle, a live child of a zombie', () => {
    let k = world();
    k.s.tasks.get(4)!.parent = 99;
    expect(ids(k, 'task-tree').length).toBeGreaterThan(0);
    k = world();
    k.s.tasks.get(3)!.children = [];
    expect(ids(k, 'task-tree').length).toBeGreaterThan(0);
    k = world();
    const t2 = k.s.tasks.get(2)!;
    const t3 = k.s.tasks.get(3)!;
    t2.parent = 3;
    t3.children.push(2);
    k.s.tasks.get(1)!.children = k.s.tasks.get(1)!.children.filter((c) => c !== 2);
    expect(firesWith(k, 'task-tree', 'cycle')).toBe(true);
    k = world();
    k.s.tasks.get(3)!.state = 'zombie';
    expect(firesWith(k, 'task-tree', 'zombie')).toBe(true);
  });

  it('pgrp-session fires on a pgrp spanning sessions, a leader outside its pgrp, a stale pgrp index', () => {
    let k = world();
    k.s.tasks.get(4)!.sid = 1;
    expect(ids(k, 'pgrp-session').length).toBeGreaterThan(0);
    k = world();
    k.s.tasks.get(2)!.pgid = 3;
    expect(ids(k, 'pgrp-session').length).toBeGreaterThan(0);
    k = world();
    k.s.pgrps.get(3)!.delete(4);
    expect(ids(k, 'pgrp-session').length).toBeGreaterThan(0);
  });

  it('ptrace-links fires on a one-sided link, self-tracing, a zombie tracer', () => {
    let k = world();
    k.s.tasks.get(2)!.traced = [];
    expect(ids(k, 'ptrace-links').length).toBeGreaterThan(0);
    k = world();
    k.s.tasks.get(4)!.tracer = 4;
    k.s.tasks.get(4)!.traced = [4];
    expect(firesWith(k, 'ptrace-links', 'itself')).toBe(true);
    k = world();
    k.s.tasks.get(2)!.state = 'zombie';
    expect(firesWith(k, 'ptrace-links', 'not live')).toBe(true);
  });

  it('orphan-stopped fires when an exit orphans a pgrp with a stopped member that was not signalled', () => {
    const k = world();
    const i = inv('orphan-stopped');
    k.s.tasks.get(4)!.state = 'stopped';
    const before = i.before!(k.s, k.v);
    // Simulate exit of 2 without the SIGHUP/SIGCONT of reparent_thread.
    const t2 = k.s.tasks.get(2)!;
    t2.state = 'zombie';
    k.s.tasks.get(3)!.parent = 1;
    expect(i.check(k.s, k.v, before).map((v) => v.subject)).toEqual(['pgrp 3']);
  });

  it('orphan-stopped is silent when the pgrp was orphaned before, or when no task exited (setpgid)', () => {
    const k = world();
    const i = inv('orphan-stopped');
    k.s.tasks.get(3)!.parent = 1;
    k.s.tasks.get(4)!.state = 'stopped';
    const before = i.before!(k.s, k.v);
    k.s.tasks.get(2)!.state = 'zombie';
    expect(i.check(k.s, k.v, before)).toEqual([]);
  });

  it('a setpgid that orphans a pgrp with a stopped member is kernel behaviour (no signal) and not flagged', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'fork', by: 2 }, { op: 'fork', by: 2 }, { op: 'setpgid', by: 2, pid: 3, pgid: 3 },
      { op: 'setpgid', by: 2, pid: 4, pgid: 3 }, { op: 'kill', by: 2, pid: 4, sig: 19 }, { op: 'setpgid', by: 2, pid: 0, pgid: 3 },
    ]);
    expect(r.kernel.s.tasks.get(4)!.state).toBe('stopped');
    expect(isOrphanedPgrp(r.kernel.s, 3)).toBe(true);
  });

  it('cluster fires on a live task on a down node and on global init away from node 0', () => {
    let k = world();
    k.s.nodesUp[1] = false;
    k.s.tasks.get(4)!.node = 1;
    expect(ids(k, 'cluster')).toEqual(['cluster']);
    k = world();
    k.s.tasks.get(1)!.node = 1;
    expect(ids(k, 'cluster')).toEqual(['cluster']);
    k = world();
    k.s.nodesUp[1] = false;
    k.s.tasks.get(4)!.node = 1;
    k.s.tasks.get(4)!.state = 'zombie';
    k.s.tasks.get(3)!.children = [4];
    expect(ids(k, 'cluster')).toEqual([]);
  });
});
