import { describe, expect, it } from 'vitest';
import { copyProcess } from '../../src/kernel/fork.js';
import type { Ctx } from '../../src/reducer/context.js';
import { NO_RECORD } from '../../src/reducer/record.js';
import { bootKernel } from '../../src/replay/kernel.js';
import { stateHash } from '../../src/state/canonical.js';
import { last, run, task } from './helpers.js';

describe('fork (reference: fork, 2.6.18 do_fork / copy_process)', () => {
  it('the child copies pgid, sid, node, VPS, dispositions; it is running, not traced, not exec\'d', () => {
    const r = run([
      { op: 'fork', by: 1 }, { op: 'setpgid', by: 2, pid: 0, pgid: 0 }, { op: 'signal', by: 2, sig: 10, action: 'catch' },
      { op: 'signal', by: 2, sig: 12, action: 'ignore' }, { op: 'exec', by: 2 }, { op: 'signal', by: 2, sig: 15, action: 'catch' },
      { op: 'fork', by: 2 },
    ], { nodes: 2 });
    const c = task(r, 3);
    expect(last(r)).toEqual({ ret: 3 });
    expect(c).toMatchObject({ parent: 2, pgid: 2, sid: 1, node: 0, vps: 0, state: 'running', tracer: 0, execd: false });
    expect([...(c?.dispositions ?? [])]).toEqual([[12, 'ignore'], [15, 'catch']]);
    expect(task(r, 2)?.children).toEqual([3]);
  });

  it('check order: node before pid before vpid', () => {
    const r = run([
      { op: 'fork', by: 1, node: 4, pid: 1 }, { op: 'fork', by: 1, pid: 1, vpid: 3 }, { op: 'fork', by: 1, pid: 1024, vpid: 2048 },
    ]);
    expect(r.out).toEqual([{ err: 'EINVAL' }, { err: 'EEXIST' }, { err: 'EINVAL' }]);
  });

  it('reference: inject: an injected fork fault fails before allocation and leaves last unchanged', () => {
    const r = run([{ op: 'inject', point: 'fork', err: 'ENOMEM', count: 2 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1 }, { op: 'fork', by: 1 }]);
    expect(r.out.slice(1)).toEqual([{ err: 'ENOMEM' }, { err: 'ENOMEM' }, { ret: 2 }]);
  });

  it('a forced pid also goes through injection first (no change to last on an injected failure)', () => {
    const r = run([{ op: 'inject', point: 'fork', err: 'EAGAIN' }, { op: 'fork', by: 1, pid: 500 }, { op: 'fork', by: 1 }]);
    expect(r.out.slice(1)).toEqual([{ err: 'EAGAIN' }, { ret: 2 }]);
  });

  it('failed forks before allocation change nothing (reference: Outcomes)', () => {
    const base = run([{ op: 'fork', by: 1 }]);
    const r = run([{ op: 'fork', by: 1 }, { op: 'fork', by: 2, node: 3 }, { op: 'fork', by: 2, pid: 2 }, { op: 'fork', by: 2, vpid: 1 }]);
    expect(r.stateHash).toBe(base.stateHash);
  });

  it('copyProcess with newSession makes the child lead a new session and pgrp', () => {
    const k = bootKernel({});
    const ctx: Ctx = { s: k.s, v: k.v, calls: null, released: [], record: NO_RECORD };
    const r = copyProcess(ctx, k.s.tasks.get(1)!, { newSession: true, node: 0 });
    expect(r.ok).toBe(true);
    const child = r.ok ? r.value : undefined;
    expect(child).toMatchObject({ pid: 2, pgid: 2, sid: 2, parent: 1 });
    expect(k.s.numUse.get(2)).toBe(3);
    expect(stateHash(k.s, k.v)).not.toBe(stateHash(bootKernel({}).s, k.v));
  });
});
