import { describe, expect, it } from 'vitest';
import { deepEqual, sameKernelState, TASK_FIELDS } from '../../src/fuzz/equal.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import type { Task } from '../../src/state/task.js';

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
});
