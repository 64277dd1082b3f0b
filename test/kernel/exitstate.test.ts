import { describe, expect, it } from 'vitest';
import { advanceExitState, isExiting } from '../../src/kernel/exitstate.js';
import { step, bootKernel } from '../../src/replay/kernel.js';
import { newTask } from '../../src/state/boot.js';
import type { ExitState, Task } from '../../src/state/task.js';
import { run, task } from './helpers.js';

const fresh = (): Task => newTask({ pid: 7, parent: 1, pgid: 1, sid: 1, node: 0, vps: 0, cssSet: 0 });

/**
 * Explicit exit states (issue 11 item 3): none → exiting (2.6.18 `do_exit` sets PF_EXITING) →
 * zombie (`exit_notify`, EXIT_ZOMBIE) → released (`release_task`), advanced one step at a time by
 * one function, as gVisor's `Task.advanceExitStateLocked` (pkg/sentry/kernel/task_exit.go), which
 * panics on any other move.
 */
describe('exit states (gVisor advanceExitStateLocked; 2.6.18 do_exit / exit_notify / release_task)', () => {
  it('advances none -> exiting -> zombie -> released, the zombie step making the run state zombie', () => {
    const t = fresh();
    expect(t.exitState).toBe('none');
    advanceExitState(t, 'exiting');
    expect(isExiting(t)).toBe(true);
    expect(t.state).toBe('running');
    advanceExitState(t, 'zombie');
    expect(t.state).toBe('zombie');
    expect(isExiting(t)).toBe(false);
    advanceExitState(t, 'released');
    expect(t.exitState).toBe('released');
  });

  it('any other move is an internal error, and changes nothing', () => {
    const wrong: [ExitState, ExitState][] = [
      ['none', 'none'], ['none', 'zombie'], ['none', 'released'], ['exiting', 'none'], ['exiting', 'exiting'], ['exiting', 'released'],
      ['zombie', 'none'], ['zombie', 'exiting'], ['zombie', 'zombie'], ['released', 'none'], ['released', 'zombie'], ['released', 'released'],
    ];
    for (const [from, to] of wrong) {
      const t = fresh();
      t.exitState = from;
      expect(() => advanceExitState(t, to), `${from} -> ${to}`).toThrow(/^internal: task 7 cannot go from exit state/);
      expect(t.exitState).toBe(from);
      expect(t.state).toBe('running');
    }
  });

  it('exit leaves a zombie (never `exiting` between events), wait releases it', () => {
    const k = bootKernel({ semantics: 'cgroups-2009' });
    const parent = step(k, { op: 'fork', by: 1 }) as { ret: number };
    const child = step(k, { op: 'fork', by: parent.ret }) as { ret: number };
    const t = k.s.tasks.get(child.ret) as Task;
    step(k, { op: 'exit', by: t.pid, code: 3 });
    expect(t.exitState).toBe('zombie');
    expect(t.state).toBe('zombie');
    step(k, { op: 'wait', by: parent.ret, pid: t.pid });
    expect(t.exitState).toBe('released');
    expect(k.s.tasks.has(t.pid)).toBe(false);
  });

  it('an exit that nests (an orphaned pgrp killed while its parent exits) leaves no task exiting', () => {
    // seed 002 E.2-E.6: 2 forks 3 into a pgrp of its own and stops it; 2 exits: pgrp 3 is orphaned
    // with a stopped member, so SIGHUP (fatal) then SIGCONT go to it while 2 is still in do_exit.
    const r = run([
      { op: 'fork', by: 1 },
      { op: 'fork', by: 2 },
      { op: 'setpgid', by: 2, pid: 3, pgid: 3 },
      { op: 'kill', by: 1, pid: 3, sig: 19 },
      { op: 'exit', by: 2, code: 0 },
    ], { initReaps: false });
    expect(task(r, 3)?.exitStatus).toEqual({ signaled: 1 });
    expect(task(r, 3)?.exitState).toBe('zombie');
    expect([...r.kernel.s.tasks.values()].filter((x) => x.exitState === 'exiting')).toEqual([]);
    for (const x of r.kernel.s.tasks.values()) expect(x.exitState === 'zombie').toBe(x.state === 'zombie');
  });
});
