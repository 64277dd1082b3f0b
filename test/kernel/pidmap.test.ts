import { describe, expect, it } from 'vitest';
import { allocPidmap, checkForcedPid, pidInUse } from '../../src/kernel/pidmap.js';
import type { Ctx } from '../../src/reducer/context.js';
import { NO_RECORD } from '../../src/reducer/record.js';
import { bootKernel } from '../../src/replay/kernel.js';
import { forks, last, run } from './helpers.js';

const ctxOf = (config: Record<string, unknown>): Ctx => {
  const k = bootKernel({ config });
  return { s: k.s, v: k.v, calls: null, released: [], record: NO_RECORD };
};

describe('alloc_pidmap (reference: fork, 2.6.18 kernel/pid.c, seed 004)', () => {
  it('hands out last + 1 and sets last', () => {
    const ctx = ctxOf({});
    expect(allocPidmap(ctx)).toEqual({ ok: true, value: 2 });
    expect(ctx.s.last).toBe(2);
  });

  it('seed 004 alloc_pidmap: skips numbers with the VPID bit (bit 10) by adding 1024', () => {
    const ctx = ctxOf({});
    ctx.s.last = 1023;
    expect(allocPidmap(ctx)).toEqual({ ok: true, value: 2048 });
    ctx.s.last = 3071;
    expect(allocPidmap(ctx)).toEqual({ ok: true, value: 4096 });
  });

  it('without pidVirt vpid, bit 10 is an ordinary number', () => {
    const ctx = ctxOf({ pidVirt: 'none' });
    ctx.s.last = 1023;
    expect(allocPidmap(ctx)).toEqual({ ok: true, value: 1024 });
  });

  it('wraps at pid_max to RESERVED_PIDS, which is itself a candidate', () => {
    const ctx = ctxOf({ pidMax: 400, reservedPids: 300 });
    ctx.s.last = 399;
    expect(allocPidmap(ctx)).toEqual({ ok: true, value: 300 });
  });

  it('the VPID-bit rule applies again after a wrap (reservedPids with bit 10)', () => {
    const ctx = ctxOf({ pidMax: 3000, reservedPids: 1100 });
    ctx.s.last = 2999;
    expect(allocPidmap(ctx)).toEqual({ ok: true, value: 2124 });
  });

  it('skips numbers in use as pgid or sid, not only as pid', () => {
    const ctx = ctxOf({});
    ctx.s.numUse.set(2, 1);
    expect(allocPidmap(ctx)).toEqual({ ok: true, value: 3 });
  });

  it('EAGAIN after a full cycle, leaving last unchanged', () => {
    const ctx = ctxOf({ pidMax: 5, reservedPids: 2 });
    for (const n of [2, 3, 4]) ctx.s.numUse.set(n, 1);
    expect(allocPidmap(ctx)).toEqual({ ok: false, err: 'EAGAIN' });
    expect(ctx.s.last).toBe(1);
  });

  it('EAGAIN when the configuration leaves no candidate at all', () => {
    const ctx = ctxOf({ pidMax: 1500, reservedPids: 1100 });
    ctx.s.last = 1499;
    expect(allocPidmap(ctx)).toEqual({ ok: false, err: 'EAGAIN' });
  });

  it('reference: fork fork.pid: EINVAL below 1, at/after pidMax or with the VPID bit; EEXIST in use', () => {
    const ctx = ctxOf({ pidMax: 4096 });
    expect(checkForcedPid(ctx.s, 0)?.err).toBe('EINVAL');
    expect(checkForcedPid(ctx.s, 4096)?.err).toBe('EINVAL');
    expect(checkForcedPid(ctx.s, 1024)?.err).toBe('EINVAL');
    expect(checkForcedPid(ctx.s, 1)?.err).toBe('EEXIST');
    expect(checkForcedPid(ctx.s, 2048)).toBeNull();
  });

  it('a number stays in use while a zombie or a pgrp member holds it', () => {
    const r = run([
      { op: 'fork', by: 1 },
      { op: 'setpgid', by: 2, pid: 0, pgid: 0 },
      { op: 'fork', by: 2 },
      { op: 'exit', by: 2, code: 0 },
    ], { initReaps: false });
    expect(r.kernel.s.tasks.get(2)?.state).toBe('zombie');
    expect(pidInUse(r.kernel.s, 2)).toBe(true);
    const r2 = run([
      { op: 'fork', by: 1 },
      { op: 'setpgid', by: 2, pid: 0, pgid: 0 },
      { op: 'fork', by: 2 },
      { op: 'exit', by: 2, code: 0 },
      { op: 'fork', by: 1, pid: 2 },
    ]);
    expect(r2.kernel.s.tasks.has(2)).toBe(false);
    expect(last(r2)).toEqual({ err: 'EEXIST' });
  });

  it('forks fill the number space in order', () => {
    const r = run(forks(1, 5));
    expect(r.out).toEqual([2, 3, 4, 5, 6].map((ret) => ({ ret })));
  });
});
