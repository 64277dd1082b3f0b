import { describe, expect, it } from 'vitest';
import { last, run, task } from '../kernel/helpers.js';

describe('cluster (reference: migrate, seed 002 single system image)', () => {
  it('node_down: EINVAL for node 0, an unknown node, a node already down', () => {
    const r = run([{ op: 'node_down', node: 0 }, { op: 'node_down', node: 2 }, { op: 'node_down', node: 1 }, { op: 'node_down', node: 1 }], { nodes: 2 });
    expect(r.out).toEqual([{ err: 'EINVAL' }, { err: 'EINVAL' }, { ret: 0 }, { err: 'EINVAL' }]);
  });

  it('node_up: EINVAL for an unknown node or one already up', () => {
    const r = run([{ op: 'node_up', node: 1 }, { op: 'node_up', node: -1 }, { op: 'node_down', node: 1 }, { op: 'node_up', node: 1 }], { nodes: 2 });
    expect(r.out).toEqual([{ err: 'EINVAL' }, { err: 'EINVAL' }, { ret: 0 }, { ret: 0 }]);
  });

  it('node_down kills every live task there as if by SIGKILL in ascending pid order, with full exit processing', () => {
    const r = run([
      { op: 'fork', by: 1, node: 1 }, { op: 'fork', by: 2 }, { op: 'fork', by: 3, node: 0 }, { op: 'node_down', node: 1 },
    ], { nodes: 2, initReaps: false });
    expect(task(r, 2)?.exitStatus).toEqual({ signaled: 9 });
    expect(task(r, 3)?.exitStatus).toEqual({ signaled: 9 });
    expect(task(r, 3)?.parent).toBe(1);
    expect(task(r, 4)?.parent).toBe(1);
    expect(task(r, 4)?.state).toBe('running');
  });

  it('node_down kills a VPS init on that node, and with it the whole VPS (also on other nodes)', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'vps_create', by: 2, vps: 3 }, { op: 'migrate', by: 1, pid: 3, node: 1 }, { op: 'fork', by: 3, node: 0 },
      { op: 'node_down', node: 1 },
    ], { nodes: 2 });
    expect(task(r, 3)?.exitStatus).toEqual({ signaled: 9 });
    expect(task(r, 4)).toBeUndefined();
  });

  it('migrate: ESRCH (unknown or zombie) before EINVAL (node) before EPERM (global init)', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'exit', by: 2, code: 0 }, { op: 'fork', by: 1 },
      { op: 'migrate', by: 1, pid: 9, node: 5 }, { op: 'migrate', by: 1, pid: 1, node: 5 }, { op: 'migrate', by: 3, pid: 1, node: 1 },
      { op: 'migrate', by: 1, pid: 3, node: 1 },
    ], { nodes: 2, initReaps: false });
    expect(r.out.slice(3)).toEqual([{ err: 'ESRCH' }, { err: 'EINVAL' }, { err: 'EPERM' }, { ret: 0 }]);
    expect(task(r, 3)?.node).toBe(1);
    const z = run([{ op: 'fork', by: 1 }, { op: 'exit', by: 2, code: 0 }, { op: 'migrate', by: 1, pid: 2, node: 0 }], { initReaps: false });
    expect(last(z)).toEqual({ err: 'ESRCH' });
  });

  it('migrate from inside a VPS cannot see host tasks (ESRCH)', () => {
    const r = run([{ op: 'fork', by: 1 }, { op: 'vps_create', by: 2, vps: 3 }, { op: 'migrate', by: 3, pid: 2, node: 1 }], { nodes: 2 });
    expect(last(r)).toEqual({ err: 'ESRCH' });
  });

  it('location transparency (seed 002: a process behaves the same wherever it runs): removing migrate and node arguments changes no other outcome', () => {
    const withNodes = [
      { op: 'fork', by: 1, node: 1 }, { op: 'fork', by: 2, node: 2 }, { op: 'migrate', by: 1, pid: 3, node: 0 },
      { op: 'setpgid', by: 2, pid: 3, pgid: 0 }, { op: 'kill', by: 2, pid: -3, sig: 19 }, { op: 'migrate', by: 2, pid: 3, node: 1 },
      { op: 'wait', by: 2, untraced: true }, { op: 'exit', by: 2, code: 1 }, { op: 'wait', by: 1 }, { op: 'getppid', by: 1 },
    ] as const;
    const without = withNodes.filter((e) => e.op !== 'migrate').map((e) => {
      const { node: _node, ...rest } = e as { node?: number };
      return rest;
    });
    const a = run([...withNodes] as never, { nodes: 3, initReaps: false }).out.filter((_, i) => withNodes[i]!.op !== 'migrate');
    const b = run(without as never, { nodes: 3, initReaps: false }).out;
    expect(a).toEqual(b);
  });
});
